"""The owner's questions and answers (catalog `faq:`): "几点开门", "能开发票吗" and the like
got "没明白"; now they get the owner's answer, mid-booking too, and the booking's
question stands."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import CatalogError, demo_catalog, parse_catalog
from tests.test_dialogue import Customer

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
SMALL = """
business: {name: 小王开锁}
services:
  - {id: lock, name: {zh: 开锁, en: Locksmith}}
faq:
  - keywords: [发票, invoice]
    answer: 可以开发票。
  - keywords: [pay, 付款]
    answer: {zh: 完工后付款。, en: You pay when it's done.}
"""


def test_faq_entries_load_with_one_answer_or_one_per_language() -> None:
    faq = parse_catalog(SMALL).faq
    assert [e.keywords for e in faq] == [["发票", "invoice"], ["pay", "付款"]]
    assert faq[0].answer_in("en") == "可以开发票。" and faq[1].answer_in("en") == "You pay when it's done."
    assert parse_catalog("business: {name: B}\nservices: [{id: a, name: {zh: 甲}}]").faq == []
    for bad in ("faq: [{keywords: [], answer: x}]", "faq: [{keywords: ['  '], answer: x}]",
                "faq: [{keywords: [a], answer: x, extra: 1}]", "faq: [{answer: x}]"):
        with pytest.raises(CatalogError, match="faq"):
            parse_catalog(f"business: {{name: B}}\nservices: [{{id: a, name: {{zh: 甲}}}}]\n{bad}", "x.yaml")


@pytest.mark.parametrize(("text", "entry"), [
    ("你们几点开门", 0), ("周末营业吗", 0), ("what are your opening hours?", 0),
    ("能开发票吗", 1), ("開發票嗎", 1), ("INVOICE?", 1),
    ("怎么付款", 2), ("do you take cash", 2), ("要自带清洁剂吗", 4),
    ("大概要几个小时？", 5), ("一般要做多久", 5), ("how long does it take?", 5),
    # the longer keyword wins: "how many hours" is the duration, though "hours" asks the opening hours
    ("how many hours do I need for a 2 bedroom flat", 5), ("what are your hours", 0),
])
def test_a_question_the_owner_answered_is_found(text: str, entry: int) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert (r.intent, r.flags.get("faq")) == ("other", entry)


@pytest.mark.parametrize("text", [
    "明天下午帮我开门，钥匙锁里面了",   # a booking, though 开门 is a keyword
    "多少钱",                           # the price list answers it
    "I need to repay you",              # "pay" only as a whole word
    "谢谢",
    "几小时后到",                        # when the technician comes, not how long the job takes
])
def test_requests_and_chat_are_no_faq(text: str) -> None:
    assert "faq" not in NluParser(demo_catalog()).parse(text, now=NOW).flags


async def test_the_bot_answers_with_the_owners_words_and_the_booking_goes_on(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "7:00–22:00" in await c.say("你们几点开门")
    await c.say("我想约个深度保洁")
    answer = await c.say("能开发票吗")
    assert "可以开发票" in answer and "哪天" in answer, "the booking's question stands"
    assert "地址" in await c.say("明天下午3点")
    en = Customer(app, user="u2", lang="en")
    assert "WeChat Pay" in await en.say("how do I pay?")


async def test_how_long_a_job_takes_is_answered_at_the_summary_and_the_summary_stands(make_app) -> None:
    """It was put on the order's note as a question for staff, who answer it every day."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点日常保洁，朝阳区百子湾路32号3号楼502，13900001111")
    answer = await c.say("大概要几个小时？")
    assert "两居室3小时" in answer and "备注" not in answer and "确认" in answer
    summary = await c.say("那就3小时吧")
    assert "两居室3小时" not in summary and "× 3小时 = ¥135" in summary
    en = Customer(app, user="u2", lang="en")
    assert "3 for two bedrooms" in await en.say("how many hours do I need for a 2 bedroom flat?")
