"""Replies that put right or take back what the bot read back: "是T2不是T1" and
"门牌号是1503" (part of the address), "电话错了" (a detail said wrong, the right one
not given), "对 但是…" (a yes that goes on with a but), "算了 直接取消吧" (the order
cancelled, not only the change of its time), "不要明天了，后天吧" (a value said not to be,
which the pipeline masks when one is said instead: `said_not`).

None of these is a contract slot or intent: the pipeline gives them as flags
(``replaces``, ``room_fix``, ``wrong_field``, ``yes_but``, ``cancel_the_order``) and
the dialogue decides what they mean where it is. Each reader is one precompiled
search, or runs only when a word it cannot match without is there: they run on
every message. They read the message as typed, before a note is cut off it, as the
dialogue read it when they lived there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from nlu import guarded
from nlu.address import en_units, units_only, with_units
from nlu.normalize import has_cjk

# Part of an address put right in so many words: "是T2不是T1", "不是T1是T2", "it is Apt 5 not Apt 3".
_PART = r"[^\s是不，,。；;！!？?]{1,20}?"
# A part starts a word, and its word before the number is a name ("Apt 5", "T2"), never a verb or
# an article: "the flat is 1503 not 1203" puts right "1203" with "1503", not with "is 1503"; nor the
# "s" of "it's T2 not T1".
_EN_PART = (r"(?<!['’])\b(?:(?!(?:is|was|are|be|it|its|it's|the|a|an|not|and|but|to|now|number|no)\b)[a-z]+\s+)?"
            r"[a-z]?\d[\w-]*")
_PART_FIXES = (
    guarded.compile(rf"是\s*(?P<new>{_PART})\s*[，,]?\s*(?:而)?不是\s*(?P<old>{_PART})(?=$|[\s，,。；;！!？?了的])"),
    guarded.compile(rf"不是\s*(?P<old>{_PART})\s*[，,]?\s*(?:而)?是\s*(?P<new>{_PART})(?=$|[\s，,。；;！!？?了的])"),
    guarded.compile(rf"(?P<new>{_EN_PART})\s*,?\s*(?:and\s+)?not\s+(?P<old>{_EN_PART})\b", re.IGNORECASE),
    guarded.compile(rf"\bnot\s+(?P<old>{_EN_PART})\s*,?\s*(?:but\s+|it'?s\s+)*(?P<new>{_EN_PART})\b", re.IGNORECASE),
)
# A time of day said instead ("sorry, 4pm not 3", "是4点不是3点"): the hour put right, no part of
# the address ("Apt 1203" became "Apt 1204pm").
# "sorry, 4 not 3": two bare numbers that may be hours are the hour put right (`framed_hour`).
_HOUR_NUMBER = guarded.compile(r"0?[1-9]|1[0-2]")
_MINUTES_OF = guarded.compile(r"\d[:.]\Z")  # "4:30 not 3": its "30" is the minutes of a time
_CLOCK_TIME = guarded.compile(r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|点|时)|\d{1,2}:\d{2}", re.IGNORECASE)
# Each of `_PART_FIXES` needs 不是 or "not": without either, none is tried.
_NOT = guarded.compile(r"不是|not", re.IGNORECASE)
# A flat's room as English writes it, its word and its number: "apt 1203", "Rm 5B", "unit 3".
_EN_ROOM = r"(?<![a-z0-9])(?:flat|apt|apartment|unit|suite|room|rm)\.?\s*#?\s*(?P<num>[a-z]?\d[a-z0-9-]*)(?![a-z0-9])"
_EN_ROOM_RE = guarded.compile(_EN_ROOM, re.IGNORECASE)
# "门牌号是1503", "房间号改成1503", "room number is 1503", "the flat is 12B", "wrong flat, 12B": the
# room's number, its word said before it (as the subject, or as wrong); "typo, should be apt 1302",
# "change it to apt 1302": the room as said.
_ROOM_FIX = guarded.compile(r"(?:门牌号?|房间号?|房号|室号)[^0-9]{0,6}?(?P<new>\d{2,5})(?!\d)"
                       r"|\b(?:room|apt|apartment|flat|unit)(?: number| no\.?)?"
                       r"(?:\s+(?:is|should be|to)|\s*[,:;-](?:\s*(?:it'?s|it is|should be))?)\s+#?(?P<en>\d{2,5}[a-z]?|\d[a-z])\b"
                       rf"|\b(?:should be|it'?s|it is|to)\s+(?P<unit>{_EN_ROOM.replace('?P<num>', '')})",
                       re.IGNORECASE)
# What may lead into a unit sent alone to put the address right: a "no", a label ("no, flat 12B",
# "不对，是4号楼", "sorry, it's 1806", "the address is flat 12B").
_UNIT_LEAD = guarded.compile(r"^\s*(?:(?:no|nope|sorry|oops|actually|correction)\b[\s,.!:;-]*"
                        r"(?:(?:it'?s|it is|should be|make it)\s+)?"
                        r"|(?:不对|不是|错了|写错了|说错了|打错了|搞错了|更正)[，,。.!！:：\s]*(?:应该|应)?(?:是|为)?\s*)*"
                        r"(?:(?:the\s+)?address\s*(?:is|should be|:)\s*)?", re.IGNORECASE)
# A number of three to five digits after such a lead ("不对，是1806", "no, 1806"), which no phone,
# time, date or count is: the room number of the address just given, mistyped. Alone ("1806") it
# is no correction.
_BARE_ROOM = guarded.compile(r"#?(?P<room>\d{3,5}[a-z]?)(?:室|号)?", re.IGNORECASE)
# A room number as English says it alone: "1503", "12B"; it replaces the number of the room.
_EN_ROOM_NUMBER = guarded.compile(r"\d+[a-z]?", re.IGNORECASE)
# A unit's kind by its word: a tower is a building, "fl" a floor; any other is the flat's.
_UNIT_KINDS = {"building": "building", "bldg": "building", "block": "building", "tower": "building",
               "floor": "floor", "fl": "floor"}
# A unit's number or letter, at its end: "12B" of "flat 12B", "A" of "Tower A".
_UNIT_VALUE_RE = guarded.compile(r"(?:[a-z]?\d[a-z0-9-]*|(?<![a-z])[a-z])$", re.IGNORECASE)
# A room number in a Chinese address: three digits or more ("T1-1203" 的 1203, not T1's 1).
_LAST_ROOM_NUMBER = guarded.compile(r"\d{3,}(?!.*\d)", re.DOTALL)
# A room as a number alone ("1503", "1503室"): it puts right the room number, the building kept.
_ROOM_NUMBER_ONLY = guarded.compile(r"(?P<num>\d{3,})\s*(?P<room>室)?")
# One unit of a Chinese address alone, of a kind its word says ("4号楼", "3单元", "12层", "B座"):
# it puts right that unit of the address only.
_ZH_UNIT_NUMBER = r"(?:[a-z]?\d+[a-z]?|[a-z])"
_ZH_ONE_UNIT = guarded.compile(rf"{_ZH_UNIT_NUMBER}\s*(?P<kind>号楼|号院|单元|层|栋|幢|座)", re.IGNORECASE)
# The kinds of unit that are a building ("4号楼", "5栋", "B座"): said alone, what stands before an
# address's room number ("T1" of "T1-1203").
_BUILDING_KINDS = ("号楼", "号院", "栋", "幢", "座")
# The building that leads the units an address ends with ("T1-" of "T1-1203", "5号楼" of
# "5号楼1单元802"), a unit or number after it.
_LEAD_BUILDING = guarded.compile(rf"{_ZH_UNIT_NUMBER}\s*(?:号楼|号院|楼|栋|幢|座)?\s*-?\s*(?=[a-z]?\d)", re.IGNORECASE)
# The building a Chinese address ends with, no room after it ("望京SOHO T1", "幸福小区T1栋", "5号楼",
# "A座"): a lettered tower, or a number or letter with a building's word; not a street's number
# ("建国路88号") nor a bare number. What a building said alone puts right.
_LAST_BUILDING = guarded.compile(r"(?<![a-z0-9])(?:[a-z]\d+[a-z]?\s*(?:号楼|号院|楼|栋|幢|座)?"
                            r"|[a-z]?\d+[a-z]?\s*(?:号楼|号院|栋|幢|座)|[a-z]\s*座)\s*$", re.IGNORECASE)
# The building and room a Chinese address ends with ("T1-1203", "T1栋1203室", "5号楼 3单元 1203",
# "T1 1203"), not the street's number ("建国路88号1203" keeps "88号"): what a unit with its own
# building ("T1-1503", "5栋1503") sent alone replaces.
_LAST_UNIT = guarded.compile(r"(?<![a-z0-9])(?:[a-z]?\d+[a-z]?\s*(?:号楼|号院|楼|层|单元|栋|幢|座)?\s*-?\s*)*"
                        r"[a-z]?\d{3,}[a-z]?\s*室?\s*$", re.IGNORECASE)
# What English says of a detail said wrong, after it ("the address is incorrect", "address isn't
# right"): what nlu.intents reads as a correction too.
SAID_WRONG_EN = r"(?: is| was)? (?:wrong|incorrect|not (?:right|correct)|(?:isn'?t|wasn'?t) (?:right|correct))\b"
# "不要这个地址了", "不用原来的电话了": the detail given is given up, to be given again, and no
# order cancelled (nlu.intents does not read it as a cancel).
_GIVEN_UP = r"(?:不要|不用)(?:这个|那个|原来的?|之前的?|上次的?|旧的?)?"
DETAIL_GIVEN_UP = rf"{_GIVEN_UP}(?:地址|电话|手机号?|号码)了?"
# "电话错了", "地址不对", "wrong phone number", "不要这个地址了": that detail is to be given again.
# Tried in this order (a phone said wrong wins); each needs one of the words of `_WRONG`.
_WRONG_FIELD = {
    "phone": guarded.compile(rf"(电话|手机|号码)[^，,。]{{0,4}}(错了|不对|写错|有问题|有误|不正确)|wrong (phone|number)"
                        rf"|(phone|number){SAID_WRONG_EN}|{_GIVEN_UP}(电话|手机|号码)", re.IGNORECASE),
    "address": guarded.compile(rf"地址[^，,。]{{0,4}}(错了|不对|写错|有问题|有误|不正确)|wrong address|address{SAID_WRONG_EN}"
                          rf"|{_GIVEN_UP}地址", re.IGNORECASE),
}
_WRONG = guarded.compile(r"错了|不对|写错|有问题|有误|不正确|不要|不用|wrong|incorrect|n'?t (?:right|correct)"
                    r"|not (?:right|correct)", re.IGNORECASE)
# "改电话", "电话要改一下", "换个地址", "change my phone number": the whole message a wish to change that
# detail, the new one not said (one that says it, "电话改成139…", is an amendment), so it is asked for.
_CHANGE = r"(?:改|换|修改|更改|更换|变更)(?:一下|下|个)?"
_WISH = r"(?:我)?(?:要|想|得|需要)?"
_CHANGE_FIELD = {
    "phone": guarded.compile(
        rf"{_WISH}{_CHANGE}(?:我的|联系)?(?:电话|手机|号码)(?:号码?)?(?:吧|了)?"
        rf"|(?:我的|联系)?(?:电话|手机号?)(?:号码)?{_WISH}{_CHANGE}(?:吧|了)?"
        r"|(?:i (?:want|need|would like|'d like) to |can i |please )?(?:change|update) (?:my|the) "
        r"(?:phone|mobile|contact)(?: number)?(?: please)?", re.IGNORECASE),
    "address": guarded.compile(
        rf"{_WISH}{_CHANGE}(?:个)?(?:地址)(?:吧|了)?|地址{_WISH}{_CHANGE}(?:吧|了)?"
        r"|(?:i (?:want|need|would like|'d like) to |can i |please )?(?:change|update) (?:my|the) address(?: please)?",
        re.IGNORECASE),
}
_CHANGE_WORD = guarded.compile(r"改|换|更|change|update", re.IGNORECASE)
# "对，但是…", "好的 不过…", "yes, but…": a yes that goes on to take something back.
_YES_BUT = guarded.compile(r"但是|不过|可是|只是|\bbut\b|\bhowever\b", re.IGNORECASE)
# A cancel that is about the order itself, said while its time is being changed: "算了
# 直接取消吧", "cancel it instead". A bare "取消" then still drops only the change.
_CANCEL_THE_ORDER = guarded.compile(
    r"(直接|干脆|还是|那就|索性)取消|取消(掉)?(这个|那个|整个)?(订单|预约|单子)|不(要|约|做|用来)了"
    r"|\b(cancel\b.{0,30}\b(instead|altogether|entirely)|(just|rather|can (i|we)|could (i|we)) (just )?cancel"
    r"|canc(?:el|le|ell) (the|my) (whole )?(order|booking|appointment|visit))", re.IGNORECASE)

# A value said to be not the one, in a clause of its own ("不要明天了，后天吧", "不用下午了，改上午10点",
# "上午吧，不要下午", "不是深度保洁，是日常保洁", "是4点不是3点"): the no, the value (no 了/是/吧 in
# it) and a 了 or 吧 closing it; in English the value after "not" or "don't" up to a clause's end
# or "but" ("not 3pm, 4pm", "saturday, not tomorrow", "don't come tomorrow, come friday").
_SAID_NOT = (
    guarded.compile(r"(?:不是|不要|不用|不想要)\s*(?P<old>[^\s，,。；;！!？?了是吧]{1,12})\s*[了吧]?"
               r"(?=$|[\s，,。；;！!？?]|是)"),
    guarded.compile(r"\b(?:not|don'?t)\s+(?P<old>[^,.;!?]{1,25}?)\s*(?=$|[,;.!?]|\s+but\b)", re.IGNORECASE),
)
# "我不姓王": the surname said not to be, its value "姓王" (a name's reader reads "王" in it).
_NOT_SURNAME = guarded.compile(r"不(?P<old>姓\s*[^\s，,。；;！!？?])")
_SAID_NOTS = (*_SAID_NOT, _NOT_SURNAME)

Fix = tuple[str, str]  # (the part said wrong, the part said instead)


@dataclass(frozen=True, slots=True)
class SaidNot:
    """A clause that says a value is not the one: `clause` is its span (the no and the
    value), `value` the value's."""

    clause: tuple[int, int]
    value: tuple[int, int]


def said_not(norm: str) -> list[SaidNot]:
    """The clauses of a normalised message that say a value is not the one ("不要明天了，后天吧"
    → "不要明天了", its value "明天"), for the pipeline to drop what they name when the rest
    says the one instead; "不要擦玻璃了" alone, with nothing instead, stays a cancel.
    "我不姓王" gives "不姓王", its value "姓王"."""
    return [SaidNot(m.span(), m.span("old")) for pattern in _SAID_NOTS for m in pattern.finditer(norm)]


def part_fixes(text: str) -> list[Fix]:
    """Every (old, new) part of an address the message puts right ("是T2不是T1" → ("T1", "T2")),
    in the order `fixed_address` tries them; empty when it names no wrong part."""
    if not _NOT.search(text):
        return []
    return [(m.group("old"), m.group("new")) for pattern in _PART_FIXES for m in pattern.finditer(text)
            if not _CLOCK_TIME.fullmatch(m.group("new")) and not _MINUTES_OF.search(text, 0, m.start("new"))
            and not (_HOUR_NUMBER.fullmatch(m.group("new")) and _HOUR_NUMBER.fullmatch(m.group("old")))]


def room_fix(text: str) -> str | None:
    """The room a message gives as such ("门牌号是1503", "room number is 1503" → "1503"; "should be
    apt 1302" → "apt 1302"; "wrong flat, 12B" → "12B"), or the message when it is nothing but a
    unit ("Apt 5B", "1203室": sent after the street, the flat that was left out), after a "no" or
    a label ("no, flat 12B", "the address is flat 12B": a flat alone is no whole address), or
    the number a "no" puts right ("不对，是1806"), else None."""
    m = _ROOM_FIX.search(text)
    if m:
        return m.group("new") or m.group("en") or m.group("unit")
    lead = _UNIT_LEAD.match(text)
    rest = text[lead.end():]
    if lead.end() and (bare := _BARE_ROOM.fullmatch(rest.strip(" \t，,。.；;！!"))):
        return bare.group("room")
    return units_only(rest)


def room_only(text: str | None) -> bool:
    """Whether `text` is nothing but a room given as such ("门牌号是1503", "room number is 1503",
    "Apt 5B"): read as an address, it is a part of one, not a whole one to replace another."""
    return bool(text) and (bool(_ROOM_FIX.fullmatch(text.strip(" \t，,。.；;！!"))) or units_only(text) is not None)


def fixed_address(address: str | None, fixes: Sequence[Sequence[str]], room: str | None) -> str | None:
    """`address` with the first of `fixes` (`part_fixes`) whose wrong part it holds once
    replaced, else its room put right or added by `room` (`room_fix`, `with_room`), else None.

    Pure, for the dialogue to apply the flags ``replaces`` and ``room_fix`` to the address
    it read back: the NLU finds no address in such a message (a "T2" alone is none)."""
    if not address:
        return None
    folded = address.casefold()
    for old, new in fixes:
        at = folded.find(old.casefold())
        if at >= 0 and folded.count(old.casefold()) == 1 and old.casefold() != new.casefold():
            new = _without_what_precedes(folded[:at], new)
            start = _with_the_word_before(folded, at, new.casefold())
            return address[:start] + _as_written(new, address[start:at + len(old)]) + address[at + len(old):]
    return with_room(address, room) if room else None


def _without_what_precedes(before: str, new: str) -> str:
    """The Chinese new part without the words the address has right before the part put right:
    "领秀慧谷B区" for the "C区" of "… 领秀慧谷 C区 5号楼" is "B区", not "领秀慧谷 领秀慧谷B区"."""
    if new.isascii():
        return new
    before = before.rstrip()
    for k in range(len(new) - 1, 1, -1):
        if before.endswith(new[:k].casefold()):
            return new[k:]
    return new


def _as_written(new: str, old: str) -> str:
    """`new` with its first word as the address writes it when it is the same word: "tower 2" for
    the "Tower 1" of "Apt 1203, Tower 1, …" keeps "Tower"."""
    word, _, rest = new.partition(" ")
    was = old.split(" ", 1)[0]
    return f"{was} {rest}" if rest and was.casefold() == word.casefold() else new


def _with_the_word_before(folded: str, at: int, new: str) -> int:
    """Where the part put right starts when the new part repeats the word before it: "apt 1302"
    for the "1203" of "… apt 1203" replaces "apt 1203", not to read "apt apt 1302"."""
    word = new.split()[0] + " " if " " in new else ""
    return at - len(word) if word and folded[:at].endswith(word) else at


def with_room(address: str, room: str) -> str:
    """`address` with its room put right or added: its English room ("apt 1203") replaced, the
    number alone when only a number was said; else a Chinese address's room (`_with_chinese_room`);
    else the room joined on as a unit said apart ("12 Sanlitun Rd, Apt 5B"), a number alone as
    "Room 1503" (", 1503" reads as a street number), not put over the street's number."""
    by_kind = None if has_cjk(address) else _with_units_of_their_kind(address, room)
    if by_kind is not None:
        return by_kind
    rooms = list(_EN_ROOM_RE.finditer(address))
    number = _EN_ROOM_NUMBER.fullmatch(room) is not None
    if rooms:
        last = rooms[-1]
        start, end = last.span("num") if number else last.span()
        return address[:start] + room + address[end:]
    if has_cjk(address):
        return _with_chinese_room(address, room)
    return with_units(address, [f"Room {room}" if number else room])


def _with_units_of_their_kind(address: str, units: str) -> str | None:
    """An English `address` with the units said ("tower 8", "building 6 room 601") put over its
    own of the same kind, their numbers only ("Jianwai SOHO tower 8 flat 12B", not its flat put
    over by the tower); a tower or floor it has none of joined on, its flat kept ("…flat 12A,
    Tower 2"). None for a flat alone, or a flat with what the address has none of ("floor 12
    apt 1204"): `with_room` puts that over the flat."""
    said = en_units(units)
    kinds = [_unit_kind(u.value) for u in said]
    if set(kinds) <= {"flat"}:
        return None
    own = en_units(address)
    fixes = []
    for unit, kind in zip(said, kinds):
        same = [o for o in own if _unit_kind(o.value) == kind]
        if not same:
            return None if "flat" in kinds else with_units(address, [units])
        old, new = _UNIT_VALUE_RE.search(same[-1].value), _UNIT_VALUE_RE.search(unit.value)
        fixes.append((same[-1].start + old.start(), same[-1].start + old.end(), new.group()))
    for start, end, value in sorted(fixes, reverse=True):
        address = address[:start] + value + address[end:]
    return address


def _unit_kind(unit: str) -> str:
    """The kind of place an English unit names: a building, a floor, else the flat."""
    return _UNIT_KINDS.get(unit.split()[0].rstrip(".#").lower(), "flat") if unit.split() else "flat"


def _with_chinese_room(address: str, room: str) -> str:
    """A Chinese `address` with its room put right: a number alone ("1503", "1503室") over its
    room number (the building kept, "室" once); a unit with its building ("T1-1503", "5栋1503")
    over its building and room; joined on when it has none ("朝阳区望京SOHO T1" + "1503")."""
    one = _ZH_ONE_UNIT.fullmatch(room.strip())
    same = list(re.finditer(rf"(?<![a-z0-9]){_ZH_UNIT_NUMBER}\s*{one['kind']}", address, re.IGNORECASE)) if one else []
    if len(same) == 1:  # "4号楼" to "…5号楼802": that building only, its room kept
        return address[:same[0].start()] + room.strip() + address[same[0].end():]
    if one and not same and (kept := _unit_before_the_room(address, room.strip(), one["kind"])):
        return kept
    number_only = _ROOM_NUMBER_ONLY.fullmatch(room)
    old = (_LAST_ROOM_NUMBER if number_only else _LAST_UNIT).search(address)
    if not old:
        return with_units(address, [room])
    if not number_only:
        return address[:old.start()] + room + address[old.end():]
    rest = address[old.end():]
    suffix = "室" if number_only["room"] and not rest.lstrip().startswith("室") else ""
    return address[:old.start()] + number_only["num"] + suffix + rest


def _unit_before_the_room(address: str, unit: str, kind: str) -> str | None:
    """A Chinese `address` with one unit said alone of a kind it names none of, its room kept:
    a building over the building written its own way ("4号楼" to "望京SOHO T1-1203" → "望京SOHO
    4号楼1203"), any other unit put before the room ("3单元" → "望京SOHO T1 3单元1203"); a building
    over the building the address ends with when it has no room ("望京SOHO T1" → "望京SOHO 4号楼");
    None when it ends in neither. The customer changed that unit, not the flat they live in."""
    old = _LAST_UNIT.search(address)
    if old is None:
        last = _LAST_BUILDING.search(address) if kind in _BUILDING_KINDS else None
        return address[:last.start()] + unit + address[last.end():] if last else None
    room = _LAST_ROOM_NUMBER.search(address, old.start())
    building = _LEAD_BUILDING.match(address, old.start()) if kind in _BUILDING_KINDS else None
    building = building if building and building.end() <= room.start() else None
    cut, rest = (old.start(), building.end()) if building else (room.start(), room.start())
    head = address[:cut].rstrip(" -")
    # "望京SOHO T1" + "3单元": a space between; "中关村大厦 1608": the space written kept
    gap = " " if head[-1:].isascii() and head[-1:].isalnum() or address[len(head):cut].startswith(" ") else ""
    return head + gap + unit + address[rest:]


def wrong_field(text: str) -> str | None:
    """The detail a message says is wrong without giving the right one ("电话错了"), or that the
    whole message asks to change ("改电话", "change my phone number"), else None."""
    if _WRONG.search(text):
        return next((name for name, pattern in _WRONG_FIELD.items() if pattern.search(text)), None)
    if not _CHANGE_WORD.search(text):
        return None
    wish = " ".join(text.strip().strip("。.!！~～").split())
    return next((name for name, pattern in _CHANGE_FIELD.items() if pattern.fullmatch(wish)), None)


def yes_but(text: str) -> bool:
    """Whether the message goes on with a "but": said with a yes, not a yes to the summary as it stands."""
    return bool(_YES_BUT.search(text))


def cancel_the_order(text: str) -> bool:
    """Whether a cancel is of the order itself ("直接取消吧", "cancel it instead"), not only of
    the change of its time under way."""
    return bool(_CANCEL_THE_ORDER.search(text))
