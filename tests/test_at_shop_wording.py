"""The words of a visit at our place (catalog `at_shop`): no "上门", "师傅", "come to you".

Before, a salon whose every booking was "到店" still read the home-visit wording
everywhere else: "我们每天 10:00–21:00 上门", "周日我们休息，不上门", "最早 … 能上门",
"师傅上门前要打电话联系您", "已有师傅接单…会按约定时间上门", "Visits can start…", "The
soonest we can come…", and the staff's escalation masked the shop's own address. Now each
says what a customer who comes to us reads, chosen by the visit's service (its `at_shop`),
or with none yet by the business's own default; home visits read as before (the existing
tests pin the demo catalog's words)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from handlers.render import Renderer
from storage.catalog import demo_catalog, parse_catalog
from tests.conftest import Clock
from tests.reminder_helpers import run_until, staff_do, wire
from tests.test_at_shop import HOME, SHOP_EN, SHOP_ZH, _app_with
from tests.test_dialogue import Customer, all_orders

# Open 10:00-21:00, shut on Mondays, one station: a salon with one home service.
SALON = f"""
business:
  name: {{zh: 小美美甲, en: Xiaomei Nails}}
  address: {{zh: {SHOP_ZH}, en: "{SHOP_EN}"}}
  at_shop: true
  hours: "10:00-21:00"
  days_off: [mon]
  capacity: 1
services:
  - {{id: manicure, name: {{zh: 美甲, en: Manicure}}, synonyms: [做指甲, nails], price: 168, duration_minutes: 90}}
  - {{id: bridal_makeup, name: {{zh: 新娘跟妆, en: Bridal make-up}}, synonyms: [跟妆], price: 1280, at_shop: false}}
"""
HOME_WORDS = ("上门", "师傅", "technician", "visit", "come to you", "we can come", "arriv")


async def _salon(make_app, tmp_path: Path):  # noqa: ANN001, ANN202
    return await _app_with(make_app, tmp_path, SALON)


def _no_home_words(text: str) -> None:
    said = [w for w in HOME_WORDS if w in text.lower()]
    assert not said, f"{said} in {text!r}"


# ----- before booking: hours, days off, full, soonest --------------------------------


async def test_hours_are_opening_hours(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    zh = await Customer(app).say("你们几点营业")
    en = await Customer(app, user="e1", lang="en").say("what are your hours?")
    assert zh.startswith("我们每天 10:00–21:00 营业。"), zh
    assert en.startswith("Appointments can start between 10:00 and 21:00, every day."), en
    _no_home_words(zh), _no_home_words(en)


async def test_a_salon_with_one_home_service_greets_as_a_salon(make_app, tmp_path: Path) -> None:
    """Before, its one home service (bridal make-up) made the greeting ask an address with a
    deep clean at 望京SOHO as the example, and the help, the price list and "not understood"
    gave a deep clean as theirs."""
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    greeting = await c.say("你好")
    assert "什么服务、什么时间和电话" in greeting and "“周六下午两点美甲，电话13812345678”" in greeting, greeting
    assert "· 预约服务：说出服务、时间和电话" in await c.say("帮助")
    assert "比如“明天下午3点美甲”" in await c.say("价目表")
    assert "您还没有订单。直接告诉我服务和时间就可以预约。" in await c.say("我的订单")
    hello = await Customer(app, user="e1", lang="en").say("help")
    assert "· book a service: tell me what, when and your phone" in hello, hello
    assert '"how much is manicure"' in hello
    for text in (greeting, hello):
        assert "望京" not in text and "deep clean" not in text and "保洁" not in text, text


async def _asked(app, zh: str, en: str) -> tuple[str, str]:  # noqa: ANN001
    """What a new Chinese and a new English customer of `app` are answered."""
    said = await Customer(app).say(zh), await Customer(app, user="e1", lang="en").say(en)
    for text in said:
        _no_home_words(text)
    return said


async def test_a_closed_day_says_closed_not_no_visits(make_app, tmp_path: Path) -> None:
    zh, en = await _asked(await _salon(make_app, tmp_path), "下周一下午两点做美甲", "manicure next monday at 2pm")
    assert "抱歉，11月30日（周一）我们休息，请换一天。" in zh, zh
    assert "Sorry, we are closed on Mon 30 Nov. Please pick another day." in en, en


async def test_a_time_outside_the_hours_names_the_opening_hours(make_app, tmp_path: Path) -> None:
    zh, en = await _asked(await _salon(make_app, tmp_path), "明天晚上10点做美甲", "manicure tomorrow at 10pm")
    assert "抱歉，我们的营业时间是 10:00–21:00，22:00不在其中，请换个时间。" in zh, zh
    assert "Sorry, appointments can start only between 10:00 and 21:00, and 22:00 is outside that." in en, en


async def test_an_hour_gone_offers_the_soonest_we_can_see_you(make_app, tmp_path: Path) -> None:
    zh, en = await _asked(await _salon(make_app, tmp_path), "今天下午3点做美甲", "manicure today at 3pm")
    assert "今天15:00已经过了，今天最早 20:30 可以约" in zh, zh  # Tue 20:00, open till 21:00
    assert "The soonest we can see you today is 20:30" in en, en


async def test_the_day_over_offers_tomorrows_opening(make_app, clock: Clock, tmp_path: Path) -> None:
    clock.now = clock.now.replace(hour=21, minute=30)
    zh, en = await _asked(await _salon(make_app, tmp_path), "今天做美甲", "manicure today")
    assert "今天的营业时间已经结束了（每天 10:00–21:00），最早 11月25日（周三）10:00 可以约" in zh, zh
    assert "We have no more appointments today (appointments start 10:00–21:00). " \
           "The soonest we can see you is Wed 25 Nov, 10:00" in en, en


async def test_a_full_slot_says_we_are_fully_booked(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    first = Customer(app, user="u0")
    await first.say("明天下午两点做美甲，13812345678")
    assert "预约成功" in await first.say("确认")
    zh, en = await _asked(app, "明天下午两点做美甲", "manicure tomorrow at 2pm")
    assert "抱歉，11月25日（周三）14:00已经约满了。" in zh, zh
    assert "Sorry, we're fully booked at 14:00 on Wed 25 Nov." in en, en


# ----- while booking: not sure, not understood ----------------------------------------


async def test_not_sure_and_not_understood_ask_the_phone_for_changes(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    assert "请问约哪天" in await c.say("我想约个美甲")
    day = await c.say("不知道哪天")
    assert "或者最早 11月24日（周二）20:30 可以约，要约这个时间吗？" in day, day
    await c.say("周六下午两点")
    assert "需要留一个能联系到您的手机号，有变动时方便联系您。" in await c.say("不知道")
    wrong = await c.say("abc")
    assert "抱歉，这里需要一个电话号码：有变动时要打电话联系您。" in wrong, wrong
    e = Customer(app, user="e1", lang="en")
    await e.say("manicure on saturday at 2pm")
    assert "We need a mobile number we can reach you on if anything changes." in await e.say("not sure")
    assert "Sorry, I need a phone number here: we call you if anything changes." in await e.say("abc")
    for text in (day, wrong, e.last.text):
        _no_home_words(text)


async def test_a_home_service_of_the_salon_keeps_the_home_words(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    await c.say(f"周六上午10点新娘跟妆，{HOME}")
    assert "方便师傅上门前联系您" in await c.say("不知道")
    assert "师傅上门前要打电话联系您" in await c.say("abc")


# ----- once booked: confirmation, status, who, length, the worker's notices ------------


async def _notice(app, clock: Clock, sent, order_id: int, action: str, who: str, template: str) -> str:  # noqa: ANN001
    """What the customer is sent once staff member `who` takes `action` on the order."""
    await staff_do(app, order_id, action, name=who)
    await run_until(app, clock, clock())
    [text] = [m.reply.text for _, _, m in sent.customer if m.template == template]
    return text


async def test_after_booking_nobody_is_said_to_come(make_app, clock: Clock, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    sent = wire(app, clock)
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    booked = await c.say("确认")
    assert "安排好为您服务的人后会通知您。" in booked, booked
    assert "已确认，待安排" in await c.say("我的订单")
    nobody = await c.say("哪位师傅来")
    assert "还没有安排好由谁为您服务，安排好后会马上告诉您。" in nobody, nobody
    [order] = await all_orders(app)
    claimed = await _notice(app, clock, sent, order.id, "claim", "小美", "order_claimed")
    assert claimed == f"👷 您的订单 {order.number}（美甲）已安排好，由 小美 为您服务，请按约定时间到店。"
    who = await c.say("谁来给我做")
    phone = await c.say("师傅电话多少")
    assert who.endswith("）由 小美 为您服务，请按约定时间到店。"), who
    assert phone.endswith("由 小美 为您服务，请按约定时间到店。小美的电话我这里查不到。现在就需要联系的话，请回复“转人工”。"), phone
    assert "已安排（小美）" in await c.say("我的订单")
    for text in (booked, nobody, claimed, who, phone):
        _no_home_words(text)


async def test_the_worker_notices_in_english(make_app, clock: Clock, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    sent = wire(app, clock)
    c = Customer(app, user="e1", lang="en")
    await c.say("manicure on saturday at 2pm, 13812345678")
    booked = await c.say("yes")
    assert "You'll hear from us when someone is assigned to look after you." in booked, booked
    [order] = await all_orders(app)
    claimed = await _notice(app, clock, sent, order.id, "claim", "Mei", "order_claimed")
    assert claimed == (f"👷 Your order {order.number} (Manicure) has been taken by Mei: "
                       "see you at our place at the agreed time.")
    length = await c.say("how long will it take?")
    assert length.endswith("We'll tell you at our place if it needs longer."), length
    who = await c.say("who is coming?")
    assert who.endswith("is with Mei, who will see you at our place."), who
    released = await _notice(app, clock, sent, order.id, "release", "Mei", "order_released")
    assert "finding someone else to look after you" in released and "who it is" in released, released
    for text in (booked, claimed, length, who, released):
        _no_home_words(text)


# ----- templates said by the worker and to staff -----------------------------------------


def _order(service_id: str, address: str, **more: object) -> SimpleNamespace:
    return SimpleNamespace(number="20261128-0001", service_id=service_id, address=address,
                           date="2026-11-28", time="14:00", period=None, status="confirmed",
                           phone="13812345678", name=None, assignee_id=None, destination=None,
                           duration_minutes=90, quantity=None, **more)


def _renderer() -> Renderer:
    return Renderer(parse_catalog(SALON), clock=lambda: dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc))


def test_staff_see_the_shops_address_in_full_and_no_visit() -> None:
    r = _renderer()
    shop, home = _order("manicure", SHOP_ZH), _order("bridal_makeup", HOME)
    escalation = r.text("staff_escalation", "zh", reason="unclaimed", order=shop, minutes=15)
    assert f"到店地址：{SHOP_ZH}" in escalation, escalation
    assert "海淀区上地东里*号楼" in r.text("staff_escalation", "zh", reason="unclaimed", order=home, minutes=15)
    assert f"At our place: {SHOP_ZH}" in r.text("staff_escalation", "en", reason="unclaimed", order=shop, minutes=15)
    amended = r.text("staff_order_changed", "zh", kind="order_amended", number=shop.number, order=shop,
                     fields=["phone"], by_customer=True)
    assert f"到店地址 {SHOP_ZH}" in amended and "138****5678" in amended, amended
    cancelled = r.text("staff_order_changed", "zh", kind="order_cancelled", number=shop.number, order=shop,
                       fields=[], by_customer=True)
    assert cancelled == f"⚠️ 客户已取消订单 {shop.number}，这单不用做了。"
    notice = r.text("staff_assignee_notice", "en", kind="cancelled", order=shop, before=None, by_customer=True)
    assert "nothing to do for it" in notice and "no visit" not in notice, notice


def test_a_started_order_and_its_length_at_our_place() -> None:
    r = _renderer()
    assert r.text("order_started", "zh", number="N1", service="manicure") == "🔧 已开始为您服务（订单 N1，美甲）。"
    assert r.text("order_started", "zh", number="N1", service="bridal_makeup") == "🔧 师傅已开始为您服务（订单 N1，新娘跟妆）。"
    shop = r.text("length_booked", "zh", orders=[_order("manicure", SHOP_ZH)])
    assert shop.endswith("如需更久，到店后会跟您确认。"), shop
    both = r.text("length_booked", "en", orders=[_order("manicure", SHOP_ZH), _order("bridal_makeup", HOME)])
    assert both.endswith("The technician will tell you on site if it needs longer."), both


def test_the_demo_reads_as_before() -> None:
    """The home-visit words, rendered for the demo catalog, unchanged."""
    r = Renderer(demo_catalog(), clock=lambda: dt.datetime(2026, 11, 24, 12, tzinfo=dt.timezone.utc))
    hours = demo_catalog().hours_for(None)
    assert r.text("hours", "zh", hours=hours, service=None, others=[], busy=True, shop=False) \
        == f"我们每天 {hours.label()} 上门。"
    assert r.text("closed_day", "en", date="2026-11-30", service=None, asap=False, shop=False) \
        == "Sorry, we make no visits on Mon 30 Nov. Please pick another day."
    assert r.text("order_claimed", "zh", number="N1", service="deep_cleaning", staff="王师傅") \
        == "👷 您的订单 N1（深度保洁）已有师傅接单：王师傅，会按约定时间上门。"


async def test_the_board_heads_the_column_place_and_marks_ours(make_app, tmp_path: Path) -> None:
    from tests.test_dashboard_qa import visible
    from tests.test_web import ADMIN, _sign_in, client_of

    app = await _app_with(make_app, tmp_path, SALON, admin_token=ADMIN, web_cookie_secure=False)
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    await c.say("确认")
    async with client_of(app) as client:
        await _sign_in(client, ADMIN)
        board = " ".join(visible(await (await client.get("/admin?view=all&lang=zh")).text()).split())
    assert "地点" in board and f"到店：{SHOP_ZH}" in board, board


async def test_a_regular_booking_is_one_appointment(make_app, tmp_path: Path) -> None:
    c = Customer(await _salon(make_app, tmp_path))
    await c.say("周六下午两点做美甲")
    regular = await c.say("每周六都做美甲")
    assert "每次预约是一次服务：我先帮您约第一次" in regular, regular
    _no_home_words(regular)


def test_the_person_asked_for_is_stood_in_for_at_our_place() -> None:
    r = _renderer()
    staff = {"name": "小美", "last": True}
    assert r.text("staff_asked", "zh", staff=staff, shop=True) \
        == "好的，已记下：会先请上次为您服务的小美来；如果小美那时没空，会安排其他人为您服务并告诉您。"
    assert r.text("staff_asked", "en", staff={"name": "Mei", "last": False}, shop=True) \
        == "Noted: we'll ask Mei first; if Mei can't make it, someone else will look after you and we'll let you know."
    assert r.text("staff_not_found", "zh", said="小丽", served=None, several=[], shop=True) \
        == "抱歉，我们这里没有找到“小丽”，这次先由其他人为您服务，预约照常进行。"
    assert r.text("staff_not_found", "zh", said="小丽", served=None, several=[], shop=False) \
        == "抱歉，我们这里没有找到“小丽”这位师傅，这次先由其他师傅为您服务，预约照常进行。"
    nobody = r.text("staff_not_found", "en", said=None, served=None, several=[], shop=True)
    assert nobody == ("We couldn't find an earlier completed appointment of yours to take the same person from, "
                      "so someone else will look after you this time; your booking goes ahead as usual."), nobody
    asked = r.text("confirmed", "zh", order=_order("manicure", SHOP_ZH, price=None, total=None, notes=None,
                                                   preferred_staff_id=None), note=None, staff={"name": "小美"})
    assert "如果小美那时没空，会安排其他人为您服务并告诉您。" in asked and "师傅" not in asked, asked


def test_messages_about_a_visit_at_our_place_name_no_technician() -> None:
    r = _renderer()
    manicure = parse_catalog(SALON).get("manicure")
    counted = r.text("counted_noted", "zh", service=manicure, thing="十个指甲")
    assert counted == "美甲按次收费（¥168），十个指甲算一次，已记在备注里；具体价格以到店确认为准。"
    assert r.text("counted_noted", "en", service=manicure, thing="ten nails").endswith(
        "ten nails in one appointment, noted on the order; the price is confirmed at our place.")
    message = r.text("staff_message", "zh", number="N1", service="manicure", staff="小美", text="到了请稍等",
                     technician=True)
    assert message.startswith("💬 服务人员（小美）关于订单 N1"), message
    assert r.text("staff_message", "en", number="N1", service="manicure", staff="Mei", text="hi",
                  technician=True).startswith("💬 From our staff (Mei) about order N1")
    assert r.text("review_comment_thanks", "zh", comment="没做好", redo=True, low=True, shop=True) \
        == "收到，已把您说的情况转给工作人员，他们会尽快联系您，安排您再来一次处理。"
    refused = r.text("quantity_refused", "en", why="per_visit", service=manicure, quantity=3, order=None, added=False)
    assert refused.startswith("Manicure is priced per appointment (¥168)") and "several appointments" in refused
    assert "您是想多约几次，还是" in r.text("quantity_refused", "zh", why="per_visit", service=manicure, quantity=3,
                                     order=None, added=False)
