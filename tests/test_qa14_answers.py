"""QA round 14, played through `jiedan chat`: questions that read as bookings or went to a
person get their answer ("do you work on sundays?", "how early can you come tomorrow?",
"do you bring your own cleaning supplies?"), a wish for an earlier or later hour at the summary
moves the time, the same-visit offer has quick replies and takes its "no", a returning
customer's name is reused, gibberish keeps the business's language, and a price asked
with a word two services share prices both."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

HOURS_ZH = "我们每天 07:00–22:00 上门（开锁换锁 24 小时）。"
HOURS_EN = "Visits can start between 07:00 and 22:00, every day (Locksmith: 24 hours)."


# ---------------------------------------------------------------- the days and hours asked
@pytest.mark.parametrize(("lang", "text", "answer"), [
    ("en", "do you work on sundays?", HOURS_EN),
    ("en", "how early can you come tomorrow?", HOURS_EN),
    ("zh", "礼拜天干活吗", HOURS_ZH),
    ("zh", "明天最早几点能来", HOURS_ZH),
    ("zh", "周日上班吗", "我们每天 7:00–22:00 上门服务"),  # the owner's FAQ answer
    ("zh", "周末营业吗", "我们每天 7:00–22:00 上门服务"),
])
async def test_asking_which_days_or_how_early_gets_the_hours(make_app, lang: str, text: str, answer: str) -> None:
    app = await make_app()
    reply = await Customer(app, lang=lang).say(text)
    assert reply.startswith(answer), reply
    assert "passed your question" not in reply and "Which service" not in reply and "什么服务" not in reply
    assert await all_orders(app) == []


@pytest.mark.parametrize(("lang", "text", "answer"), [
    ("en", "do you bring your own cleaning supplies?", "Cleaners bring their own tools and products"),
    ("en", "do you bring cleaning products?", "Cleaners bring their own tools and products"),
    ("zh", "你们自己带清洁工具吗", "保洁师傅自带工具和清洁剂"),
])
async def test_asking_about_supplies_gets_the_faq_not_a_booking(make_app, lang: str, text: str, answer: str) -> None:
    app = await make_app()
    reply = await Customer(app, lang=lang).say(text)
    assert reply.startswith(answer), reply
    assert "Regular cleaning" not in reply and "日常保洁" not in reply


@pytest.mark.parametrize(("text", "service"), [
    ("deep cleaning tomorrow 3pm, do you bring cleaning supplies?", "deep_cleaning"),
    ("明天日常保洁，要自己准备清洁剂吗", "daily_cleaning"),
])
def test_supplies_asked_in_a_booking_are_the_faqs_not_another_service(text: str, service: str) -> None:
    r = NluParser(catalog=demo_catalog()).parse(text, now=NOW)
    assert (r.slots["service"], r.flags.get("faq"), r.flags.get("also")) == (service, 4, None)


# ---------------------------------------------------------------- earlier or later, at the summary
@pytest.mark.parametrize(("lang", "booking", "wish", "when"), [
    ("en", "deep cleaning tomorrow at 2pm, 88 Jianguo Road Apt 1203, 13800001111", "earlier please, like 10",
     "10:00"),
    ("en", "deep cleaning tomorrow at 9am, 88 Jianguo Road Apt 1203, 13800001111", "later, around 4", "16:00"),
    ("zh", "明天下午3点深度保洁，朝阳区建国路88号1号楼101，13800001111", "早点吧，10点", "10:00"),
])
async def test_an_earlier_or_later_hour_at_the_summary_moves_the_time(make_app, lang: str, booking: str,
                                                                      wish: str, when: str) -> None:
    c = Customer(await make_app(), lang=lang)
    first = await c.say(booking)
    day = "Wed 25 Nov" if lang == "en" else "11月25日（周三）"
    assert day in first
    reply = await c.say(wish)
    assert f"{day}{', ' if lang == 'en' else ''}{when}" in reply, reply
    assert "didn't catch" not in reply and "备注" not in reply and "Note" not in reply


# ---------------------------------------------------------------- the same-visit offer, and a returning name
TWO = "明天下午3点深度保洁和擦玻璃，朝阳区建国路88号1号楼101，13800001111"


@pytest.mark.parametrize("yes", ["1", "好的"])
async def test_the_same_visit_offer_has_quick_replies_and_a_1_books_it(make_app, yes: str) -> None:
    c = Customer(await make_app())
    await c.say(TWO)
    offer = await c.say("确认")
    assert "您还要擦玻璃" in offer, offer
    assert [(ch.label, ch.payload) for ch in c.last.choices] == [("好的，也约上", "affirm"), ("不用了", "deny")]
    summary = await c.say(yes)
    assert "请核对订单" in summary and "· 服务：擦玻璃" in summary and "没太明白" not in summary, summary


async def test_the_same_visit_offer_in_english_has_quick_replies(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("deep cleaning and window cleaning tomorrow at 3pm, 88 Jianguo Road Apt 1203, 13800001111")
    assert "You also asked for window cleaning" in await c.say("yes")
    assert [ch.label for ch in c.last.choices] == ["Yes, book it", "No, thanks"]


async def test_no_to_the_offered_service_by_name_declines_it_and_cancels_nothing(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(TWO)
    await c.say("确认")
    reply = await c.say("不用擦玻璃了")
    assert reply.startswith("好的，擦玻璃就先不约了。"), reply
    assert "取消" not in reply
    [order] = await all_orders(app)
    assert (order.service_id, order.status) == ("deep_cleaning", "confirmed")


async def test_a_returning_customers_name_is_reused_like_the_phone(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点深度保洁，朝阳区建国路88号1号楼101，13800001111，王女士")
    await c.say("确认")
    summary = await c.say("后天上午10点擦玻璃，朝阳区建国路88号1号楼101")
    assert "· 电话：13800001111（沿用您上次留的号码）" in summary and "· 称呼：王女士" in summary, summary
    await c.say("确认")
    assert [o.name for o in await all_orders(app)] == ["王女士", "王女士"]


# ---------------------------------------------------------------- gibberish keeps the language
async def test_gibberish_first_gets_the_businesss_language(make_app) -> None:
    reply = await Customer(await make_app()).say("asdfghjkl")
    assert reply.startswith("抱歉，我没太明白您的意思。"), reply


async def test_gibberish_in_an_english_chat_stays_english(make_app) -> None:
    c = Customer(await make_app())
    assert (await c.say("hello")).startswith("Hello!")
    reply = await c.say("asdfghjkl")
    assert reply.startswith("Sorry, I didn't understand."), reply


# ---------------------------------------------------------------- a price for a word two services share
async def test_a_price_for_cleaning_prices_both_cleaning_services(make_app) -> None:
    reply = await Customer(await make_app()).say("你们做保洁多少钱")
    assert "· 深度保洁：¥298\n· 日常保洁：¥45 每小时\n" in reply, reply
    assert "分钟" not in reply and "想约哪项直接告诉我" in reply


@pytest.mark.parametrize(("lang", "text", "answer"), [
    ("zh", "日常保洁多少钱", "日常保洁：¥45 每小时（一般约2小时）。需要预约吗？"),
    ("zh", "钟点工多少钱", "日常保洁：¥45 每小时（一般约2小时）。需要预约吗？"),
    ("en", "how much is regular cleaning?", "Regular cleaning: ¥45 per hour (usually about 2 hours). Shall I book it?"),
])
async def test_an_hourly_price_says_the_usual_hours_not_minutes(make_app, lang: str, text: str, answer: str) -> None:
    reply = await Customer(await make_app(), lang=lang).say(text)
    assert reply.startswith(answer), reply
