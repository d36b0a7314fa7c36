"""A pasted form: a message of labelled fields, one a line or parted by ；/; .

Customers copy the fields of an order form (a shop's, a WeChat address card, their own
notes) and fill them in: "小区：远洋山水\\n楼号：12号楼2单元1101\\n时间：12月3日 14:00",
"Estate: Seasons Park; Building: 5; Room: 302". The readers after it know one label for the
address (地址：/Address:), not its parts labelled one by one, and a note's label (备注：) runs to
the end of the message, so a field after it was never read. `as_read` rewrites such a
message into the one the readers know: the address's parts (and the lines under them that
are more of it) joined into one 地址：/Address: field where the first of them was, the lines
made clauses (the readers take a line break for a space), and the note's field moved last.
The other fields (name, phone, service, time) are left as written, which the readers take by
their values.

Pure text in, text out; a message that is no such form is returned as it came.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from nlu import guarded
from nlu.address import continues_address, with_units
from nlu.normalize import has_cjk

# The parts of an address a form asks for one by one, from the widest, in the order a
# Chinese address is written (a form's lines may come in any order: "详细地址" then "所在地区").
_REGION, _ESTATE, _PLACE, _BUILDING, _UNIT, _FLOOR, _ROOM = range(7)
_ZH_PARTS: dict[str, int] = {
    **dict.fromkeys(("所在地区", "所在地", "地区", "区域", "所在区域", "城市", "所在城市", "省市区", "街道"), _REGION),
    **dict.fromkeys(("小区", "所在小区", "小区名称", "小区名", "楼盘", "楼盘名称", "社区", "大厦", "写字楼", "园区"), _ESTATE),
    **dict.fromkeys(("地址", "详细地址", "上门地址", "服务地址", "收货地址", "家庭地址", "住址", "门牌地址", "地点"), _PLACE),
    **dict.fromkeys(("楼号", "楼栋", "楼栋号", "栋号", "栋", "幢", "楼宇"), _BUILDING),
    **dict.fromkeys(("单元", "单元号"), _UNIT),
    **dict.fromkeys(("楼层", "层"), _FLOOR),
    **dict.fromkeys(("门牌号", "门牌", "房号", "房间号", "房间", "室号", "户号"), _ROOM),
}
# What a bare number of such a field is said with: "楼号：12" is 12号楼, "单元：2" is 2单元.
_ZH_SUFFIX = {_BUILDING: "号楼", _UNIT: "单元", _FLOOR: "层"}
# English: the places, said as written, and the units, said with their word ("Building: 5" is
# "Building 5"). Not "area", which a form asks in square metres.
_EN_PLACES: dict[str, int] = {
    **dict.fromkeys(("district", "city"), _REGION),
    **dict.fromkeys(("estate", "compound", "community", "complex", "residence"), _ESTATE),
    **dict.fromkeys(("address", "addr", "street"), _PLACE),
}
_EN_UNITS = ("building", "bldg", "block", "tower", "unit", "flat", "apt", "apartment", "suite", "room", "rm",
             "floor")
# The other fields of an order form: read by their values, known here so that one written on
# the same line as an address's part ends it ("小区：远洋山水，电话：138…").
_ZH_OTHERS = ("联系人", "姓名", "称呼", "名字", "收货人", "手机", "手机号", "手机号码", "电话", "联系电话",
              "电话号码", "联系方式", "服务", "服务项目", "服务类型", "项目", "上门时间", "预约时间", "时间",
              "日期", "预约日期")
_EN_OTHERS = ("name", "phone", "tel", "mobile", "contact", "service", "time", "date", "when")
_NOTES = ("备注", "留言", "补充", "notes", "note", "remarks", "remark")


def _alternation(labels: Iterable[str]) -> str:
    """Longest first, so that 详细地址 is not read as 地址 nor "notes" as "note"."""
    return "|".join(sorted((re.escape(label) for label in labels), key=len, reverse=True))


_LABELS = _alternation([*_ZH_PARTS, *_EN_PLACES, *_EN_UNITS, *_ZH_OTHERS, *_EN_OTHERS, *_NOTES])
# A field: its label and colon at the start of a line or after ；/; , or after a comma or a
# space on the line of another field. Not a label inside a word ("Roommate: …").
_FIELD_RE = guarded.compile(
    rf"(?:^|(?<=[\n；;，,、\s]))\s*(?P<label>{_LABELS})(?![A-Za-z])\s*[:：]\s*", re.IGNORECASE)
# What parts a field from the next: a line break or ；/; , or a comma on the same line.
_SEPARATOR_RE = guarded.compile(r"[ \t，,、]*(?:\n|；|;)?[ \t]*")
_LINE_END_RE = guarded.compile(r"\n|；|;")
_LINE_BREAK_RE = guarded.compile(r"[ \t]*\n\s*")
_BARE_RE = guarded.compile(r"[A-Za-z]?\d+[A-Za-z]?|[A-Za-z]")


@dataclass(frozen=True, slots=True)
class _Field:
    start: int  # where its label starts
    end: int  # where its value ends (before the separator)
    label: str  # lower-cased
    value: str


def _fields(text: str) -> list[_Field]:
    """The labelled fields of `text`, in order; each value runs to the next field or the end of
    its line (or ；/;), a note's to the next field (its lines are one note), an address part's
    over the lines under it that are more of the address (`continues_address`)."""
    starts = list(_FIELD_RE.finditer(text))
    out = []
    for i, m in enumerate(starts):
        label = m.group("label").lower()
        limit = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        stop = None if label in _NOTES else _LINE_END_RE.search(text, m.end(), limit)
        end = stop.start() if stop else limit
        lines = [text[m.end():end]]
        while stop is not None and _is_part(label):
            start = stop.end()
            stop = _LINE_END_RE.search(text, start, limit)
            line = text[start:stop.start() if stop else limit]
            if not continues_address(line):
                break
            lines.append(line)
            end = stop.start() if stop else limit
        lines = [line.strip(" \t\n；;，,、") for line in lines]
        value = with_units(lines[0], lines[1:]) if lines[0] and has_cjk(text) else ", ".join(filter(None, lines))
        out.append(_Field(m.start(), m.start() + len(text[m.start():end].rstrip(" \t\n；;，,、")), label, value))
    return out


def _is_part(label: str) -> bool:
    return label in _ZH_PARTS or label in _EN_PLACES or label in _EN_UNITS


def _part(field: _Field) -> tuple[int, str] | None:
    """(rank, text) of an address's part said in `field`, None for another field. A unit's
    field says a number or a letter ("Floor: wooden", "楼层：高层" say what the floor is like)."""
    label, value = field.label, field.value
    if (_ZH_PARTS.get(label, _PLACE) > _PLACE or label in _EN_UNITS) and not (
            any(c.isdigit() for c in value) or _BARE_RE.fullmatch(value)):
        return None
    if label in _ZH_PARTS:
        rank = _ZH_PARTS[label]
        bare = _BARE_RE.fullmatch(value) is not None
        return rank, value + _ZH_SUFFIX.get(rank, "") if bare else value
    if label in _EN_PLACES:
        return _EN_PLACES[label], value
    if label in _EN_UNITS:
        bare = _BARE_RE.fullmatch(value.lstrip("#")) is not None
        return _ROOM, f"{label.capitalize()} {value}" if bare else value
    return None


def _address(parts: list[tuple[int, str]]) -> str:
    """The parts as one address: in Chinese from the widest part down, run together
    (`with_units`); in English as written, after commas. A part another already holds
    ("所在地区：北京市朝阳区" above "详细地址：北京市朝阳区望京…") is said once."""
    chinese = any(has_cjk(text) for _, text in parts)
    ordered = [text for _, text in (sorted(parts, key=lambda p: p[0]) if chinese else parts)]
    kept = [t for i, t in enumerate(ordered) if not any(t in other for j, other in enumerate(ordered) if j != i
                                                         and (t != other or j < i))]
    if not chinese:
        return ", ".join(kept)
    return with_units(kept[0], kept[1:])


def as_read(text: str) -> str:
    """`text` with a form's address parts joined into one address field, its lines made
    clauses (；/; : the readers take a line break for a space, and ran "楼号：…1101" and "时间"
    of the next line into one address) and its note's field moved last (see the module's
    docstring); `text` itself when it holds no form of two fields or more. The address is
    joined only when a place is among its parts (小区, 地址, Estate…): units alone ("Room: 302",
    "房号：1503") put right the room of an address said before."""
    fields = _fields(text)
    parts = [(f, p) for f in fields if f.value and (p := _part(f)) is not None]
    placed = any(rank <= _PLACE for _, (rank, _) in parts)
    if not placed and len(parts) < 2:
        parts = []  # one unit among other fields ("服务：保洁\n房号：302") is read by its label
    if len(fields) < 2 and not (parts and parts[0][1][0] < _PLACE):  # "小区：远洋山水" alone is an address too
        return text
    note = next((f for f in fields if f.label in _NOTES and f.value), None)
    chinese = has_cjk(text)
    first = parts[0][0] if parts else None
    gone = {f.start for f, _ in parts[1:]} | ({note.start} if note else set())
    out, pos = [], 0
    for f in fields:
        if f is first:
            # Units without their place ("楼号：5，房号：302") are said as such: the rest of the address
            # said before (nlu.corrections.room_fix), no new one.
            label = ("地址：" if chinese else "Address: ") if placed else ""
            out.append(text[pos:f.start] + label + _address([p for _, p in parts]))
            pos = f.end
        elif f.start in gone:
            out.append(text[pos:f.start])
            pos = _SEPARATOR_RE.match(text, f.end).end()  # type: ignore[union-attr]
    out.append(text[pos:])
    clause = "；" if chinese else "; "
    body = _LINE_BREAK_RE.sub(clause, "".join(out).strip(" \t\n；;，,"))
    return body + clause + text[note.start:note.end] if note else body
