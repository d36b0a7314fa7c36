"""What a message means before the dialogue decides on it (`handlers.conversation`).

A pressed quick reply stands for words the customer could have typed
(`payload_to_parse`); a typed "2" or a button's label picks that choice where the
channel shows choices as a numbered list; and a date is taken as the day the
customer most likely meant. All three turn the message into the `ParseResult`
that `handlers.dialogue.Turn.run` reads, the same whichever channel it came by.
"""

from __future__ import annotations

import dataclasses
import re

from handlers import reviews as V
from nlu.normalize import has_cjk
from nlu.pipeline import SAME_ADDRESS
from nlu.types import ParseResult

_DIGIT_CHOICE = re.compile(r"^\s*(?:第\s*)?([0-9０-９一二三四五六七八九十]{1,2})\s*(?:个|项|单|个订单)?\s*[.。、)）]?\s*$")
_CN_DIGITS = str.maketrans("０１２３４５６７８９一二三四五六七八九", "0123456789123456789")
# Flag of a bare location shared (a map pin with no street address, `location_payload`): its
# (latitude, longitude, datum) as the payload wrote them.
LOCATION = "location"


def the_day_meant(p: ParseResult) -> ParseResult:
    """The parse with the day the customer most likely meant, where that is not the contract's
    date slot: "11月20号" said on 11-27 is the day just gone (refused as past, where next year's
    would be booked unseen), and "周末哪天都行" is the weekend's first day (our pick, so no slot)."""
    if p.flags.get("just_past") and p.slots.get("date"):
        return dataclasses.replace(p, slots={**p.slots, "date": p.flags["just_past"]})
    if p.flags.get("any_day") and "date" not in p.slots:
        return dataclasses.replace(p, slots={**p.slots, "date": p.flags["any_day"]})
    return p


# What a pressed quick reply means, as if the customer had typed it.
def payload_to_parse(payload: str) -> ParseResult:
    head, _, arg = payload.partition(":")
    if head in ("affirm", "deny", "cancel", "status", "greet", "human", "price"):
        return ParseResult(intent=head, confidence=1.0, lang="und")
    if head == "service" and arg:
        return ParseResult(intent="book", confidence=1.0, slots={"service": arg}, lang="und")
    if head in ("change", "order") and arg:
        return ParseResult(intent=head, confidence=1.0, slots={"arg": arg}, lang="und")
    pressed = V.read_rating_payload(payload)
    if pressed is not None:  # a star: `Turn._pressed_rating` takes it, for its order if it names one
        rating, order_id = pressed
        return ParseResult(intent="review", confidence=1.0, slots={"rating": rating}, lang="und",
                           flags={"pressed": True, "review_order": order_id})
    if head == "help":
        return ParseResult(intent="greet", confidence=1.0, lang="und", flags={"help": True})
    if head == "welcome":  # a new follower (WeChat subscribe): hello plus what the bot can do
        return ParseResult(intent="greet", confidence=1.0, lang="und", flags={"welcome": True})
    if head == "at" and arg:  # a free start we offered when the time asked for was taken
        return ParseResult(intent="book", confidence=1.0, slots={"time": arg}, lang="und")
    if head == "on" and arg:  # a day we offered for "周末" / "月底" (`Turn._offer_days`), or a
        day, _, clock = arg.partition("T")  # first start, day and time (`Turn._first_start_choice`)
        return ParseResult(intent="book", confidence=1.0, lang="und",
                           slots={"date": day, "time": clock} if clock else {"date": day})
    if head == SAME_ADDRESS:  # "就这个地址" to the address question offering the last one
        return ParseResult(intent="book", confidence=1.0, lang="und", flags={SAME_ADDRESS: True})
    if head == "address" and arg:  # a shared location: its label is the address
        return ParseResult(intent="book", confidence=1.0, slots={"address": arg}, lang="und")
    if head == LOCATION and (pin := _pin(arg)) is not None:  # a map pin: no address, kept for staff
        return ParseResult(intent="book", confidence=1.0, lang="und", flags={LOCATION: pin})
    if head == "unsupported":  # a photo, video, sticker…: nothing the dialogue can read
        return ParseResult(intent="other", confidence=1.0, lang="und", flags={"unsupported": True})
    return ParseResult(intent="other", confidence=0.0, lang="und")


def location_payload(latitude: float, longitude: float, datum: str = "wgs84") -> str:
    """The payload of a shared location with no address (Telegram's bare location, WeChat's
    without a label): the coordinates to six places (about 10 cm), and their datum when not
    GPS's own: "gcj02" for China's shifted one, which WeChat's maps give, some 500 m off GPS."""
    return f"{LOCATION}:{latitude:.6f},{longitude:.6f}" + (f",{datum}" if datum != "wgs84" else "")


def venue_address(title: str, address: str) -> str:
    """A shared venue (a place picked on the map: its name and street address) as the
    order's address, written as the customer's language writes one: the street first in
    Chinese ("北京市朝阳区阜通东大街6号 望京SOHO T1"), the name first in English ("Jing An
    Kerry Centre, 1515 Nanjing Rd W"); the name once when the address already holds it."""
    title, address = " ".join(title.split()), " ".join(address.split())
    if not title or title in address:
        return address or title
    if not address:
        return title
    return f"{address} {title}" if has_cjk(title + address) else f"{title}, {address}"


def _pin(arg: str) -> tuple[str, str, str] | None:
    """The (latitude, longitude, datum) of a `location_payload`; None for anything that is not one."""
    parts = arg.split(",")
    if len(parts) == 2:
        parts.append("wgs84")
    if len(parts) != 3:
        return None
    lat, lon, datum = parts
    try:
        ok = abs(float(lat)) <= 90 and abs(float(lon)) <= 180 and datum in ("wgs84", "gcj02")
    except ValueError:
        return None
    return (lat, lon, datum) if ok else None


def numbered_choice(text: str, offered: list[str]) -> str | None:
    """"2" answers the second quick reply when the channel shows them as a list."""
    m = _DIGIT_CHOICE.match(text)
    if not m or not offered:
        return None
    digits = m.group(1).translate(_CN_DIGITS)
    n = 10 if digits == "十" else int(digits) if digits.isdigit() else 0  # "第一个" is "1"
    return offered[n - 1] if 1 <= n <= len(offered) else None


def offer_accepted(parse: ParseResult, offered: list[str]) -> str | None:
    """A plain yes ("好的", "ok") while the one quick reply offered is a start ("at:", "on:",
    as when "马上" is out of hours: "最早明天 07:00 能上门，要约这个时间吗？") takes that start,
    as pressing it would; a yes that says more ("好，10点吧") is read as it is."""
    if parse.intent != "affirm" or parse.slots or len(offered) != 1:
        return None
    return offered[0] if offered[0].partition(":")[0] in ("at", "on") else None


def labelled_choice(text: str, offered: list[str], labels: list[str]) -> str | None:
    """Typing a quick reply's label ("修改", "保留订单") picks it, as its digit does: the
    console and WeChat show them as "[2] 修改", and people type the word they read."""
    typed = _fold(text)
    if not typed or len(offered) != len(labels):
        return None
    return next((payload for payload, label in zip(offered, labels) if _fold(label) == typed), None)


def _fold(text: str) -> str:
    return text.strip().strip("。.!！~～").casefold()
