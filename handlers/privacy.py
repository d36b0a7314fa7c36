"""Customer data that must not leak where it is not needed (logs, the staff group).

Pure functions: the staff card and group alerts show masked phone and address, the card a
masked note and the group the customer's own words masked the same way (`mask_note`: a "转人工"
alert, what they write under a card, a low rating's comment); the claimer gets the details in
private, the dashboard keeps the words as written. Every log line goes through `mask_phones`
(bot/logs.py).
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")
# A mainland mobile, with or without spaces/dashes (138 1234 5678), or an E.164 number;
# not inside a longer run of digits (order numbers, ids, timestamps stay as they are).
PHONE = re.compile(r"(?<![\d+])(?:1[3-9]\d[ -]?\d{4}[ -]?\d{4}|\+\d[\d -]{6,16}\d)(?!\d)")


def mask_phone(phone: str) -> str:
    """`13812345678` → `138****5678`: enough to tell orders apart, not to call."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_address(address: str) -> str:
    """The area stays readable, the house, building and flat numbers do not."""
    return _DIGIT.sub("*", address)


PIN = "📍"  # marks a shared location's map link on an order's note, in any language
_PIN_COORDINATES = re.compile(rf"{PIN}[^；;\n]*")
_COORDINATE = re.compile(r"\d+\.\d+")


def mask_pins(notes: str) -> str:
    """An order's note with the coordinates of a shared location's map link masked (the rest
    of the note as it is): a pin finds the building as surely as the address's numbers do."""
    return _PIN_COORDINATES.sub(lambda m: _COORDINATE.sub(lambda c: mask_address(c.group()), m.group()), notes)


def mask_phones(text: str) -> str:
    """Every phone number in `text` as `138****5678`: enough to tell customers apart in a log,
    not to call them."""
    return PHONE.sub(lambda m: mask_phone(re.sub(r"[ -]", "", m.group())), text)


def mask_note(notes: str) -> str:
    """An order's note, or a customer's words, as the staff group sees them: a map pin's
    coordinates and every phone in them (a relative's "☎我老公 138…", "经理回电 139…")
    masked as the order's own phone is; the claimer gets the note in full, privately
    (`staff_details`), and the dashboard shows the conversation as written."""
    return mask_phones(mask_pins(notes))
