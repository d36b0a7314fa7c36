"""A note for the technician inside a message: "备注：带梯子", "Note: we have a dog",
"家里有猫请别开阳台门".

Notes are free text, not a slot the NLU can check, so they are cut off the message
before it is read: "备注：带梯子，明天下午来" must not book the afternoon twice, nor
"note: 2 cats" a quantity. Three forms, from the surest:

- the whole message is one, labelled (`whole_note`): "备注：家里有猫", "备注家里有猫";
- a labelled clause after the booking (`find_note`): "…，备注：带梯子", "…. Note: we have a dog",
  "… PS bring a ladder"; the label needs its colon there (or PS its pause), since 注意 and
  note are ordinary words inside a sentence;
- a last clause that tells the technician what to do or not (`instruction`): "…，家里有猫请别开
  阳台门", "…, please bring a ladder". The caller checks it is not another slot ("…，请下午3点来").
"""

from __future__ import annotations

import re

from nlu.spans import Span

MAX_NOTE = 500
_WHOLE_RE = re.compile(
    r"^\s*(?:(?:备注|留言|补充|(?:notes|note|p\.s\.|ps)(?![a-z0-9]))\s*[:：,，]?|注意\s*[:：])\s*(?P<note>\S.*)$",
    re.IGNORECASE | re.DOTALL)
_INLINE_RE = re.compile(
    r"(?<=[，,。.;；!！?？\s])"
    r"(?:(?:备注|留言|注意|notes|note)\s*[:：]|(?:p\.s\.|ps)(?![a-z0-9])\s*[:：,]?)"
    r"\s*(?P<note>\S.*)$",
    re.IGNORECASE | re.DOTALL)
_CLAUSE_END_RE = re.compile(r"[，,。;；!！]|\.(?=\s)")
# What tells the technician what to do or not: 请别, 别(not 特别/区别/别墅), 不要 (not 不要了), 记得,
# 务必; "please …", "don't …" opening an English clause.
_INSTRUCTION_RE = re.compile(
    r"请(?:别|勿|不要)|(?<![特区分告离级])别(?!墅|人|的)|不要(?!了)|记得|务必|千万"
    r"|^\s*(?:please|pls|do not|don't|dont|remember to)\s+\S+\s+\S", re.IGNORECASE)


def whole_note(text: str) -> str | None:
    """The note when the whole message says it is one ("备注：家里有猫"), else None."""
    m = _WHOLE_RE.match(text)
    return _clip(m.group("note")) if m else None


def find_note(text: str) -> Span | None:
    """The labelled note in `text`, whole or after the booking ("…，备注：带梯子"): where it
    starts (its label) and its words, which run to the end of the message."""
    m = _WHOLE_RE.match(text) or _INLINE_RE.search(text)
    if m is None or not m.group("note").strip():
        return None
    start = 0 if m.re is _WHOLE_RE else m.start()
    return Span(start, len(text), _clip(m.group("note")))


def instruction(text: str) -> Span | None:
    """The last clause of a message of several, when it tells the technician what to do
    or not ("…，家里有猫请别开阳台门"); whether it is another slot is for the caller to say."""
    ends = [m for m in _CLAUSE_END_RE.finditer(text.rstrip(" 。.!！~～"))]
    if not ends:
        return None
    start = ends[-1].end()
    clause = text[start:].strip()
    if len(clause) < 4 or not text[:ends[-1].start()].strip() or not _INSTRUCTION_RE.search(clause):
        return None
    return Span(start, len(text), _clip(clause.rstrip("。.!！~～ ")))


def _clip(note: str) -> str:
    return note.strip()[:MAX_NOTE]
