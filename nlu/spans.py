"""Character spans shared by the extractors.

Each extractor masks what it has taken, so the next one cannot read the same
characters again: the phone number's digits are not a quantity, the date is
not part of the address. Masking keeps string length, so offsets stay valid
in both normalised forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from nlu import guarded

# Never produced by `normalize` (control characters become spaces there), so it
# cannot collide with text; it is neither a word character nor whitespace for
# `re` or `str.isspace` (unlike \x1c-\x1f, which Python counts as whitespace).
MASK = "\x00"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    value: Any = None

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def mask(text: str, spans: Iterable[Span | tuple[int, int]]) -> str:
    """`text` with every span's characters replaced by MASK."""
    for s in spans:
        start, end = (s.start, s.end) if isinstance(s, Span) else s
        start, end = max(0, start), min(len(text), end)
        if start < end:
            text = text[:start] + MASK * (end - start) + text[end:]
    return text


# What separates the parts of a message: punctuation, a masked slot, a line break,
# a run of spaces, a full stop (not the dot of "No.5" or "3.5").
SEGMENT_SPLIT_RE = guarded.compile(r"[，。；！？,;!?、\n\x00]+|\s{2,}|\.(?:\s|$)")


def segments(text: str, split: re.Pattern[str] = SEGMENT_SPLIT_RE) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of `text` between `split` matches, empty ones included."""
    pos = 0
    for sep in split.finditer(text):
        yield pos, sep.start()
        pos = sep.end()
    yield pos, len(text)
