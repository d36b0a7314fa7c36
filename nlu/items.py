"""The things one booking names for its one service: "空调清洗跟油烟机清洗", "修空调和洗衣机",
"2台空调和1台油烟机", "aircon cleaning and range hood cleaning".

The order has one service and one quantity, and a service's name often holds what it is
done to (空调清洗, 修空调): two of them named for the same service read as that service
once, and the second thing was lost without a word (a washing machine nobody came for),
or an appliance cleaning priced per appliance was quoted for one. The things are the
catalog's *objects* (nlu.services): each named as written with its count (1 unless one is
said right before it, "2台空调"), for the dialogue to note them for the technician and,
for a service priced per item, to count them. A count of several things adds up ("2台空调
和1台油烟机" is 3), which no one quantity slot says (nlu.slots._not_added_up).
"""

from __future__ import annotations

import re
from typing import Callable

from nlu import guarded
from nlu.numerals import EN_NUMBER_ALT, NUM_CLASS, to_int
from nlu.services import KINDS
from nlu.spans import Span

# A count right before a thing: "2台", "两个", "3 " (English: "2 aircons").
_COUNT_RE = guarded.compile(
    rf"(?<![a-z0-9])(?P<n>{NUM_CLASS}{{1,3}}|{EN_NUMBER_ALT})\s*(?:台|个|部|只|套|件|张)?\s*(?:的)?\s*$", re.IGNORECASE)
_COUNT_REACH = 8


def find_items(norm: str, wide: str, things: Callable[[str], list[Span]],
               term: Span | None = None) -> list[tuple[str, int]] | None:
    """The things `norm` names, each as written in `wide` (with its count, "2台空调") and its
    count, or None when it names fewer than two different ones (one thing is the service's
    own, its count the quantity slot's). `things(text)`: the catalog objects in a text.
    `term`: where `norm` names the service; one term names one thing at most, so the
    objects inside it after the first are its words ("被锁门外" names no lock and door)."""
    out: list[tuple[str, int]] = []
    named = _named(norm, things)
    if term is not None:
        inside = [s for s in named if term.start <= s.start and s.end <= term.end]
        named = [s for s in named if s not in inside[1:]]
    for span in named:
        m = _COUNT_RE.search(norm, max(0, span.start - _COUNT_REACH), span.start)
        n = to_int(m["n"]) if m else None
        start = m.start() if m and n else span.start
        stop = span.end
        while stop < len(norm) and norm[stop].isascii() and norm[stop].isalpha():  # "2 aircons"
            stop += 1
        out.append((wide[start:stop].strip(), n if n and 0 < n < 100 else 1))
    return out if len(out) >= 2 else None


# One thing's spellings ("air conditioner", then "another AC"): the catalog lists each as an object
# of its own, so a note that names the thing once must not name it again in another spelling.
_SPELLINGS: tuple[frozenset[str], ...] = tuple(frozenset(group) for group in (
    ("空调", "冷气", "air conditioner", "air conditioners", "air con", "aircon", "aircons", "ac", "acs", "a/c"),
    ("冰箱", "fridge", "fridges", "refrigerator", "refrigerators"),
    ("油烟机", "抽油烟机", "range hood", "range hoods", "cooker hood", "cooker hoods"),
    ("洗衣机", "washing machine", "washing machines", "washer", "washers"),
))


def same_thing(a: str, b: str) -> bool:
    """Whether two notes name one thing, in one spelling or two ("air conditioner" and "AC"):
    what a technician reads once (handlers.slots.joined_notes)."""
    a, b = a.strip().lower(), b.strip().lower()
    return a == b or any(a in group and b in group for group in _SPELLINGS)


def one_thing(norm: str, wide: str, things: Callable[[str], list[Span]]) -> list[Span]:
    """The one thing `norm` names, as written in `wide` without its count ("清洗两台空调" → 空调,
    "clean 3 aircons" → aircon), or none when it names none or several (`find_items`): for a
    service priced per item its count is the quantity slot's, the thing itself the note's."""
    named = _named(norm, things)
    return [Span(t.start, t.end, wide[t.start:t.end].strip()) for t in named] if len(named) == 1 else []


def _named(norm: str, things: Callable[[str], list[Span]]) -> list[Span]:
    """The different things `norm` names, each once, none inside another (油烟机 inside 抽油烟机)
    and no kind (家电)."""
    out: list[Span] = []
    seen: set[str] = set()
    end = 0
    for span in things(norm):
        name = str(span.value)
        if span.start < end or name in KINDS or name in seen:  # 油烟机 inside 抽油烟机
            continue
        end = span.end
        seen.add(name)
        out.append(span)
    return out


# The sorts of one thing, which a customer counts one by one ("挂机2台柜机1台": three air
# conditioners): no catalog object each (空调 is), so `find_items` does not see them.
_SORTS = ("挂机", "柜机", "挂式", "柜式", "立式", "壁挂", "天花机", "吸顶机", "风管机", "窗机", "中央空调")
_SORT = rf"(?:{'|'.join(_SORTS)})(?:空调)?"
_SORT_COUNT_RE = guarded.compile(
    rf"(?P<before>{_SORT})\s*(?P<n>{NUM_CLASS}{{1,3}})\s*台|(?P<m>{NUM_CLASS}{{1,3}})\s*台\s*(?:的)?\s*(?P<after>{_SORT})")


def sorts_counted(norm: str, wide: str) -> list[tuple[str, int]] | None:
    """The sorts of one thing `norm` counts each ("挂机2台柜机1台", "2台挂机1台柜机"): each as
    written in `wide` with its count, or None for fewer than two. Their counts add up to how
    many of the thing there are, as for `find_items`."""
    out: list[tuple[str, int]] = []
    for m in _SORT_COUNT_RE.finditer(norm):
        n = to_int(m["n"] or m["m"])
        if n and 0 < n < 100:
            out.append((wide[m.start():m.end()].strip(), n))
    return out if len(out) >= 2 else None
