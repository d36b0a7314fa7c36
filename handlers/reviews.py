"""Pure rules about reviews: the star buttons' payloads, how long an order can be rated,
what an answer to "anything to tell us?" is. The words of a review ("满意", "差评！师傅态度
很差", "没有了") are the NLU's to read (nlu.review_words, flags ``word_rating``,
``rating_comment``, ``no_comment``).
"""

from __future__ import annotations

import datetime as dt

from nlu.review_words import comment_complains, may_be_rating
from nlu.types import ParseResult

LOW_RATING = 2  # this many stars or fewer alert the staff group at once
MID_RATING = 3  # this many stars alert them too when the comment complains (`alerts_staff`)
# Answers to "anything to tell us?" that are a new request whatever else they say.
REQUEST_INTENTS: tuple[str, ...] = ("reschedule", "cancel", "status", "price", "human", "greet")
_WHEN_SLOTS = ("date", "time", "period")
# What a message asks of orders, which a rating word opening it ("满意，下周再约一次") does not
# make a rating: any other reading of it ("差评，师傅还乱收费" read as a price question) is.
ORDER_INTENTS: tuple[str, ...] = ("book", "reschedule", "cancel", "status")


def is_low(rating: int | None) -> bool:
    """A rating that alerts staff at once (`LOW_RATING` or fewer stars): the customer then
    hears one apology and that staff were told, not thanks for the stars."""
    return rating is not None and rating <= LOW_RATING


def alerts_staff(rating: int | None, comment: str | None, complaint: str | None = None) -> bool:
    """Whether a rating with its comment alerts staff at once: a low one always, a middling
    one whose comment complains ("3星，阿姨来晚了半小时": a person must put it right, though
    the stars are not low), and any whose comment the NLU reads as a complaint proper
    (`complaint`, its kind: "阿姨没擦窗户", "师傅多收了50块" after 5 stars): out of a review
    those go to a person, and good stars put nothing right. "3星 还行" alerts nobody. The
    customer then hears that staff were told, as for a low rating."""
    return is_low(rating) or complaint is not None or (rating == MID_RATING and comment_complains(comment))


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
    caught by a review; a star that names its order needs no look-up. Read before the
    NLU, whose `expected` it may set ("rating"), so on the text (nlu.review_words)."""
    if payload is not None:
        read = read_rating_payload(payload)
        return read is not None and read[1] is None
    return may_be_rating(text)


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
    if p.flags.get("complaint") and p.intent != "book":  # "…，这次再约一次明天下午保洁" books, though
        return False
    if p.intent in REQUEST_INTENTS:
        return True
    if p.intent != "book":
        return False
    if any(p.slots.get(k) for k in _WHEN_SLOTS):
        return True
    return bool(p.slots.get("service")) and bool(p.flags.get("request"))


# What is no review comment while the stars are asked: a yes or no, a greeting, thanks, a
# question or anything the dialogue answers itself.
_NOT_A_COMMENT_FLAGS = frozenset({"question", "no_comment", "thanks", "goodbye", "faq", "help", "hours", "wait"})


def is_comment_without_stars(p: ParseResult) -> bool:
    """Whether an answer to "how many stars?" says something of the service without a
    rating ("阿姨很仔细，厨房擦得特别干净", "she forgot the balcony", a complaint too): words to keep as
    the review's comment. Not a new request (`is_new_request`), a yes or no, a greeting or a
    question: those are handled as usual."""
    complaint = p.flags.get("complaint")
    if is_new_request(p) or (p.intent not in ("review", "other", "book") and not complaint) or complaint == "general":
        return False  # "我要投诉": a person is asked for, not stars
    return not _NOT_A_COMMENT_FLAGS & p.flags.keys()


def asks_to_redo(p: ParseResult, rating: int | None) -> bool:
    """Whether an answer to "anything to tell us?" after a low rating asks us back
    ("窗户没擦干净，能再来一次吗"): the complaint is the comment, and putting it right is
    for staff to arrange, not a new paid booking for the bot to start. After a good
    rating the same words are a rebooking (`is_new_request`). Work left undone said so ("窗户没擦
    干净", a complaint, intent human) asks us back with the same words, as "明天来返工" does (kind "redo")."""
    complaint = p.flags.get("complaint")
    asks_back = is_new_request(p) if p.intent == "book" else complaint == "redo" or bool(complaint and p.flags.get("request"))
    return is_low(rating) and asks_back
