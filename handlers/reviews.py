"""Pure rules for reading a review answer that is words rather than stars.

The NLU reads "5星", "五星", "4/5"; a customer answering the invitation may
instead just say "满意" or "一般", or "没有了" when asked for a comment. These
are the few answers the review question invites, so they are read here, only
while a review question is open.

Word ratings (`rating_from_words`), chosen so that a low word alerts the staff
(`LOW_RATING`) and a warm one does not:

- 1: 差评, 很差, 非常不满意, 👎, "terrible";
- 2: 不满意, 不好, "not good";
- 3: 一般, 一般般, 还行, 中评, "so-so": neither praise nor a complaint;
- 4: 不错, 挺好, "good";
- 5: 满意, 好评, 给个好评, 👍, "great": a thumbs-up answering "how many stars?" is
  approval, and asking again would cost the rating (most people do not answer twice).

A rating and its reason often come in one message ("4星，阿姨挺好的就是阳台没擦"): the
words after the rating are its comment (`comment_with_rating`), so the reason is not
lost and reaches the staff with a low rating.
"""

from __future__ import annotations

import datetime as dt
import re

from nlu.types import ParseResult

# Checked in this order: "不满意" contains "满意".
_WORD_RATINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("非常不满意", "很不满意", "差评", "很差", "太差", "极差", "👎", "terrible", "awful", "horrible",
         "very bad")),
    (2, ("不太满意", "不满意", "不怎么样", "不好", "disappointed", "not satisfied", "unsatisfied",
         "not good", "bad", "poor")),
    (3, ("一般般", "一般", "还行", "还可以", "凑合", "中评", "so-so", "average", "mediocre")),
    (5, ("非常满意", "很满意", "满意", "好评", "很好", "非常好", "很棒", "完美", "👍", "excellent", "great",
         "satisfied", "perfect", "amazing", "very good")),
    (4, ("不错", "挺好", "还不错", "good", "fine", "nice")),
)
_NO_COMMENT = re.compile(
    r"^(没有了?|没了|无|没|不用了?|算了|没什么|没啥|没有意见|就这样|谢谢|好的|好|嗯|"
    r"no|nope|none|nothing|no,? thanks?|thanks|thank you|ok|okay|that'?s all|n/?a)[。.!！~ ]*$",
    re.IGNORECASE)
_WORD_EDGE = re.compile(r"[a-z]")
MAX_COMMENT = 1000
LOW_RATING = 2  # this many stars or fewer alert the staff group at once
# Answers to "anything to tell us?" that are a new request whatever else they say.
REQUEST_INTENTS: tuple[str, ...] = ("reschedule", "cancel", "status", "price", "human", "greet")
_WHEN_SLOTS = ("date", "time", "period")


def rating_from_words(text: str) -> int | None:
    """1-5 from a short verbal answer ("满意" → 5, "一般" → 3, "不满意，没擦干净" → 2), else None.

    The message must open with the rating word, ending there or at a pause: a
    word inside a sentence is about something else ("不好意思晚点到" is an
    apology, "good morning" a greeting, neither a rating). A longer message
    needs a punctuation pause after the word: it is a rating and its reason.
    """
    read = _word_rating(text)
    return read[0] if read else None


def _word_rating(text: str) -> tuple[int, int] | None:
    """(rating, where the rating word ends) for a message that opens with one."""
    t = text.lower()
    lead = len(t) - len(t.lstrip())
    t = t.strip()
    if not t:
        return None
    given = _GIVEN.match(t)  # "给个好评": the word is the rating
    start = given.end() if given else 0
    for rating, words in sorted(_WORD_RATINGS, key=lambda rw: -max(map(len, rw[1]))):
        for w in sorted(words, key=len, reverse=True):
            rest = t[start + len(w):]
            if (t.startswith(w, start) and _ends_answer(rest, latin=bool(_WORD_EDGE.match(w)))
                    and (len(t) <= 20 or rest[:1] in _PUNCTUATION)):
                return rating, lead + start + len(w)
    return None


_GIVEN = re.compile(r"^(?:给|打)(?:你们|您)?(?:个|一个)?(?=\S)")
_PUNCTUATION = set("，,。.!！~～;；…")
_PAUSE = _PUNCTUATION | set("啊呀吧呢啦哦的了哈")
# Stars that open the message ("4星，…", "4 stars, …", "⭐⭐⭐⭐ …"), for the comment after them.
_LEADING_STARS = re.compile(
    r"^\s*(?:(?:给|打)(?:你们|您)?(?:个|一个)?)?"
    r"(?:[1-5１-５一二三四五两]\s*(?:颗星|个星|星|分)|(?:[1-5]|one|two|three|four|five)\s*-?\s*stars?(?![a-z])"
    r"|[1-5]\s*/\s*5|[⭐★🌟]{1,5})", re.IGNORECASE)
_COMMENT_EDGE = " \t\n，,。.!！~～;；…:：-—吧啊呀哦"
# What follows the rating that changes it rather than explaining it ("五星吧，不对，还是3星").
_ANOTHER_RATING = re.compile(r"\d\s*(?:颗星|个星|星|分|stars?)|[一二三四五两]\s*(?:颗星|个星|星)|不对|i mean",
                             re.IGNORECASE)


def comment_with_rating(text: str) -> str | None:
    """The comment said in the same message as the rating that opens it: "差评！师傅态度很差"
    → "师傅态度很差", "4 stars, the cleaner was great but forgot the balcony" → "the cleaner
    …". None when the rating stands alone, the rest says nothing ("5星，没了") or it
    changes the rating instead ("五星吧，不对，还是3星": the rating is read again)."""
    stars = _LEADING_STARS.match(text)
    words = _word_rating(text)
    end = stars.end() if stars else words[1] if words else None
    if end is None:
        return None
    rest = text[end:].strip(_COMMENT_EDGE)
    if not rest or is_no_comment(rest) or _ANOTHER_RATING.search(rest):
        return None
    return clean_comment(rest)


def _ends_answer(rest: str, *, latin: bool) -> bool:
    """What follows a rating word leaves it an answer: nothing, a pause, or (in Chinese) a space."""
    return not rest or rest[0] in _PAUSE or (not latin and rest[0] == " ")


_RATING_START = re.compile(r"^\s*([1-5１-５一二三四五两]|⭐|★)")


def rating_payload(rating: int, order_id: int | None) -> str:
    """A star button's payload, "rate:5:42": the order rides with it, so a press days
    later rates the order it was sent for, not whichever was completed last.
    ("rate:5" without an order is what buttons sent before said; still read.)"""
    return f"rate:{rating}" if order_id is None else f"rate:{rating}:{order_id}"


def read_rating_payload(payload: str) -> tuple[int, int | None] | None:
    """(stars, order id or None) from a star button's payload, else None."""
    head, _, rest = payload.partition(":")
    stars, _, order = rest.partition(":")
    if head != "rate" or stars not in ("1", "2", "3", "4", "5") or not (order == "" or order.isdigit()):
        return None
    return int(stars), int(order) if order else None


def review_open(invited_at: dt.datetime | None, now: dt.datetime, window: dt.timedelta) -> bool:
    """Whether an order can still be rated: within `window` of its latest review
    invitation (the reminder counts; one still waiting for quiet hours to end keeps
    it open). The same window in which a bare "5" answers the invitation
    (`storage.reviews.awaiting_rating`). No invitation, no review: an order done
    before invitations existed, or whose invitation was called off."""
    return invited_at is not None and now - invited_at <= window


def could_be_rating(text: str, payload: str | None) -> bool:
    """Whether a message might answer "how many stars?": a star pressed without its
    order (older buttons), a leading number or star, or a rating word. Only then is
    the open invitation looked up, so other messages cost no query and are not
    caught by a review; a star that names its order needs no look-up."""
    if payload is not None:
        read = read_rating_payload(payload)
        return read is not None and read[1] is None
    t = text.strip()
    return (len(t) <= 20 and bool(_RATING_START.match(t))) or bool(_LEADING_STARS.match(t)) \
        or rating_from_words(t) is not None


def is_no_comment(text: str) -> bool:
    """"没有了" / "no thanks" answered to "anything else to tell us?"."""
    return bool(_NO_COMMENT.match(text.strip()))


def clean_comment(text: str) -> str | None:
    t = text.strip()
    return t[:MAX_COMMENT] if t else None


def is_new_request(p: ParseResult) -> bool:
    """Whether an answer to "anything to tell us?" is a new request, not the comment.

    Then the rating stands, the comment stays empty and the message is handled
    as any other; storing "我想取消明天那单" as a comment would lose the request.
    A booking counts only with a date or time, or with the service *and* words
    that ask for a visit (the NLU's ``request`` flag): an opinion names the
    service too and often reads as a booking to the NLU ("打扫得不干净",
    "the deep clean was very thorough"), and a lost comment costs less than a
    booking started by a complaint. A complaint ("师傅迟到了半小时", read as a request for
    a person) is the comment itself: the review is what it says, and staff see it.
    """
    if p.flags.get("complaint"):
        return False
    if p.intent in REQUEST_INTENTS:
        return True
    if p.intent != "book":
        return False
    if any(p.slots.get(k) for k in _WHEN_SLOTS):
        return True
    return bool(p.slots.get("service")) and bool(p.flags.get("request"))


def asks_to_redo(p: ParseResult, rating: int | None) -> bool:
    """Whether an answer to "anything to tell us?" after a low rating asks us back
    ("窗户没擦干净，能再来一次吗"): the complaint is the comment, and putting it right is
    for staff to arrange, not a new paid booking for the bot to start. After a good
    rating the same words are a rebooking (`is_new_request`)."""
    return rating is not None and rating <= LOW_RATING and p.intent == "book" and is_new_request(p)
