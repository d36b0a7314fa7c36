"""A move ends somewhere else: the bot asks where (catalog `needs_destination`), books it
when the new home is not settled yet, lets a bare "搬到…" change the booked move, and lists
each order with where it is."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

NOW = dt.datetime(2026, 11, 24, 20, 0)
PICKUP = "朝阳区望京SOHO T1-1203"
NEW_HOME = "海淀区上地东里5号楼"
A_MOVE = "下周六上午9点搬家"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the NLU ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["还没定", "新家还没确定", "目的地待定", "还没定，到时候再说", "还不知道搬哪",
                                  "not sure yet", "not decided yet", "we haven't decided yet", "TBD",
                                  "not sure where yet"])
def test_not_settled_yet_is_dont_know(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW, expected="destination")
    assert r.flags.get("dont_know") and not r.slots, r


@pytest.mark.parametrize(("text", "slots", "destination"), [
    (NEW_HOME, {"address": NEW_HOME}, None),                     # bare: the dialogue knows what it asked
    ("to 12 Baker Street", {"address": "12 Baker Street"}, None),
    ("to 5 Marina Bay", {"address": "5 Marina Bay"}, None),      # no street word: read whole, less the "to"
    ("地址写错了，是朝阳区望京SOHO T2-1505", {"address": "朝阳区望京SOHO T2-1505"}, None),  # not "是朝阳区…"
    (f"目的地是{NEW_HOME}", {}, NEW_HOME),                        # no address "目的地是" left over
    (f"新家在{NEW_HOME}", {}, NEW_HOME),
])
def test_the_answer_to_where_to(parser: NluParser, text: str, slots: dict, destination: str | None) -> None:
    for expected in ("destination", "address"):
        r = parser.parse(text, now=NOW, expected=expected)
        assert r.slots == slots and r.flags.get("destination") == destination, (expected, r)


@pytest.mark.parametrize(("text", "destination"), [
    ("moving to 12 Baker Street", "12 Baker Street"),
    ("we're moving to 12 Baker Street, Flat 2", "12 Baker Street, Flat 2"),
    ("change the destination to 7 Hill Road", "7 Hill Road"),
    ("our new home is 7 Hill Road", "7 Hill Road"),
])
def test_where_a_move_ends_said_alone_in_english(parser: NluParser, text: str, destination: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("destination") == destination and "address" not in r.slots, r


def test_english_moves_to_a_time_or_within_a_home_have_no_destination(parser: NluParser) -> None:
    assert "destination" not in parser.parse("move it to Friday", now=NOW).flags
    assert "destination" not in parser.parse("move the sofa to the bedroom tomorrow", now=NOW).flags
    both = parser.parse("moving from 18 Orchard Road to 5 Marina Bay on Saturday", now=NOW)
    assert (both.slots["address"], both.flags["destination"]) == ("18 Orchard Road", "5 Marina Bay")
