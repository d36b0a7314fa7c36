"""Which NLU answers: the embedded pipeline (default) or a Rasa server.

Both give the same `ParseResult`, so the dialogue never knows which one ran.
"""

from __future__ import annotations

from nlu.pipeline import NluParser
from nlu.types import CatalogLike

BACKENDS: tuple[str, ...] = ("embedded", "rasa")


def make_parser(catalog: CatalogLike, timezone: str, backend: str = "embedded",
                rasa_url: str | None = None) -> NluParser:
    if backend == "embedded":
        return NluParser(catalog, timezone=timezone)
    if backend == "rasa":
        raise ValueError("the Rasa backend is not available yet")
    raise ValueError(f"unknown NLU backend {backend!r}; one of: {', '.join(BACKENDS)}")
