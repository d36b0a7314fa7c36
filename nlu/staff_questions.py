"""Questions about the person we send: what they are like ("阿姨是女的吗", "is the cleaner a
woman?", `about_the_staff`) and who the technician of an order is or how to reach them
("哪位师傅来", "师傅电话多少", "what's the technician's number?", `technician_question`).

They sit apart from the note readers (nlu.notes) because they are no note: a staff word
("保洁阿姨", "cleaner") names no service and books nothing, and such a question is one for
staff or for the dialogue to answer from the order. Both readers share the staff words here.
"""

from __future__ import annotations

import re
from typing import Callable

# A question about when we can come is no question about the staff ("师傅几点到", "will the
# cleaner come at 3"): the same reader the note readers pass such questions over with.
from nlu.notes import WHEN_QUESTION_RE

# A question whose subject is the person who comes ("阿姨是女的吗", "is the cleaner a woman?"):
# the staff word is no service asked for ("cleaner", "保洁阿姨" name cleaning elsewhere), nor a
# booking, but a question for staff. Not when they come ("师傅几点到", "will the cleaner come at 3").
_STAFF_ZH = r"(?:保洁)?(?:阿姨|师傅|师父|保洁员|保洁师|工人|技师|小哥|维修工|搬运工)"
_STAFF_EN = (r"(?:cleaners?|cleaning lady|technicians?|techs?|workers?|staff|plumbers?|handyman|maids?|"
             r"electricians?|locksmiths?|movers?|guys?|person|engineers?|repairman|ayi|aunty)")
_STAFF_QUESTION_RE = re.compile(
    rf"^\s*(?:请问|那|那个|另外|还有|对了)?[，,\s]*(?:你们|你们的|你们家|派来的|上门的|来的)?\s*{_STAFF_ZH}"
    rf"\s*(?:是|会|有|能|可以|带|要|多大|年纪|几岁|男|女|哪里|专业|靠谱|怎么样|可靠)"
    rf"|^\s*(?:and|so|also|btw|by the way)?[,\s]*(?:is|are|will|would|does|do|can|could|how old is|what is|who is)\s+"
    rf"(?:the|your|my|our|this|that)\s+{_STAFF_EN}(?![a-z])",
    re.IGNORECASE)
_STAFF_WORD_RE = re.compile(rf"{_STAFF_ZH}|(?<![a-z])(?:the|your|my|our|this|that)\s+{_STAFF_EN}(?![a-z])",
                            re.IGNORECASE)


def about_the_staff(norm: str, is_question: bool, names_a_service: Callable[[str], bool]) -> bool:
    """Whether `norm` only asks about the person we send ("阿姨是女的吗", "is the cleaner a
    woman?"): a question (`is_question`) with the staff as its subject, not about when they come,
    naming no service once the staff words are taken out (`names_a_service`: "阿姨会擦玻璃吗" asks
    about window cleaning). "师傅是男的还是女的" asks with 还是 alone."""
    if not (is_question or "还是" in norm) or not _STAFF_QUESTION_RE.search(norm) or WHEN_QUESTION_RE.search(norm):
        return False
    return not names_a_service(_STAFF_WORD_RE.sub(" ", norm))


# Asking who the technician of their order is, or for the technician's number ("师傅电话多少",
# "哪位师傅来", "who is coming?", "what's the technician's number?"): a question about an
# order already booked, which the dialogue answers from the order, not a booking nor a note.
_CONTACT_ZH = r"(?:电话|手机|手机号|号码|联系方式|微信)"
_CONTACT_EN = r"(?:phone|number|contact|mobile|cell|whatsapp|wechat)"
_TECH_PHONE_RE = re.compile(
    rf"{_STAFF_ZH}(?:的)?{_CONTACT_ZH}|(?:怎么|如何)(?:联系|找到?|打给){_STAFF_ZH}"
    rf"|(?<![a-z]){_STAFF_EN}(?:'s|s'|s)?\s+{_CONTACT_EN}(?![a-z])"
    rf"|{_CONTACT_EN}(?:\s+number)?\s+(?:of|for)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])"
    rf"|(?:contact|reach|call)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])",
    re.IGNORECASE)
_TECH_WHO_RE = re.compile(
    rf"(?:哪位|哪个|哪一位|谁)(?:来|上门|过来)|(?:哪位|哪个|哪一位){_STAFF_ZH}(?!都|也)|派(?:了)?(?:谁|哪位)"
    rf"|{_STAFF_ZH}(?:是谁|叫什么|姓什么|贵姓)"
    r"|\bwho(?:'s| is| will be| are you)\s+(?:coming|sending|doing|coming over)\b|\bwho will come\b"
    rf"|\bwhich\s+{_STAFF_EN}(?![a-z])|\b(?:name of|who is|who's)\s+(?:the|your|my|our)\s+{_STAFF_EN}(?![a-z])"
    rf"|{_STAFF_EN}(?:'s|s')\s+name\b",
    re.IGNORECASE)


def technician_question(norm: str) -> str | None:
    """What the customer asks about the technician of their order: "phone" ("师傅电话多少",
    "what's the technician's number?"), "who" ("哪位师傅来", "who is coming?"), or None.
    The phone wins when both are asked ("哪位师傅来，电话多少" wants to reach them)."""
    if _TECH_PHONE_RE.search(norm):
        return "phone"
    return "who" if _TECH_WHO_RE.search(norm) else None
