"""QA round 10, played through `jiedan chat`: a "then" in front of a yes ("那确认吧") is a yes
(it was not understood, and the order stayed unconfirmed); "你们有什么服务" lists the services;
"你们几点开始" / "最早几点能来" / "how early can you come" are answered with the hours."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

BOOKING = "明天下午3点来朝阳区建国路88号1号楼101修马桶，电话13800001111"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(catalog=demo_catalog())


@pytest.mark.parametrize(("text", "intent"), [
    ("那确认吧", "affirm"), ("那就确认", "affirm"), ("那好吧", "affirm"), ("那就这样吧", "affirm"),
    ("那行", "affirm"), ("那么好的", "affirm"), ("就这样", "affirm"),
    ("那不用了", "deny"), ("那算了", "deny"), ("那不对", "deny"),
])
def test_a_then_in_front_of_an_answer_does_not_change_it(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


async def test_then_confirm_at_the_summary_books_the_order(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    assert "请核对订单" in await c.say(BOOKING)
    assert "预约成功" in await c.say("那确认吧")
    [order] = await all_orders(app)
    assert (order.service_id, order.status) == ("drain_unclogging", "confirmed")


@pytest.mark.parametrize("text", ["有什么服务", "what do you offer", "你们都接哪些业务"])
def test_asking_which_services_is_flagged_not_help(parser: NluParser, text: str) -> None:
    r = parser.parse(text, now=NOW)
    assert (r.intent, r.flags.get("services"), r.flags.get("help")) == ("other", True, None)


@pytest.mark.parametrize("text", ["你们有什么服务", "有哪些服务？", "你们都做什么", "你们都提供哪些服务项目"])
async def test_asking_which_services_lists_them_with_their_prices(make_app, text: str) -> None:
    c = Customer(await make_app())
    reply = await c.say(text)
    assert "· 深度保洁：¥298" in reply and "· 开锁换锁：¥100" in reply, reply
    assert "想约哪项直接告诉我" in reply and "没太明白" not in reply


async def test_asking_which_services_in_english(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    reply = await c.say("what services do you offer?")
    assert "· Deep cleaning: ¥298" in reply and "Tell me which one you would like" in reply, reply


async def test_asking_which_services_mid_booking_keeps_the_booking(make_app) -> None:
    c = Customer(await make_app())
    await c.say("明天下午3点深度保洁")
    reply = await c.say("你们还有哪些服务")
    assert "· 擦玻璃：¥180" in reply and "想约哪项" not in reply
    assert reply.rstrip().endswith("请问服务地址是？请写到门牌号（比如“朝阳区望京SOHO T1-1203”）。"), reply


async def test_what_can_you_do_gets_the_help(make_app) -> None:
    reply = await Customer(await make_app()).say("你能做什么")
    assert "我可以帮您" in reply and "没太明白" not in reply


@pytest.mark.parametrize("text", ["你们几点开始", "最早几点能来？", "最晚几点可以", "几点都可以吗"])
async def test_asking_the_hours_out_of_the_blue(make_app, text: str) -> None:
    reply = await Customer(await make_app()).say(text)
    assert reply.startswith("我们每天 07:00–22:00 上门（开锁换锁 24 小时）。"), reply
    assert "想约的话直接告诉我" in reply


async def test_asking_the_hours_when_asked_the_time_gives_the_services_hours(make_app) -> None:
    c = Customer(await make_app())
    await c.say("后天想约个保洁")
    reply = await c.say("几点？你们几点开始")
    assert reply.startswith("日常保洁每天 07:00–22:00 上门。"), reply
    assert "没太明白" not in reply and "几点方便" in reply
    assert "11月26日（周四）09:00" in await c.say("9点")


async def test_a_locksmith_comes_round_the_clock(make_app) -> None:
    c = Customer(await make_app())
    await c.say("明天要换锁")
    assert (await c.say("最早几点能来")).startswith("开锁换锁24 小时都可以上门。")


async def test_asking_the_hours_in_english(make_app) -> None:
    reply = await Customer(await make_app(), lang="en").say("how early can you come?")
    assert reply.startswith("Visits can start between 07:00 and 22:00, every day (Locksmith: 24 hours)."), reply


def test_the_owners_answer_wins_where_the_faq_has_one(parser: NluParser) -> None:
    r = parser.parse("你们几点上班", now=NOW)
    assert "faq" in r.flags and "hours" not in r.flags


# ---------------------------------------------------------------- a count of things in one visit
@pytest.mark.parametrize(("text", "counted"), [
    ("宜家的衣柜两个 周六下午", "衣柜两个"), ("装2个衣柜", "2个衣柜"), ("擦10扇窗户", "10扇窗户"),
    ("2个马桶堵了", "2个马桶"), ("3间房深度保洁", "3间房"), ("clean 10 windows tomorrow", "10 windows"),
])
def test_a_count_of_things_is_flagged_with_them(parser: NluParser, text: str, counted: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("counted") == counted


@pytest.mark.parametrize("text", ["3个深度保洁", "保洁3小时", "3 hours of cleaning", "两个"])
def test_a_count_of_visits_or_hours_is_not_a_thing(parser: NluParser, text: str) -> None:
    assert "counted" not in parser.parse(text, now=NOW).flags


async def test_things_counted_for_a_visit_go_on_the_note_in_one_visit(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("周六下午装2个衣柜，朝阳区建国路88号1号楼101，13800001111")
    assert reply.startswith("家具安装按次收费（¥150），2个衣柜一次上门，已记在备注里；具体价格以师傅上门确认为准。"), reply
    assert "多约几次" not in reply and "· 备注：2个衣柜" in reply and "× 2" not in reply
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity, order.notes, order.total) == ("furniture_assembly", None, "2个衣柜", 150)


async def test_things_counted_in_english(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    reply = await c.say("clean 10 windows tomorrow 10am")
    assert reply.startswith("Window cleaning is priced by the visit (¥180): 10 windows in one visit"), reply


async def test_things_priced_each_are_still_counted(make_app) -> None:
    c = Customer(await make_app())
    reply = await c.say("明天下午3点清洗2台空调，朝阳区建国路88号1号楼101，13800001111")
    assert "× 2" in reply and "¥300" in reply and "一次上门" not in reply, reply


async def test_a_question_about_the_technician_the_faq_answers_is_answered(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("my sink is blocked, can someone come tomorrow 10am")
    reply = await c.say("does the plumber bring tools?")
    assert reply.startswith("Cleaners bring their own tools"), reply
    assert "address" in reply and "noted" not in reply


# ---------------------------------------------------------------- doubts about a detail
@pytest.mark.parametrize(("lang", "booking", "doubt", "asked"), [
    ("zh", BOOKING, "地址好像有问题", "请问服务地址是？"),
    ("zh", BOOKING, "电话有误", "电话"),
    ("en", "deep clean tomorrow 3pm at 88 Jianguo Road apt 1203, 13800001111", "the address is wrong", "address"),
])
async def test_a_detail_said_to_be_wrong_at_the_summary_is_asked_again(make_app, lang: str, booking: str,
                                                                       doubt: str, asked: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(doubt)
    assert asked in reply and "好像有问题" not in reply and "Address: wrong" not in reply, reply
    [order] = await all_orders(app)
    assert order.address in ("朝阳区建国路88号1号楼101", "88 Jianguo Road apt 1203")


@pytest.mark.parametrize(("text", "address"), [
    ("明天下午3点来朝阳区建国路88号1号楼101修马桶", "朝阳区建国路88号1号楼101"),  # was "…101修"
    ("明天去朝阳区建国路88号1号楼101装空调", "朝阳区建国路88号1号楼101"),
    ("地址好像有问题", None), ("the address is wrong", None),  # a doubt, no address
])
def test_the_address_ends_where_the_job_or_the_doubt_begins(parser: NluParser, text: str, address: str | None) -> None:
    assert parser.parse(text, now=NOW).slots.get("address") == address
