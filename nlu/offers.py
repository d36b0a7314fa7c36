"""Asking whether the business does something: "有家教吗", "能做美甲吗", "do you do pest control".

Such a message either names a catalog service (then it is a question about an offer:
the price and "shall I book it?" answer it) or names something the business does not
do. Only whole messages of these shapes count, so that random text, a complaint or a
sentence that merely contains 有…吗 is never told "we don't offer that".
"""

from __future__ import annotations

import re
from typing import NamedTuple

from nlu import guarded

_ZH_WHAT = r"(?P<what>[\u4e00-\u9fff]{2,8}?)"
_ZH_TAIL = r"(?:服务|业务|项目)?(?:吗|么|嘛)?\W*$"
_ZH_HEAD = r"^\W*(?:(?:请问|你好|您好)\W*)?(?:(?:你们|你家|贵公司|这里|这边|店里)\W*)?"
_EN_WHAT = r"(?:an? |any |some )?(?P<what>[a-z][a-z' -]{1,30}?)"

# (pattern, whether it asks if we do it, as opposed to asking for it)
_SHAPES: tuple[tuple[re.Pattern[str], bool], ...] = tuple((guarded.compile(p, re.IGNORECASE), q) for p, q in (
    (_ZH_HEAD + r"(?:有没有|有无|能不能做|可不可以做|做不做|接不接|能做|可以做|会做|提供|做|接)" + _ZH_WHAT + _ZH_TAIL, True),
    (_ZH_HEAD + r"有" + _ZH_WHAT + r"(?:服务|业务|项目)?(?:吗|么|嘛)\W*$", True),
    (r"^\W*(?:我)?(?:想|要)(?:约|预约|订|找|请)(?:个|一个|一位|位|一下)?" + _ZH_WHAT + r"\W*$", False),
    (r"^\W*(?:我)?(?:需要|想要)(?:一个|一位|个|位)" + _ZH_WHAT + r"\W*$", False),
    (r"^\W*(?:do|can|could|would) (?:you|you guys|y'?all)(?: also)? (?:do|offer|provide|handle|help with|fix|clean)"
     r" " + _EN_WHAT + r"(?: services?)?\W*$", True),
    (r"^\W*(?:do you|you) (?:have|offer) " + _EN_WHAT + r" services?\W*$", True),
    # "do you have english tutors?", "hi, do you guys have nannies": a question, so its "?" or a greeting
    (r"^\W*(?:(?:hi|hello|hey)\W+)?(?:do|does) (?:you|you guys|y'?all|your company) (?:have|offer|provide) "
     + _EN_WHAT + r"(?: services?)?\s*\?+\W*$", True),
    (r"^\W*(?:i|we) (?:need|want|would like|'d like|am looking for|'m looking for) (?:to book )?" + _EN_WHAT + r"\W*$",
     False),
))

# Words the shapes above catch that name no service: people, time, money, the chat itself.
_NO_SERVICE = frozenset({
    "师傅", "人工", "客服", "真人", "时间", "空位", "优惠", "折扣", "活动", "发票", "问题", "别的", "其他", "其它",
    "什么", "哪些", "多久", "多长时间", "多少时间", "电话", "微信", "地址", "位置", "名额", "预约", "订单", "员工", "上门", "周末",
    "help", "hand", "person", "human", "someone", "somebody", "anyone", "time", "moment", "minute", "second",
    "quote", "price", "prices", "discount", "receipt", "invoice", "appointment", "booking", "visit", "slot",
    "slots", "refund", "reply", "answer", "thing", "that", "this", "it", "weekends", "evenings", "technician",
    "me", "us", "them", "my", "our",
    # what "do you have …?" asks besides a service: room in the diary, ways to reach us, assurances
    "availability", "available", "openings", "opening", "space", "spots", "spot", "room", "wechat", "whatsapp",
    "email", "website", "app", "number", "insurance", "license", "licence", "reviews", "warranty",
    "guarantee", "hours", "staff", "people", "anything", "free", "office", "shop", "store", "question", "questions",
})


# The trade itself, asked after ("做家政吗", "do you do home services?"): all that we do, no one
# thing we don't; answered with the services and their prices.
_THE_TRADE = frozenset({
    "家政", "家政服务", "家务", "家务活", "上门服务", "家庭服务",
    "housework", "house work", "home", "household", "domestic", "chores", "home help", "home repairs",
})


def names_the_trade(what: str) -> bool:
    """Whether what a message asks for (`Ask.what`) is the line of work itself (pure)."""
    return what.casefold().strip() in _THE_TRADE


# Such questions are short; a longer message is about more than whether we do a thing.
MAX_CHARS = 40


class Ask(NamedTuple):
    """What the message asks about, as written, and whether it asks if we do it."""

    what: str
    question: bool


def asked_for(norm: str) -> Ask | None:
    """The thing a whole message asks for or asks whether we do, or None (pure)."""
    if len(norm) > MAX_CHARS:
        return None
    for rx, question in _SHAPES:
        m = rx.match(norm.strip())
        if m:
            what = m["what"].strip()
            words = what.casefold().split()
            if what.casefold() in _NO_SERVICE or words[0] in _NO_SERVICE or words[-1] in _NO_SERVICE:
                return None
            return Ask(what, question)
    return None
