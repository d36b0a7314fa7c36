"""QA round 10: a price asked for several things books them all; an English address keeps its
building and room; a refusal of a same-visit offer is acknowledged; a question about the staff
changes no service; a question with a change at the summary is answered."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

ADDRESS = "朝阳区建国路88号1号楼101"


@pytest.mark.parametrize(("text", "service"), [
    ("修2台洗衣机多少钱", "appliance_repair"),
    ("修两台空调多少钱", "appliance_repair"),
    ("清洗2台空调多少钱", "appliance_cleaning"),
])
def test_a_count_after_a_verb_is_the_quantity(text: str, service: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert (r.intent, r.slots.get("service"), r.slots.get("quantity")) == ("price", service, 2)


def test_time_spent_is_still_no_quantity() -> None:
    assert "quantity" not in NluParser(demo_catalog()).parse("修了两个小时还没修好", now=NOW).slots


@pytest.mark.parametrize("yes", ["好的", "好 约一个 明天下午3点"])
async def test_a_booking_after_a_price_for_two_keeps_the_two(make_app, yes: str) -> None:
    app = await make_app()
    c = Customer(app)
    assert "× 2 = ¥300" in await c.say("洗2台洗衣机多少钱")
    await c.say(yes)
    if "date" not in yes:
        await c.say("明天下午3点")
    await c.say(ADDRESS)
    summary = await c.say("13800001111")
    assert "¥300" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity) == ("appliance_cleaning", 2)


async def test_a_booking_after_a_price_for_two_keeps_the_two_en(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "× 2" in await c.say("how much to clean 2 aircons")
    for text in ("ok book it tomorrow 3pm", "88 Jianguo Road apt 1203", "13800001111", "confirm"):
        await c.say(text)
    [order] = await all_orders(app)
    assert (order.service_id, order.quantity) == ("appliance_cleaning", 2)


@pytest.mark.parametrize("address", [
    "building 1 room 101, 88 Jianguo Road",
    "Room 101, Building 1, 88 Jianguo Road",
    "bldg 3 rm 502, 88 Jianguo Road",
    "88 Jianguo Road bldg 3 rm 502",
    "88 Jianguo Rd, Bldg 3, Rm 502",
])
def test_an_english_address_keeps_its_building_and_room(address: str) -> None:
    slots = NluParser(demo_catalog()).parse(f"Deep clean tomorrow at 10am at {address}, 13812345678", now=NOW).slots
    assert (slots["address"], slots["phone"]) == (address, "13812345678")
    assert "notes" not in slots


async def test_an_abbreviated_room_is_booked_in_the_address(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 10am")
    assert "bldg 3 rm 502, 88 Jianguo Road" in await c.say("bldg 3 rm 502, 88 Jianguo Road")
    summary = await c.say("13800001111")
    assert "Address: bldg 3 rm 502, 88 Jianguo Road" in summary and "Notes" not in summary
    await c.say("confirm")
    [order] = await all_orders(app)
    assert (order.address, order.notes) == ("bldg 3 rm 502, 88 Jianguo Road", None)


# ----- 3. a refusal of the second service offered for the same visit -------------------------
@pytest.mark.parametrize(("lang", "no", "said"), [
    ("zh", "不用了", "好的，擦玻璃就先不约了"),
    ("zh", "算了", "好的，擦玻璃就先不约了"),
    ("en", "no thanks", "OK, no window cleaning for now"),
])
async def test_a_refused_same_visit_offer_is_acknowledged_and_dropped(make_app, lang: str, no: str,
                                                                      said: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    zh = lang == "zh"
    await c.say("明天上午10点深度保洁和擦玻璃，" + ADDRESS + "，13800001111" if zh else
                "Deep clean and window cleaning tomorrow at 10am, 88 Jianguo Road apt 1203, 13800001111")
    assert "¥180" in await c.say("确认" if zh else "yes")
    assert said in await c.say(no)
    assert "请核对订单" not in await c.say("好的" if zh else "yes")  # the offer is gone
    [order] = await all_orders(app)
    assert (order.service_id, order.status) == ("deep_cleaning", "confirmed")


async def test_a_yes_to_the_same_visit_offer_still_books_it(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点深度保洁和擦玻璃，" + ADDRESS + "，13800001111")
    await c.say("确认")
    assert "· 服务：擦玻璃" in await c.say("好的")
    await c.say("确认")
    assert [o.service_id for o in await all_orders(app)] == ["deep_cleaning", "window_cleaning"]


async def test_a_refused_price_offer_is_acknowledged(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("擦玻璃多少钱")
    assert "擦玻璃就先不约了" in await c.say("不用了")
    assert await all_orders(app) == []


# ----- 4. a question about the staff -------------------------------------------------------------
@pytest.mark.parametrize("text", ["阿姨是女的吗", "保洁阿姨是女的吗", "师傅是男的还是女的", "is the cleaner a woman?",
                                  "will the cleaner be a woman?", "does the cleaner speak English?"])
def test_a_question_about_the_staff_names_no_service(text: str) -> None:
    r = NluParser(demo_catalog()).parse(text, now=NOW)
    assert (r.intent, r.slots, r.flags.get("asks")) == ("other", {}, text)


@pytest.mark.parametrize(("text", "service"), [("阿姨会擦玻璃吗", "window_cleaning"), ("保洁阿姨明天能来吗", "daily_cleaning")])
def test_a_question_naming_a_service_or_a_day_is_still_about_it(text: str, service: str) -> None:
    assert NluParser(demo_catalog()).parse(text, now=NOW).slots["service"] == service


def test_a_staff_question_in_a_booking_is_no_second_service() -> None:
    r = NluParser(demo_catalog()).parse("明天上午10点深度保洁，保洁阿姨是女的吗", now=NOW)
    assert (r.slots["service"], r.flags.get("asks"), r.flags.get("also")) == ("deep_cleaning", "保洁阿姨是女的吗", None)


@pytest.mark.parametrize(("lang", "start", "question", "noted"), [
    ("zh", "明天上午10点深度保洁", "保洁阿姨是女的吗", "您的问题“保洁阿姨是女的吗”已记在订单备注里"),
    ("en", "deep clean tomorrow 10am", "is the cleaner a woman?", 'your question ("is the cleaner a woman?")'),
])
async def test_a_staff_question_mid_booking_is_passed_on_and_the_service_kept(make_app, lang: str, start: str,
                                                                              question: str, noted: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(start)
    reply = await c.say(question)
    assert noted in reply and ("地址" in reply or "address" in reply)
    assert "日常保洁" not in reply and "Regular cleaning" not in reply
    await c.say(ADDRESS if lang == "zh" else "88 Jianguo Road apt 1203")
    summary = await c.say("13800001111")
    assert ("深度保洁" in summary or "Deep cleaning" in summary) and "❓" in summary
    assert noted in await c.say(question)  # asked again at the summary: noted once
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("deep_cleaning", "❓" + question)


# ----- 5. a change and a question at the summary -------------------------------------------------
@pytest.mark.parametrize(("lang", "booking", "change", "answer", "when", "notes"), [
    ("zh", "明天上午10点深度保洁，" + ADDRESS + "，13800001111", "改成后天，可以开发票吗", "可以开发票",
     "11月26日（周四）10:00", None),
    ("zh", "明天上午10点深度保洁，" + ADDRESS + "，13800001111", "改成后天，阿姨是女的吗", "您的问题“阿姨是女的吗”",
     "11月26日（周四）10:00", "❓阿姨是女的吗"),
    ("en", "deep clean tomorrow 10am, 88 Jianguo Road apt 1203, 13800001111", "make it Friday, can I get an invoice?",
     "we issue invoices", "Fri 27 Nov, 10:00", None),
])
async def test_a_question_with_a_change_at_the_summary_is_answered(make_app, lang: str, booking: str, change: str,
                                                                   answer: str, when: str, notes: str | None) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(change)
    assert answer in reply and when in reply, reply
    assert reply.index(answer) < reply.index(when)  # the answer, then the summary to check
    await c.say("确认" if lang == "zh" else "yes")
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", notes)
