"""A customer's place in the conversation, kept between messages as plain JSON."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

# Stages of the dialogue.
IDLE = "idle"                  # nothing in progress
COLLECTING = "collecting"      # a booking draft is missing slots
CONFIRMING = "confirming"      # a pending order's summary awaits yes/no
CHANGING = "changing"          # the customer said "no" to the summary: what to change?
CANCELLING = "cancelling"      # "cancel order N?" awaits yes/no
RESCHEDULING = "rescheduling"  # a new time for an order is being gathered or confirmed
AMENDING = "amending"          # "address X → Y, change it?" about a booked order awaits yes/no
CHOOSING = "choosing"          # which of several orders the customer means
REVIEWING = "reviewing"        # a review's rating (awaiting="rating") or comment ("comment") is awaited


@dataclass
class DialogueState:
    lang: str = "zh"
    # `lang` came from the customer's own words: the channel's language setting (Telegram's
    # language_code, a first guess) no longer overrides it. Before, an English customer whose
    # Telegram was set to Chinese pressed a rating button after the booking and was thanked
    # in Chinese.
    lang_said: bool = False
    stage: str = IDLE
    draft: dict[str, Any] = field(default_factory=dict)    # slot -> contract value
    awaiting: str | None = None                            # the slot just asked for
    order_id: int | None = None                            # the order this stage is about
    purpose: str | None = None                             # with CHOOSING: cancel | reschedule | amend
    proposal: dict[str, Any] = field(default_factory=dict)  # a reschedule's new date/time, an amendment's details
    choices: list[str] = field(default_factory=list)       # payloads offered last, for "1", "2"…
    labels: list[str] = field(default_factory=list)        # their labels as shown, so typing one picks it
    misses: int = 0                                        # messages not understood in a row
    offered: str | None = None                             # service just priced with "shall I book it?"
    offered_slots: dict[str, Any] = field(default_factory=dict)  # the rest of that booking, if said (day, address…)
    priced: bool = False                                   # our last answer was a price: "三台呢" asks another
    confirmed: int | None = None                           # order our last answer confirmed: details next amend it
    more: dict[str, Any] | None = None                     # a further booking asked for in the same message
    # The previous order's address, offered with the address question ("上次是…，还是这里吗？"):
    # None not looked up yet; "" none on record, or declined ("换个地址"), so not offered again.
    last_address: str | None = None
    # The draft's phone is the one on file, not typed in this booking: the summary says so.
    phone_on_file: bool = False
    # The part of the day of a time just refused as outside the opening hours ("早上6点"):
    # the hour said next without one ("那7点") is read in it, 07:00, not the contract's 19:00.
    refused_period: str | None = None
    # The Monday (ISO) of a week said with no day of it in this booking ("我下周要搬家", NLU flag
    # ``week``): a weekday said alone later ("周六上午") is that week's, not this one's.
    week: str | None = None
    # The last message asked for a person mid-booking, or this one says no to the wait for
    # one (set by `handlers.staff.relay_to_staff`): a "算了" is about the person, not the booking.
    asked_person: bool = False
    # What a customer said of the service before giving its stars ("阿姨很仔细"): stored as
    # the review's comment with the rating the next message gives, not lost for want of one.
    review_comment: str | None = None
    # The booking under way (this whole state, as `to_dict` gives it), set aside while one of the
    # customer's booked orders is cancelled ("取消修空调那个" at the summary of a pest control):
    # `reset` takes it up again, so ending the cancel does not lose it.
    aside: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogueState:
        if not data:
            return cls()
        return cls(**{k: v for k, v in data.items() if k in _KNOWN})

    def to_dict(self) -> dict[str, Any]:
        """What `dataclasses.asdict` gives (a deep copy), in a fraction of its CPU: it
        runs every message, and asdict deep-copies each string and number one by one."""
        return {name: _copied(getattr(self, name)) for name in _FIELDS}

    @property
    def busy(self) -> bool:
        """Something is in progress (a booking, a cancel, a change): the customer's next
        words answer the bot's question, even while they talk to a person."""
        return self.stage != IDLE or bool(self.draft)

    @property
    def drafting(self) -> bool:
        """The booking's own questions are open (its fields, its summary, a change asked at
        it): a message is read as part of that booking before anything else."""
        return self.stage in (COLLECTING, CONFIRMING, CHANGING)

    @property
    def booking(self) -> bool:
        """A new booking is under way (its draft holds something): only then may an answer
        say "the booking you started is kept"; a review or a cancel in progress is none."""
        return bool(self.draft)

    def set_aside(self) -> None:
        """Put the booking under way aside for another question about a booked order; the
        next `reset` (that question answered or dropped) brings it back as it was."""
        held = self.to_dict()
        self.reset()
        self.aside = held

    def reset(self) -> None:
        """Back to idle, keeping only the customer's language (and whether they said it); or back to the booking set
        aside (`set_aside`), if one was."""
        lang, said, held = self.lang, self.lang_said, self.aside
        self.__init__(**(held or {}))  # type: ignore[misc]
        self.lang, self.lang_said = lang, said


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DialogueState))  # in order, as asdict has them
_KNOWN = frozenset(_FIELDS)
_ATOMS = (str, int, float, bool, type(None))


def _copied(value: Any) -> Any:
    """`value` copied as `dataclasses.asdict` copies a field: containers rebuilt, atoms
    (immutable) kept, anything else deep-copied."""
    if isinstance(value, _ATOMS):
        return value
    if type(value) is dict:
        return {_copied(k): _copied(v) for k, v in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_copied(v) for v in value)
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else copy.deepcopy(value)
