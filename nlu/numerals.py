"""Numbers as customers write them: 3, 三, 两, 俩, 十二, 二十三, three.

cn2an does the Chinese conversion; it is only ever called on a span a regex has
already isolated (library-facts §5: `transform` on whole sentences mangles
words such as 一共), and its results are cached because the same few numerals
come back all day.
"""

from __future__ import annotations

from functools import lru_cache

import cn2an

# Character classes for regexes that must accept either script.
CN_DIGITS = "零〇一二两三四五六七八九十百"
# 俩 and 仨 are 两个 and 三个 in one word, the counter in it ("俩空调", "保洁仨小时"): a count
# alone, never part of a longer numeral, and no word cn2an knows.
SPOKEN_COUNTS: dict[str, int] = {"俩": 2, "仨": 3}
NUM_CLASS = f"[0-9{CN_DIGITS}{''.join(SPOKEN_COUNTS)}]"
# ...but "咱俩", "他们俩", "哥俩" are "the two of us / them", no count of anything.
SPOKEN_COUNT = f"(?<![咱我你他她它们哥姐弟妹兄娘爷])[{''.join(SPOKEN_COUNTS)}]"

EN_NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
EN_NUMBER_ALT = "|".join(sorted(EN_NUMBER_WORDS, key=len, reverse=True))


@lru_cache(maxsize=2048)
def to_int(token: str) -> int | None:
    """An integer for a digit, Chinese or English number word; None when it is not one."""
    token = token.strip()
    if not token:
        return None
    if token.isascii() and token.isdigit():
        return int(token)
    low = token.lower()
    if low in EN_NUMBER_WORDS:
        return EN_NUMBER_WORDS[low]
    if token in SPOKEN_COUNTS:
        return SPOKEN_COUNTS[token]
    if any(c not in CN_DIGITS for c in token):
        return None
    try:
        value = cn2an.cn2an(token.replace("〇", "零"), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    return int(value)
