"""Customer data that must not leak where it is not needed (logs, staff group)."""

from __future__ import annotations

import re

from handlers.staff import mask_phone

# A mainland mobile, with or without spaces/dashes (138 1234 5678), or an E.164 number;
# not inside a longer run of digits (order numbers, ids, timestamps stay as they are).
PHONE = re.compile(r"(?<![\d+])(?:1[3-9]\d[ -]?\d{4}[ -]?\d{4}|\+\d[\d -]{6,16}\d)(?!\d)")


def mask_phones(text: str) -> str:
    """Every phone number in `text` as `138****5678`: enough to tell customers apart in a log,
    not to call them."""
    return PHONE.sub(lambda m: mask_phone(re.sub(r"[ -]", "", m.group())), text)
