"""Regexes that skip, at a glance, the positions where no match can start.

Python's regex engine tries a search at every position of the text. When a
pattern opens with a literal or a character class it first checks that
character and moves on; but a pattern opening with an alternation of words
that start differently ("营业|关门|\\bweather\\b|…", the keyword tables), or
with a lookaround (`(?=(term1|term2…))`, the service terms), gets no such check:
every alternative is tried at every position. The NLU runs a few hundred such
searches a message, and they were about half its CPU.

`compile` works out the set of characters a match can begin with and puts
that set in front as a lookahead, so a position whose character is not in it
is refused by one class test. The match, its groups and its span are the same:
the lookahead consumes nothing and captures nothing, and a pattern whose first
character cannot be known (one that can match the empty string anywhere, opens
with `.` or a negated class, or sets flags inline) is compiled as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
try:  # the engine's own parser (Python 3.11+); private, so a Python that moves it gets plain patterns
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - no such Python yet
    C = _parser = None  # type: ignore[assignment]

_CATEGORIES = {} if C is None else {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = () if C is None else (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = () if C is None else (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
_INLINE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.LOCALE


class _Unknown(Exception):
    """The first character of a match cannot be told from the pattern."""


def _char(code: int) -> str:
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _class_items(items: list) -> list[str]:
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(_char(av))
        elif op is C.RANGE:
            out.append(_char(av[0]) + "-" + _char(av[1]))
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE, a big charset, another category: not worth reasoning about
            raise _Unknown
    return out


def _first(seq) -> tuple[list[str], bool]:  # noqa: ANN001 - a sre SubPattern or item list
    """(class items the character where a match of `seq` starts may be, whether `seq` may
    match without looking at that character at all: nothing, or only assertions).
    A lookahead looks at it: "(?=(保洁|空调))" matches nothing, but only before 保 or 空."""
    chars: list[str] = []
    for op, av in seq:
        if op is C.ASSERT and av[0] == 1:  # a lookahead, here before anything is consumed
            got, empty = _first(av[1])
            if not empty:
                return chars + got, False
            continue
        if op in _ZERO_WIDTH:
            continue
        if op is C.LITERAL:
            return chars + [_char(av)], False
        if op is C.IN:
            return chars + _class_items(av), False
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown
            got, empty = _first(sub)
        elif op is C.ATOMIC_GROUP:
            got, empty = _first(av)
        elif op is C.BRANCH:
            got, empty = [], False
            for alt in av[1]:
                alt_chars, alt_empty = _first(alt)
                got += alt_chars
                empty = empty or alt_empty
        elif op in _REPEATS:
            low, _high, sub = av
            got, empty = _first(sub)
            empty = empty or low == 0
        else:  # ANY, NOT_LITERAL, a back reference, a conditional…
            raise _Unknown
        chars += got
        if not empty:
            return chars, False
    return chars, True


def _already_fast(parsed) -> bool:  # noqa: ANN001 - a sre SubPattern
    """The engine finds its own first-character check: a literal or a class first."""
    data = parsed.data
    while data and data[0][0] is C.SUBPATTERN and not data[0][1][1] and not data[0][1][2]:
        data = data[0][1][3].data
    return bool(data) and data[0][0] in (C.LITERAL, C.IN)


@lru_cache(maxsize=1024)
def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - re.compile's twin
    """`re.compile(pattern, flags)`, guarded by the characters a match can begin with.

    Kept, as `re.compile` keeps its own: every parser built for a catalog (the test
    suite builds thousands) compiles the same service patterns, and working out the
    guard costs a second parse of the pattern."""
    plain = re.compile(pattern, flags)
    if flags & re.VERBOSE or _parser is None:
        return plain
    try:
        parsed = _parser.parse(pattern, flags)
        if (parsed.state.flags ^ flags) & _INLINE_FLAGS or _already_fast(parsed):
            return plain
        chars, empty = _first(parsed)
    except Exception:  # _Unknown, or the private parser changed: the guard is only a speed-up
        return plain
    if empty or not chars:
        return plain
    guarded = re.compile(f"(?=[{''.join(dict.fromkeys(chars))}])(?:{pattern})", flags)
    if guarded.groups != plain.groups or guarded.groupindex != plain.groupindex:
        return plain
    return guarded
