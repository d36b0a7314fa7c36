"""The owner's questions and answers (catalog `faq:`): which one a message asks.

Matched on the normalised text, so 發票 finds 发票 and "INVOICE" finds "invoice";
a Latin keyword must be a whole word ("pay" is not in "repay"), which may take a
plural's -s or -es ("invoices", "weekends": the owner lists the word once), and "open" with an
object after it ("open a safe") is the job, not the hours. The entry with the
longest keyword that occurs wins, so the more specific question is answered
("how many hours does it take" is the duration, though "hours" asks the opening
hours); between keywords as long, the catalog's order: the owner orders them.
"""

from __future__ import annotations

import re
from typing import Sequence

from nlu import guarded
from nlu.normalize import normalize


class FaqMatcher:
    def __init__(self, keyword_lists: Sequence[Sequence[str]]) -> None:
        self._entries = [_pattern(words) for words in keyword_lists]

    def find(self, norm: str) -> int | None:
        """The index of the entry whose longest keyword in `norm` is the longest, the first of equals."""
        best: int | None = None
        best_len = 0
        for i, rx in enumerate(self._entries):
            longest = max((len(m.group(0)) for m in rx.finditer(norm)), default=0) if rx is not None else 0
            if longest > best_len:
                best, best_len = i, longest
        return best


# Keywords of the shop's hours that are also what a locksmith does ("open", "close"): followed by
# an object ("can the locksmith open a safe?", "open my door") they ask for the job, not the hours.
_JOB_VERBS = frozenset({"open", "close"})
_AN_OBJECT = (r"(?!\s+(?:a|an|the|my|our|your|his|her|their|this|that|these|those|it|them|me|us|some|any"
              r"|doors?|locks?|safes?|cars?|gates?|windows?|drawers?|cabinets?)\b)")


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    parts = []
    for word in words:
        w = re.escape(normalize(word).norm.strip())
        if not w:
            continue
        object_after = _AN_OBJECT if w in _JOB_VERBS else ""
        parts.append(rf"\b{w}(?:e?s)?\b{object_after}" if word.isascii() else w)
    return guarded.compile("|".join(parts)) if parts else None
