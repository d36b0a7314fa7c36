"""Phone numbers in the two forms the contract wants.

Mainland numbers (the business's home market) come back as bare digits,
because that is how staff dial and search them; anything with another country
code comes back as E.164 via `phonenumbers`, which knows every numbering plan.
Runs on normalised text, so full-width digits and ＋ are already folded.
"""

from __future__ import annotations

import re

from nlu import guarded

import phonenumbers

from nlu.spans import Span

_MAINLAND_MOBILE_RE = guarded.compile(
    r"(?<![\d+])(?:(?:\+|00)\s*86[\s-]*|\(\s*\+?86\s*\)\s*|86[\s-]+)?"
    r"(?P<num>1[3-9]\d(?:[\s-]?\d){8})(?![\d])"
)
_MAINLAND_LANDLINE_RE = guarded.compile(
    r"(?<![\d+])[(（]?(?P<area>0[1-9]\d{1,2})[)）]?[\s-]?(?P<local>\d{3,4}[\s-]?\d{4})(?![\d-])"
)
# A mobile number said aloud and typed by voice input: 一三九一二三四五六七八 (幺 is how 1
# is read out in numbers, 两 a spoken 2); digits and numerals may mix.
_SPOKEN_DIGITS = "零〇一幺二两三四五六七八九"
_SPOKEN_VALUE = str.maketrans(_SPOKEN_DIGITS, "0011223456789")
_SPOKEN_MOBILE_RE = guarded.compile(
    rf"(?<![\d{_SPOKEN_DIGITS}])[1一幺][3-9三四五六七八九](?:[\s-]?[\d{_SPOKEN_DIGITS}]){{9}}(?![\d{_SPOKEN_DIGITS}])"
)
# A number typed in groups that goes on with another group ("138 1234 5678 9"): one number
# with a digit too many, not a mobile number and a stray digit.
_MORE_GROUPS_RE = guarded.compile(r"[\s-]\d")
_INTERNATIONAL_RE = guarded.compile(r"(?<![\d])(?:\+|00)\s*(?P<num>[1-9][\d\s().-]{5,18}\d)(?!\d)")


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def _international(raw: str) -> str | None:
    try:
        parsed = phonenumbers.parse("+" + _digits(raw), None)
    except phonenumbers.NumberParseException:
        return None
    if not (phonenumbers.is_valid_number(parsed) or phonenumbers.is_possible_number(parsed)):
        return None
    if parsed.country_code == 86:
        return str(parsed.national_number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _runs_on(text: str, number: str, end: int) -> bool:
    """The number (ending at `end`) was typed in groups and the next group follows: the
    whole run is what the customer meant, so the match alone would silently drop digits."""
    spaced = any(c in " -" for c in number)
    return spaced and bool(_MORE_GROUPS_RE.match(text, end))


def find_phones(text: str) -> list[Span]:
    """Phone numbers in text order, as Span(value=contract string)."""
    hits: list[Span] = []

    def free(start: int, end: int) -> bool:
        return not any(h.start < end and start < h.end for h in hits)

    for m in _MAINLAND_MOBILE_RE.finditer(text):
        if _runs_on(text, m["num"], m.end()):
            continue
        hits.append(Span(m.start(), m.end(), _digits(m["num"])))
    for m in _SPOKEN_MOBILE_RE.finditer(text):
        if free(m.start(), m.end()) and not _runs_on(text, m[0], m.end()):
            hits.append(Span(m.start(), m.end(), _digits(m[0].translate(_SPOKEN_VALUE))))
    for m in _INTERNATIONAL_RE.finditer(text):
        if free(m.start(), m.end()):
            value = _international(m["num"])
            if value:
                hits.append(Span(m.start(), m.end(), value))
    for m in _MAINLAND_LANDLINE_RE.finditer(text):
        if free(m.start(), m.end()):
            hits.append(Span(m.start(), m.end(), m["area"] + _digits(m["local"])))
    hits.sort(key=lambda s: s.start)
    return hits


# What a customer typed as a phone number when it is none: a run of digits, spaces and
# dashes with 7 to 15 digits (a mobile number a digit short or long, a foreign number
# without its country code).
_ATTEMPT_RE = guarded.compile(r"(?<![\d+])\d(?:[\s-]?\d){6,14}(?![\d])")


# A number given as the phone inside a longer message ("…, phone 1381234567", "电话：138123456"):
# the label says it was meant as one, wherever in the message it is.
_LABELLED_ATTEMPT_RE = guarded.compile(
    r"(?:电话|手机|号码|联系方式|\b(?:phone|tel|mobile|cell|number))(?:号码?|是|为|is|:|：|\s)*"
    rf"(?P<num>{_ATTEMPT_RE.pattern})", re.IGNORECASE)


def labelled_phone_attempt(text: str) -> Span | None:
    """The number labelled as the phone that cannot be one (label and all, its digits the
    value), in a message that was not an answer to the phone question, so the dialogue
    says what is wrong with it rather than only asking for the phone. For text in which
    `find_phones` found none, with dates and order numbers already masked."""
    m = _LABELLED_ATTEMPT_RE.search(text)
    return Span(m.start(), m.end(), _digits(m["num"])) if m else None


def phone_attempt(text: str) -> str | None:
    """The digits of a number that was meant as a phone and cannot be one, so the
    answer can say what is wrong with it instead of "not understood". For text in
    which `find_phones` found none (the caller has just looked: not looked again)."""
    m = _ATTEMPT_RE.search(text)
    return _digits(m[0]) if m else None


# The words that label a phone number in the text before it, left off its owner ("我老公电话"
# → "我老公", "or my husband's number is" → "my husband"), and the owners that are the customer.
_LABEL_CUT_RE = guarded.compile(r"[，,。;；、\n]")
_LABEL_WORDS_RE = guarded.compile(
    r"^(?:(?:还有|或者|或|and|or|also)\s*)+|(?:'s|的)?\s*(?:电话号码|手机号码|电话|手机号?|号码|联系方式|number|phone"
    r"|mobile|cell|tel)?\s*(?:是|为|is)?\s*[:：]?\s*$", re.IGNORECASE)
_OWN = frozenset({"", "我", "我自己", "自己", "本人", "my", "mine", "me", "i", "myself"})


def _label(text: str, start: int, since: int) -> str:
    """Whose the number at `start` is, as written before it in its own clause (after
    `since`, the end of the number before it): "我老公电话13811110000" → "我老公"."""
    before = _LABEL_CUT_RE.split(text[since:start])[-1]
    return _LABEL_WORDS_RE.sub("", before.strip()).strip()


def own_and_others(text: str, phones: list[Span]) -> tuple[Span, list[tuple[str, str]]]:
    """Of several numbers in one message, the customer's own (labelled "我的", "my", else
    the first), and every other as (its label, its number): a spouse's or a second number
    ("我老公电话138…，我的139…") is a number to keep, not one to drop."""
    labelled = [(s, _label(text, s.start, phones[i - 1].end if i else 0)) for i, s in enumerate(phones)]
    own = next((s for s, label in labelled if label.lower() in _OWN and label), phones[0])
    return own, [(label, s.value) for s, label in labelled if s is not own and s.value != own.value]


_LOCAL_LANDLINE_RE = guarded.compile(r"[2-9]\d{6,7}")


def is_local_landline(digits: str) -> bool:
    """A landline's local number without its area code ("62345678"): which city it is in
    the number does not say (the catalog names none), so it is asked for, not guessed."""
    return bool(_LOCAL_LANDLINE_RE.fullmatch(digits))


def shared_number(number: str, *, international: bool) -> str:
    """A phone number shared as a contact card (Telegram), as the text a customer would have
    typed, so the dialogue reads it like any typed number (`find_phones`: +86 dropped, a
    foreign number kept in E.164, a wrong one answered with what is wrong with it).

    A Telegram account's number (`international`: the customer's own, as the share-my-number
    button sends it, or a contact who has Telegram) is always international, and Telegram
    often leaves off its "+" ("8613812345678"): it gets one. A card from the phone's address
    book holds the number as its owner wrote it ("138 1234 5678", "+1 415…"), so it is read
    as written: a "+" put before a local number would make it another country's."""
    number = number.strip()
    return f"+{number}" if international and not number.startswith("+") else number
