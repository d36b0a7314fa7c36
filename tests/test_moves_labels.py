"""A move's two addresses said with what they are ("to: …", "destination: …", "from: …", "the
new address is …", "搬到：…", "目的地：…", "新地址是…", "从：…") land in the field they name,
without the label, whenever they are said during the booking; "from X to Shunyi" keeps the
area as where the move ends, as "从…搬到顺义" does."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer

NOW = dt.datetime(2026, 11, 24, 20, 0)
EN_FROM = "Apt 5, 18 Xinyuan Road"
EN_TO = "Villa 12, Yosemite compound, Shunyi"
ZH_FROM = "朝阳区新源路18号5号楼"
ZH_TO = "顺义优山美地12号别墅"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the NLU ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "destination"), [
    (f"to: {EN_TO}", EN_TO),
    ("destination: Villa 12 Yosemite", "Villa 12 Yosemite"),
    ("destination is Villa 12, Yosemite", "Villa 12, Yosemite"),
    (f"new home is {EN_TO}", EN_TO),
    (f"搬到：{ZH_TO}", ZH_TO),
    (f"目的地：{ZH_TO}", ZH_TO),
    (f"新家地址是{ZH_TO}", ZH_TO),
])
def test_a_labelled_destination_is_the_destination_without_its_label(
        parser: NluParser, text: str, destination: str) -> None:
    for expected in (None, "destination", "phone"):
        r = parser.parse(text, now=NOW, expected=expected)
        assert r.flags.get("destination") == destination and "address" not in r.slots, (expected, r)
        assert "date" not in r.slots, "12号别墅 is villa no. 12, no day of the month"


def test_a_label_is_no_place_of_its_own(parser: NluParser) -> None:
    assert "destination" not in parser.parse("the destination is wrong", now=NOW).flags


@pytest.mark.parametrize(("text", "start", "end"), [
    (f"moving next saturday 8am from {EN_FROM} to Shunyi, 13811112222", EN_FROM, "Shunyi"),
    ("moving from 18 Orchard Road to Shunyi next saturday", "18 Orchard Road", "Shunyi"),
    ("we're moving to Shunyi next saturday", None, "Shunyi"),
    ("moving to Shunyi District, 13811112222", None, "Shunyi District"),
    (f"moving to {EN_TO} next saturday at 8am", None, EN_TO),
    (f"moving next saturday 8am from {EN_FROM} to {EN_TO}, 13811112222", EN_FROM, EN_TO),
])
def test_from_a_street_to_an_area_names_both_ends(parser: NluParser, text: str, start: str, end: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.slots.get("address"), r.flags.get("destination")) == (start, end), r


@pytest.mark.parametrize("text", ["moving to Friday", "moving to December", "move to Saturday please",
                                  "moving to Friday 3pm", "moving to Dec 5th", "to: Friday"])
def test_moving_to_a_day_is_no_destination(parser: NluParser, text: str) -> None:
    assert "destination" not in parser.parse(text, now=NOW).flags


def test_which_end_a_message_names() -> None:
    for text in ("the new address is Villa 12", "new address: Villa 12", "新地址是顺义"):
        assert S.move_end_named(text) == "destination", text
    for text in (f"from: {EN_FROM}", f"from {EN_FROM}", "pickup address is 18 Xinyuan Road", f"从：{ZH_FROM}"):
        assert S.move_end_named(text) == "address", text
    for text in (EN_TO, ZH_TO, "从化区街口街道1号"):
        assert S.move_end_named(text) is None, text


# ----- the dialogue ------------------------------------------------------------------------------
def lines(summary: str, start_label: str, end_label: str) -> tuple[str, str]:
    """The summary's start address and "Moving to" values, as the customer reads them."""
    found = {}
    for line in summary.splitlines():
        for label in (start_label, end_label):
            if line.startswith(f"· {label}"):
                found[label] = line[len(f"· {label}"):].strip()
    return found.get(start_label, ""), found.get(end_label, "")


def en(summary: str) -> tuple[str, str]:
    return lines(summary, "Address:", "Moving to:")


def zh(summary: str) -> tuple[str, str]:
    return lines(summary, "地址：", "搬到：")


async def test_from_a_street_to_an_area_in_english_as_in_chinese(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say(f"moving next saturday 8am from {EN_FROM} to Shunyi, 13811112222")
    assert en(summary) == (EN_FROM, "Shunyi")
    zh_c = Customer(app, user="u2")
    assert zh(await zh_c.say(f"下周六早上8点搬家，从{ZH_FROM}搬到顺义，13811112222")) == (ZH_FROM, "顺义")


async def test_the_new_address_is_where_the_move_ends_at_any_step(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Where are you moving to?" in await c.say(f"moving next saturday 8am from {EN_FROM}")
    assert "phone" in await c.say("the new address is Villa 12, Yosemite, Shunyi")
    assert en(await c.say("13811112222")) == (EN_FROM, "Villa 12, Yosemite, Shunyi")
    assert en(await c.say(f"the new address is {EN_TO}")) == (EN_FROM, EN_TO), "at the summary too"
    zh_c = Customer(app, user="u2")
    assert "搬到哪里" in await zh_c.say(f"下周六早上8点搬家，地址{ZH_FROM}")
    assert "电话" in await zh_c.say(f"新地址是{ZH_TO}")
    assert zh(await zh_c.say("13811112222")) == (ZH_FROM, ZH_TO)
    assert zh(await zh_c.say("新家地址是顺义优山美地15号别墅")) == (ZH_FROM, "顺义优山美地15号别墅")


async def test_from_and_to_labels_set_their_own_field_whatever_was_asked(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("we are moving from Sanlitun to Shunyi next saturday, 2 bedroom apt, need movers at 8am")
    assert "phone" in await c.say("from: Apt 5, 18 Xinyuan Road, Chaoyang")
    assert "phone" in await c.say(f"to: {EN_TO}")
    assert en(await c.say("13811112222")) == ("Apt 5, 18 Xinyuan Road, Chaoyang", EN_TO)
    zh_c = Customer(app, user="u2")
    await zh_c.say("下周六早上8点搬家，从三里屯搬到顺义")
    await zh_c.say(f"从：{ZH_FROM}")
    await zh_c.say(f"搬到：{ZH_TO}")
    assert zh(await zh_c.say("13811112222")) == (ZH_FROM, ZH_TO)


async def test_a_start_said_after_the_destination_question_stays_the_start(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Where are you moving to?" in await c.say(f"moving next saturday 8am from {EN_FROM}")
    assert "Where are you moving to?" in await c.say("from: Apt 6, 18 Xinyuan Road")
    assert en(await c.say(f"to: {EN_TO}, 13811112222")) == ("Apt 6, 18 Xinyuan Road", EN_TO)
    zh_c = Customer(app, user="u2")
    assert "搬到哪里" in await zh_c.say(f"下周六早上8点搬家，地址{ZH_FROM}")
    assert "搬到哪里" in await zh_c.say("从：朝阳区新源路18号6号楼")
    assert zh(await zh_c.say(f"{ZH_TO}，13811112222")) == ("朝阳区新源路18号6号楼", ZH_TO)


async def test_labels_at_the_summary_are_not_kept_in_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(f"moving next saturday 8am from {EN_FROM} to Shunyi, 13811112222")
    assert en(await c.say(f"to: {EN_TO}")) == (EN_FROM, EN_TO)
    assert en(await c.say("destination: Villa 12 Yosemite")) == (EN_FROM, "Villa 12 Yosemite")
    summary = await c.say("moving to Villa 15, Yosemite compound, Shunyi")
    assert en(summary) == (EN_FROM, "Villa 15, Yosemite compound, Shunyi") and "Notes" not in summary
    zh_c = Customer(app, user="u2")
    await zh_c.say(f"下周六早上8点搬家，从{ZH_FROM}搬到顺义，13811112222")
    assert zh(await zh_c.say(f"搬到：{ZH_TO}")) == (ZH_FROM, ZH_TO)
    assert zh(await zh_c.say("目的地：顺义优山美地15号别墅")) == (ZH_FROM, "顺义优山美地15号别墅")
    assert zh(await zh_c.say("新地址是顺义优山美地16号别墅")) == (ZH_FROM, "顺义优山美地16号别墅")


async def test_moving_to_an_area_answers_where_to_in_english_as_搬到_does(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Where are you moving to?" in await c.say(f"moving next saturday 8am from {EN_FROM}, 13811112222")
    assert en(await c.say("we're moving to Shunyi")) == (EN_FROM, "Shunyi")
    zh_c = Customer(app, user="u2")
    assert "搬到哪里" in await zh_c.say(f"下周六早上8点搬家，地址{ZH_FROM}，13811112222")
    assert zh(await zh_c.say("搬到顺义")) == (ZH_FROM, "顺义")
