"""The speed-ups of issue #8 change nothing anyone sees.

`nlu.guarded.compile` puts a first-character lookahead in front of a pattern
the engine would otherwise try at every position: every search, match, split
and substitution must give what `re.compile` gives, groups and spans included.
"""

from __future__ import annotations

import re

import pytest

from nlu import guarded
from nlu.intents import _any

PATTERNS = [
    (r"营业|关门|\bweather\b|(?:do|does) you work", 0),
    (r"(?=((深度保洁|保洁|空调清洗)))", 0),
    (r"(?<![a-z0-9])(?=((deep clean|clean|aircon)(?:e?s)?)(?![a-z0-9]))", 0),
    (r"^\W*(what|how|why)\b", 0),
    (r"(?:\bplease\b|请)?\s*(?P<n>\d+)\s*(个|台|units?)", re.IGNORECASE),
    (r"\b(?:toilet|drain)s?\b.{0,20}\b(clog|block)", re.ASCII),
    (r"x*", 0),                 # may match nothing: left as it is
    (r"[^a]b|.c", 0),           # opens with a negated class or any character: left as it is
    (r"(?i)abc|Def", 0),        # inline flags: left as it is
    (r"abc|abd", 0),            # a literal first: the engine's own check is kept
]
TEXTS = ["", "周日营业吗", "明天来做个深度保洁", "what time?", "  How much", "Please 3 units",
         "请 2台", "my toilets are clogged", "the drain... block", "DEEP CLEANS please", "aircons",
         "xx", "ab cb", "ABC def", "abd", "今天天气怎么样 weather", "deep cleaning"]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_guarded_pattern_finds_what_the_plain_one_finds(pattern: str, flags: int) -> None:
    plain, fast = re.compile(pattern, flags), guarded.compile(pattern, flags)
    assert fast.groups == plain.groups and fast.groupindex == plain.groupindex
    for text in TEXTS:
        def spans(rx: re.Pattern[str]) -> list[tuple]:
            return [(m.span(), m.groups(), m.groupdict()) for m in rx.finditer(text)]
        assert spans(fast) == spans(plain), text
        for method in ("search", "match", "fullmatch"):
            got, want = getattr(fast, method)(text), getattr(plain, method)(text)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (method, text)
        assert fast.sub("_", text) == plain.sub("_", text)
        assert fast.split(text) == plain.split(text)


def test_only_patterns_the_engine_cannot_skip_through_are_guarded() -> None:
    assert guarded.compile(PATTERNS[0][0]).pattern.startswith("(?=[")
    assert guarded.compile(PATTERNS[1][0]).pattern.startswith("(?=[")  # a lookahead looks at it
    assert guarded.compile(PATTERNS[2][0]).pattern.startswith("(?=[")
    for pattern, flags in PATTERNS[6:]:
        assert guarded.compile(pattern, flags).pattern == pattern


def test_the_keyword_tables_are_guarded() -> None:
    rx = _any(["营业", r"\bweather\b", r"^\W*(?:how|what)\b"])
    assert rx.pattern.startswith("(?=[")
    assert rx.search("明天营业吗") and rx.search("how's the weather") and not rx.search("明天下午三点")
