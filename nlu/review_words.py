"""The words of a review: a rating said in words rather than stars, the comment said with
it, and "no comment".

The NLU reads "5星", "五星", "4/5" as the rating slot; a customer answering the review
invitation may instead just say "满意" or "一般", or "没有了" when asked for a comment.
The pipeline gives these as flags (``word_rating``, ``rating_comment``, ``no_comment``)
and the dialogue takes them only while a review question is open or a review is said.

Word ratings (`rating_from_words`), chosen so that a low word alerts the staff
(handlers.reviews.LOW_RATING) and a warm one does not:

- 1: 差评, 很差, 非常不满意, 👎, "terrible";
- 2: 不满意, 不好, 差, "not good";
- 3: 一般, 一般般, 还行, 中评, "so-so", "meh": neither praise nor a complaint;
- 4: 不错, 挺好, "good", "not bad";
- 5: 满意, 好评, 给个好评, 👍, "great": a thumbs-up answering "how many stars?" is
  approval, and asking again would cost the rating (most people do not answer twice).

A rating and its reason often come in one message ("4星，阿姨挺好的就是阳台没擦"): the
words after the rating are its comment (`comment_with_rating`), so the reason is not
lost and reaches the staff with a low rating.

They run on every message: each starts with one anchored match, and a message that
opens with no rating word is done with it.
"""

from __future__ import annotations

import re

from nlu import guarded

from nlu.intents import COMPLAINT_PATTERNS

# Checked in this order: "不满意" contains "满意".
_WORD_RATINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, ("非常不满意", "很不满意", "差评", "很差", "太差", "极差", "👎", "terrible", "awful", "horrible",
         "very bad")),
    (2, ("不太满意", "不满意", "不怎么样", "不好", "差", "disappointed", "not satisfied", "unsatisfied",
         "not good", "bad", "poor")),
    (3, ("一般般", "一般", "还行", "还可以", "凑合", "中评", "so-so", "average", "mediocre", "meh", "ok-ish")),
    (5, ("非常满意", "很满意", "满意", "好评", "很好", "非常好", "很棒", "完美", "👍", "excellent", "great",
         "satisfied", "perfect", "amazing", "very good", "great job", "great work", "well done",
         "excellent job", "excellent work", "amazing job")),
    (4, ("不错", "挺好", "还不错", "good", "fine", "nice", "good job", "good work", "not bad", "pretty good")),
)
_NO_COMMENT = guarded.compile(
    r"^(没有了?|没了|无|没|不用了?|算了|没什么|没啥|没有意见|就这样|谢谢|好的|好|嗯|"
    r"no|nope|none|nothing|no,? thanks?|thanks|thank you|ok|okay|that'?s all|n/?a)[。.!！~ ]*$",
    re.IGNORECASE)
_WORD_EDGE = guarded.compile(r"[a-z]")
# Every word above, after the optional "给个" (`_GIVEN`), opening the lowered message: without
# it `_word_rating` cannot find one, so the loop over the words is skipped (one match instead).
_OPENS_WITH_A_WORD = guarded.compile(
    r"^\s*(?:(?:给|打)(?:你们|您)?(?:个|一个)?)?(?:"
    + "|".join(re.escape(w) for _, ws in _WORD_RATINGS for w in sorted(ws, key=len, reverse=True)) + ")")
MAX_COMMENT = 1000


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
    if not _OPENS_WITH_A_WORD.match(t):
        return None
    lead = len(t) - len(t.lstrip())
    t = t.strip()
    if not t:
        return None
    given = _GIVEN.match(t)  # "给个好评": the word is the rating
    start = given.end() if given else 0
    for rating, words in sorted(_WORD_RATINGS, key=lambda rw: -max(map(len, rw[1]))):
        for w in sorted(words, key=len, reverse=True):
            if not t.startswith(w, start):
                continue
            end = start + len(w)
            latin = bool(_WORD_EDGE.match(w))
            said_of = _WHAT_IS_RATED.match(t, end) if latin else None  # "terrible service, …"
            end = said_of.end() if said_of else end
            rest = t[end:]
            if _ends_answer(rest, latin=latin) and (
                    len(t) <= 20 or rest[:1] in _PUNCTUATION or (latin and _clause_follows(rest))):
                return rating, lead + end
    return None


# What an English rating word is said of ("terrible service", "great experience"): the rating
# still, the comment after it.
_WHAT_IS_RATED = guarded.compile(r"\s+(?:service|experience|work|job|cleaning|clean|visit)\b")


_GIVEN = guarded.compile(r"^(?:给|打)(?:你们|您)?(?:个|一个)?(?=\S)")
_PUNCTUATION = set("，,。.!！~～;；…")
_PAUSE = _PUNCTUATION | set("啊呀吧呢啦哦的了哈")
# Stars that open the message ("4星，…", "4 stars, …", "⭐⭐⭐⭐ …"), for the comment after them.
_LEADING_STARS = guarded.compile(
    r"^\s*(?:(?:给|打)(?:你们|您)?(?:个|一个)?)?"
    r"(?:[1-5１-５一二三四五两]\s*(?:颗星|个星|星|分)|(?:[1-5]|one|two|three|four|five)\s*-?\s*stars?(?![a-z])"
    r"|[1-5]\s*/\s*5|[⭐★🌟]{1,5})", re.IGNORECASE)
_COMMENT_EDGE = " \t\n，,。.!！~～;；…:：-—吧啊呀哦"
# What follows the rating that changes it rather than explaining it ("五星吧，不对，还是3星").
_ANOTHER_RATING = guarded.compile(r"\d\s*(?:颗星|个星|星|分|stars?)|[一二三四五两]\s*(?:颗星|个星|星)|不对|i mean",
                             re.IGNORECASE)


def comment_with_rating(text: str) -> str | None:
    """The comment said in the same message as the rating that opens it: "差评！师傅态度很差"
    → "师傅态度很差", "4 stars, the cleaner was great but forgot the balcony" → "the cleaner
    …". None when the rating stands alone, the rest says nothing ("5星，没了") or it
    changes the rating instead ("五星吧，不对，还是3星": the rating is read again)."""
    stars = _LEADING_STARS.match(text)
    inside = None if stars else _STARS_CLAUSE.search(text)
    if inside:  # "great job, 5 stars, windows are spotless": the words around the stars
        rest = _joined(text[:inside.start()].strip(_COMMENT_EDGE), text[inside.end():].strip(_COMMENT_EDGE))
        words = _word_rating(rest)
        if words and not rest[words[1]:].strip(_COMMENT_EDGE + "".join(_PAUSE)):
            return None  # "great job, 5 stars", "太差了，1星": the rating, said twice
    else:
        words = None if stars else _word_rating(text)
        end = stars.end() if stars else words[1] if words else None
        if end is None:
            return None
        # "太差了，阿姨把花瓶打碎了": the word's particle (了, 的, 啊) is no part of the comment
        rest = text[end:].lstrip(_COMMENT_EDGE + "".join(_PAUSE)).rstrip(_COMMENT_EDGE)
    if not rest or is_no_comment(rest) or _ANOTHER_RATING.search(rest):
        return None
    return clean_comment(rest)


# Stars said as a clause of their own after other words ("great job, 5 stars, windows are
# spotless", "很好，5星，阳台擦得很干净"), between pauses: "I'd give it 5 stars" is no such clause.
_STARS_CLAUSE = guarded.compile(
    r"(?<=[，,。.!！;；])\s*(?:(?:[1-5]|one|two|three|four|five)\s*-?\s*stars?(?![a-z])"
    r"|[1-5１-５一二三四五两]\s*(?:颗星|个星|星))\s*(?=[，,。.!！;；]|$)", re.IGNORECASE)


def _joined(before: str, after: str) -> str:
    """The words before and after the stars as one comment, joined by a comma of their language."""
    if not (before and after):
        return before or after
    return f"{before}，{after}" if re.search(r"[\u4e00-\u9fff]$", before) else f"{before}, {after}"


# "very good but she forgot the balcony": in English a conjunction is the pause after the word
_LATIN_CLAUSE = guarded.compile(r"\s+(?:but|though|although|except|only|just)\b")


def _ends_answer(rest: str, *, latin: bool) -> bool:
    """What follows a rating word leaves it an answer: nothing, a pause, (in Chinese) a
    space, or (in English) a conjunction that goes on to the reason."""
    return not rest or rest[0] in _PAUSE or (not latin and rest[0] == " ") or (latin and _clause_follows(rest))


def _clause_follows(rest: str) -> bool:
    return bool(_LATIN_CLAUSE.match(rest))


_RATING_START = guarded.compile(r"^\s*([1-5１-５一二三四五两]|⭐|★)")


def may_be_rating(text: str) -> bool:
    """Whether a message might answer "how many stars?": a short one opening with a number
    or a star, one opening with stars ("4星，…"), or a rating word. Read before the NLU
    (handlers.reviews.could_be_rating): only then is an open invitation looked up."""
    t = text.strip()
    return (len(t) <= 20 and bool(_RATING_START.match(t))) or bool(_LEADING_STARS.match(t)) \
        or rating_from_words(t) is not None


def is_no_comment(text: str) -> bool:
    """"没有了" / "no thanks" answered to "anything else to tell us?"."""
    return bool(_NO_COMMENT.match(text.strip()))


# What a review comment complains of beyond a complaint proper (COMPLAINT_PATTERNS): lateness,
# rudeness, work left undone. Said with a middling rating ("3星，阿姨来晚了半小时") it still
# wants a person to put it right (handlers.reviews.alerts_staff).
_REVIEW_COMPLAINTS = (
    r"来晚|晚到|晚了\s*\d*\s*(?:分钟|小时|个小时)|不准时|"
    r"没(?:擦|洗|打扫|扫|拖|弄|搞)干净|不干净|敷衍|粗鲁|不专业|不礼貌|弄坏|搞坏|损坏|"
    r"\blate\b|\brude\b|\bdirty\b|\bnot clean\b|\bunprofessional\b|\bsloppy\b|\bimpolite\b|\bbroke\b|"
    r"\bdamaged\b|\bmissed\b|\bforgot\b",
)
_COMPLAINT_IN_COMMENT = guarded.compile(
    "|".join(p for ps in (*COMPLAINT_PATTERNS.values(), _REVIEW_COMPLAINTS) for p in ps), re.IGNORECASE)


def comment_complains(comment: str | None) -> bool:
    """Whether a review comment complains ("阿姨来晚了半小时", "the cleaner was late and rude"),
    not merely rates ("还行", "ok"): read only on a comment, so a rating word does not hide it."""
    return bool(comment) and bool(_COMPLAINT_IN_COMMENT.search(comment))


def clean_comment(text: str) -> str | None:
    t = text.strip()
    return t[:MAX_COMMENT] if t else None
