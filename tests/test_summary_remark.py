"""A remark for the staff said to the summary ("东西不多 大概十几个箱子 有电梯", "there's a dog,
please ring first"): it was "not understood" unless labelled 备注. Now it goes on the order's
note (after any note there), the customer is told so and sees the summary again to confirm.
Yes, no, corrections, questions, greetings, ratings and gibberish are read as before."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
CLEAN = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
CLEAN_EN = "deep clean tomorrow 10am, 12 Baker Street, 13812345678"
MOVE = "明天下午3点搬家，朝阳区建国路88号1号楼101，13800001111"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- the NLU: a whole message that is a remark, and what is none -------------------
@pytest.mark.parametrize("text", [
    "东西不多 大概十几个箱子 有电梯", "家里有猫，别开阳台门", "门口有保安，报我名字就行", "有电梯",
    "小区不让停车", "请带鞋套", "钥匙在门口地垫下面",
    "there's a dog, please ring first", "parking is in the basement", "the gate code is 1234",
    "please bring a ladder", "we have a cat",
])
def test_a_remark_is_read_as_written_and_nothing_else(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots, r.flags.get("remark"), r.flags.get("note")) == ("other", {}, text, None)


@pytest.mark.parametrize("text", [
    "asdf", "。。。", "aaaaaaa", "123", "哈哈哈哈", "hmm", "lol", "test", "太贵了", "我再想想", "let me think",
    "你好", "hello", "谢谢", "好的", "确认", "yes", "不对", "取消", "算了", "稍等",
    "改成后天", "地址错了", "电话有误", "需要我在家吗？", "可以开发票吗", "师傅几点到", "5星", "满意",
    "别改了", "不要这个", "别弄了", "千万别",  # an instruction about the booking, not the home
    CLEAN + "，家里有猫",  # a booking's aside is its note, not a remark
])
def test_no_remark_where_there_is_none(parser: NluParser, text: str) -> None:
    assert "remark" not in parser.parse(text, now=NOW).flags


# ----- the dialogue: at the summary ---------------------------------------------------
@pytest.mark.parametrize(("lang", "booking", "remark", "noted", "yes"), [
    ("zh", CLEAN, "门口有保安，报我名字就行", "已记在订单备注里", "确认"),
    ("zh", CLEAN, "家里有猫，别开阳台门", "已记在订单备注里", "确认"),
    ("en", CLEAN_EN, "there's a dog, please ring first", "added that to the order's notes", "yes"),
    ("en", CLEAN_EN, "parking is in the basement", "added that to the order's notes", "yes"),
])
async def test_a_remark_at_the_summary_is_noted_and_confirmed_with_the_order(
        make_app, lang: str, booking: str, remark: str, noted: str, yes: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(remark)
    assert noted in reply and remark in reply
    assert ("备注：" if lang == "zh" else "Notes: ") + remark in reply  # the summary again, with it
    assert c.payloads == ["affirm", "deny", "cancel"]  # confirm, change, cancel: the yes still to give
    assert "没太明白" not in reply and "didn't" not in reply
    await c.say(yes)
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", remark)


async def test_a_move_remark_is_added_after_the_note_already_there(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(MOVE)
    assert "请核对订单" in await c.say("海淀区上地东里5号楼")
    first = await c.say("东西不多 大概十几个箱子 有电梯")
    assert "已记在订单备注里" in first and "备注：东西不多 大概十几个箱子 有电梯" in first
    second = await c.say("家里有猫，别开阳台门")
    assert "备注：东西不多 大概十几个箱子 有电梯；家里有猫，别开阳台门" in second
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert order.notes == "东西不多 大概十几个箱子 有电梯；家里有猫，别开阳台门"


async def test_a_remark_to_what_to_change_is_noted_too(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    await c.say("修改")  # "what to change?", no field picked
    reply = await c.say("门口有保安，报我名字就行")
    assert "已记在订单备注里" in reply and "请核对订单" in reply


async def test_a_labelled_note_at_the_summary_is_said_to_be_noted(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    reply = await c.say("备注：带梯子")
    assert "已记在订单备注里：“带梯子”" in reply and "备注：带梯子" in reply


@pytest.mark.parametrize(("lang", "booking", "text"), [
    ("zh", CLEAN, "asdf"), ("zh", CLEAN, "。。。"), ("en", CLEAN_EN, "asdf"),
])
async def test_gibberish_at_the_summary_is_still_not_understood(make_app, lang: str, booking: str,
                                                                 text: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(text)
    assert ("没太明白" if lang == "zh" else "didn't catch that") in reply
    [order] = await all_orders(app)
    assert order.notes in (None, "")


async def test_a_correction_at_the_summary_still_changes_the_day(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    [before] = await all_orders(app)
    reply = await c.say("改成后天")
    assert "已记在订单备注里" not in reply and "请核对订单" in reply
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.date - before.date).days == 1 and order.notes in (None, "")


async def test_a_question_at_the_summary_is_still_answered(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    faq = await c.say("可以开发票吗")
    assert "已记在订单备注里" not in faq and "没太明白" not in faq
    passed = await c.say("需要我在家吗？")
    assert "您的问题“需要我在家吗？”已记在订单备注里" in passed


async def test_a_remark_with_no_booking_is_not_understood_as_before(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "没太明白" in await c.say("门口有保安，报我名字就行")
    assert await all_orders(app) == []


# ----- a yes with a remark after it: confirmed, with it on the note -----------------------
@pytest.mark.parametrize(("text", "note"), [
    ("好的，家里有猫", "家里有猫"),
    ("好的，家里有猫，别开阳台门", "家里有猫，别开阳台门"),
    ("确认，门口有保安，报我名字就行", "门口有保安，报我名字就行"),
    ("yes, there's a dog", "there's a dog"),
])
def test_a_yes_then_a_remark_is_a_yes_with_a_note(parser: NluParser, text: str, note: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.slots, r.flags.get("note")) == ("affirm", {}, note)


@pytest.mark.parametrize("text", ["好的，谢谢", "好的，改成后天", "对，地址错了", "不对，家里有猫"])
def test_a_yes_or_no_with_no_remark_after_it_has_no_note(parser: NluParser, text: str) -> None:
    assert "note" not in parser.parse(text, now=NOW).flags


@pytest.mark.parametrize(("lang", "booking", "text", "said", "note"), [
    ("zh", CLEAN, "好的，家里有猫，别开阳台门", "已添加备注：家里有猫，别开阳台门", "家里有猫，别开阳台门"),
    ("en", CLEAN_EN, "yes, there's a dog", "Note added: there's a dog", "there's a dog"),
])
async def test_a_yes_with_a_remark_confirms_with_it_on_the_note(make_app, lang: str, booking: str, text: str,
                                                                said: str, note: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    assert said in await c.say(text)
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", note)
