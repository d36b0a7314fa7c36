"""The NLU's output shape, shared by every backend and by the dialogue.

Kept free of any channel or storage import so that the parser can run alone
(`jiedan nlu parse`) and so a Rasa backend can produce the very same object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Sequence

Intent = Literal[
    "book", "reschedule", "cancel", "status", "price", "review",
    "affirm", "deny", "greet", "human", "other",
]
INTENTS: tuple[str, ...] = (
    "book", "reschedule", "cancel", "status", "price", "review",
    "affirm", "deny", "greet", "human", "other",
)

# Slots that the contract names, in the order the dialogue asks for them.
SLOT_NAMES: tuple[str, ...] = (
    "service", "date", "time", "period", "address", "phone",
    "name", "quantity", "rating", "order_ref",
)
PERIODS: tuple[str, ...] = ("morning", "noon", "afternoon", "evening", "night")


@dataclass(slots=True)
class ParseResult:
    """One message understood: what the customer wants and what they said.

    `slots` holds only what the text states (contract: never guess a slot).
    `lang` is the detected language of the message ("zh" or "en"), used by the
    dialogue to answer in the customer's language.
    """

    intent: str
    confidence: float
    slots: dict[str, Any] = field(default_factory=dict)
    lang: str = "zh"
    # Extra signals for the dialogue that are not part of the contract output:
    # e.g. {"correction": True} when the text reads as "改成…/不对，是…".
    flags: dict[str, Any] = field(default_factory=dict)

    def as_contract(self, msg_id: str | None = None) -> dict[str, Any]:
        """The JSON object of the contract's "NLU lines" output."""
        out: dict[str, Any] = {}
        if msg_id is not None:
            out["id"] = msg_id
        out["intent"] = self.intent
        out["confidence"] = round(float(self.confidence), 4)
        out["slots"] = dict(self.slots)
        return out


class ServiceEntry(Protocol):
    """What the NLU needs to know about one catalog service."""

    id: str
    names: dict[str, str]          # {"zh": "深度保洁", "en": "Deep cleaning"}
    synonyms: Sequence[str]
    objects: Sequence[str]         # what it is done to (空调, 水龙头); optional: read with getattr


class CatalogLike(Protocol):
    services: Sequence[ServiceEntry]
