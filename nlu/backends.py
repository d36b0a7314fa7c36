"""Which NLU answers: the embedded pipeline (default) or a Rasa server.

Both give the same `ParseResult`, so the dialogue never knows which one ran.
"""

from __future__ import annotations

from nlu.pipeline import NluParser
from nlu.rasa import RasaParser
from nlu.types import CatalogLike

BACKENDS: tuple[str, ...] = ("embedded", "rasa")


def make_parser(catalog: CatalogLike, timezone: str, backend: str = "embedded",
                rasa_url: str | None = None) -> NluParser | RasaParser:
    embedded = NluParser(catalog, timezone=timezone)
    if backend == "embedded":
        return embedded
    if backend == "rasa":
        if not rasa_url:
            raise ValueError("JIEDAN_NLU_BACKEND=rasa needs JIEDAN_RASA_URL, e.g. http://127.0.0.1:5005")
        return RasaParser(rasa_url, embedded)
    raise ValueError(f"unknown NLU backend {backend!r}; one of: {', '.join(BACKENDS)}")
