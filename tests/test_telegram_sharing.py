"""Sharing instead of typing: a Telegram customer's phone number (the "📱 share my phone
number" button, or any contact card), a place picked on the map (a venue) and a bare map pin.

End to end through the real aiogram Bot against the fake Bot API: real Update JSON in, the
Bot API calls the bot made and what the order stores checked. The marker that asks for the
phone (`Reply.asks`) is channel-neutral: WeChat, the console and the web page ignore it.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.telegram.ui import reply_markup
from handlers.messages import Ask, Choice, Reply
from handlers.privacy import mask_pins
from handlers.reading import location_payload, payload_to_parse, venue_address
from handlers.render import numbered_text
from nlu.corrections import wrong_field
from nlu.phone import shared_number
from tests.fake_telegram import buttons, user
from tests.test_dialogue import Customer, all_orders
from tests.test_telegram import ALICE, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401 - fixtures
from tests.test_web import Visitor, _app, client_of
from tests.test_wechat import fake_api, wechat  # noqa: F401 - fixtures

CONTACT_BUTTON = {"keyboard": [[{"text": "📱 发送我的手机号", "request_contact": True}]],
                  "resize_keyboard": True, "one_time_keyboard": True}
REMOVE = {"remove_keyboard": True}
PIN_LINK = "https://uri.amap.com/marker?position=116.470000,39.990000&coordinate=wgs84"


def _shared(h: Harness, who: dict[str, Any], **content: Any) -> dict[str, Any]:
    """An update with a message that holds `content` (contact, location, venue) and no text,
    as a Telegram client sends it."""
    update = h.says(who, "x")
    del update["message"]["text"]
    update["message"].update(content)
    return update


async def _share(h: Harness, who: dict[str, Any], **content: Any) -> None:
    assert await h.post(_shared(h, who, **content)) == 200


def _markups(h: Harness, chat_id: int) -> list[Any]:
    return [p.get("reply_markup") for p in h.fake.sent(chat_id)]


# ----------------------------------------------------------------- the phone
async def test_the_phone_question_offers_the_share_button_and_the_shared_number_books(tg: Harness) -> None:
    """"请留一个联系电话" comes with a one-tap "📱 发送我的手机号" keyboard; the contact it sends
    (the customer's own: Telegram gives the number without its "+") is read as a typed
    "+86 138…": the summary shows 13812345678 and the order stores it. The keyboard is removed
    by the first reply that can carry the removal (the summary carries its own buttons)."""
    for line in ("我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203"):
        await tg.say(ALICE, line)
    asked = tg.fake.sent(1001)[-1]
    assert "电话" in asked["text"] and asked["reply_markup"] == CONTACT_BUTTON
    assert _markups(tg, 1001)[0] is None, "the address question has no keyboard"

    await _share(tg, ALICE, contact={"phone_number": "8613812345678", "first_name": "Alice", "user_id": 1001})
    summary = tg.fake.last(1001)
    assert "13812345678" in summary["text"] and list(buttons(summary)) == ["确认下单", "修改", "取消"]
    assert await tg.press(ALICE, summary, "确认下单") == 200
    done = tg.fake.sent(1001)[-1]
    assert "预约成功" in done["text"] and done["reply_markup"] == REMOVE
    order = await tg.order()
    assert (order.status, order.phone, order.address) == ("confirmed", "13812345678", "朝阳区望京SOHO T1 1203")

    await tg.say(ALICE, "谢谢")
    assert _markups(tg, 1001)[-1] is None, "removed once, not with every message after"
    await tg.flush()
    [card] = tg.fake.texts(STAFF)
    assert "138****5678" in card and "13812345678" not in card


async def test_a_typed_number_answers_too_and_the_next_plain_reply_removes_the_keyboard(tg: Harness) -> None:
    """The button is an offer: typing the number works as before, and then the keyboard,
    still up (only a press hides it), goes with the next reply that can carry its removal."""
    for line in ("我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678"):
        await tg.say(ALICE, line)
    assert [m is not None and "keyboard" in m for m in _markups(tg, 1001)] == [False, True, False]
    await tg.say(ALICE, "改成后天")  # the summary again, with its buttons: the removal waits
    assert "inline_keyboard" in _markups(tg, 1001)[-1]
    await tg.say(ALICE, "门口有只狗")  # a note at the summary: a summary again
    await tg.press(ALICE, tg.fake.last(1001), "确认下单")
    assert _markups(tg, 1001)[-1] == REMOVE
    order = await tg.order()
    assert (order.status, order.phone) == ("confirmed", "13812345678")


async def test_someone_elses_card_gives_the_number_as_typed_in_english(tg: Harness) -> None:
    """A relative's card is the phone as a typed relative's number is: a card from the address
    book keeps the number as written (no "+" that would make a local number foreign); a
    Telegram account's card is international (the "+" put back). A card that holds no phone
    number is answered as a typed one: what is wrong with it, and the button again."""
    ann = user(3001, "Ann", lang="en")
    for line in ("deep clean tomorrow 3pm", "Wangjing SOHO T1 1203"):
        await tg.say(ann, line)
    asked = tg.fake.sent(3001)[-1]
    assert asked["reply_markup"]["keyboard"] == [[{"text": "📱 Share my phone number", "request_contact": True}]]

    await _share(tg, ann, contact={"phone_number": "12345", "first_name": "Mum"})
    wrong = tg.fake.sent(3001)[-1]
    assert "11 digits" in wrong["text"] and wrong["reply_markup"]["keyboard"][0][0]["request_contact"] is True

    await _share(tg, ann, contact={"phone_number": "447911123456", "first_name": "Bob", "user_id": 3002})
    assert "+447911123456" in tg.fake.last(3001)["text"]
    await tg.say(ann, "change the phone")
    await _share(tg, ann, contact={"phone_number": "139 1234 5678", "first_name": "Mum"})
    summary = tg.fake.last(3001)
    assert "13912345678" in summary["text"]
    await tg.press(ann, summary, "Confirm")
    order = await tg.order()
    assert (order.status, order.phone) == ("confirmed", "13912345678")


async def test_a_booked_orders_phone_changed_by_a_bare_wish_and_the_button(tg: Harness) -> None:
    """"我要改电话" once booked used to be "没太明白"; now the new number is asked for, with the
    button, and the shared number shown old → new and stored once confirmed."""
    await tg.book()
    await tg.say(ALICE, "我要改电话")
    asked = tg.fake.sent(1001)[-1]
    assert "新联系电话" in asked["text"] and asked["reply_markup"] == CONTACT_BUTTON
    await _share(tg, ALICE, contact={"phone_number": "8613912345678", "first_name": "Alice", "user_id": 1001})
    shown = tg.fake.last(1001)
    assert "13812345678 → 13912345678" in shown["text"]
    await tg.press(ALICE, shown, "确认修改")
    assert tg.fake.sent(1001)[-1]["reply_markup"] == REMOVE
    assert (await tg.order()).phone == "13912345678"


def test_a_bare_wish_to_change_a_detail_asks_for_it() -> None:
    for text, field in (("改电话", "phone"), ("电话要改一下", "phone"), ("换个电话", "phone"),
                        ("修改电话号码", "phone"), ("change my phone number", "phone"), ("改地址", "address"),
                        ("地址要改一下", "address"), ("I want to change my address", "address")):
        assert wrong_field(text) == field, text
    for text in ("电话改成13912345678", "改成后天", "换个师傅", "改时间", "change the time"):
        assert wrong_field(text) is None, text


# ----------------------------------------------------------------- places
async def test_a_venue_is_the_address(tg: Harness) -> None:
    """A place picked on the map: its street address and name are the order's address, as
    WeChat's location label is."""
    await tg.say(ALICE, "我想明天下午3点做个深度保洁")
    await _share(tg, ALICE, location={"latitude": 39.99, "longitude": 116.47}, venue={
        "location": {"latitude": 39.99, "longitude": 116.47}, "title": "望京SOHO T1",
        "address": "北京市朝阳区阜通东大街6号"})
    asked = tg.fake.sent(1001)[-1]
    assert "北京市朝阳区阜通东大街6号 望京SOHO T1" in asked["text"] and asked["reply_markup"] == CONTACT_BUTTON
    await _share(tg, ALICE, contact={"phone_number": "+8613812345678", "first_name": "Alice", "user_id": 1001})
    await tg.press(ALICE, tg.fake.last(1001), "确认下单")
    order = await tg.order()
    assert (order.status, order.address, order.notes) == ("confirmed", "北京市朝阳区阜通东大街6号 望京SOHO T1", None)


async def test_a_bare_location_is_kept_for_the_technician_and_the_address_still_asked(tg: Harness) -> None:
    """A pin has no building or flat: the bot says it got it, puts a map link on the order's
    note for the technician (its coordinates masked on the group's card, like the address),
    and still asks for the address in words."""
    await tg.say(ALICE, "我想明天下午3点做个深度保洁")
    await _share(tg, ALICE, location={"latitude": 39.99, "longitude": 116.47})
    got = tg.fake.sent(1001)[-1]["text"]
    assert "收到您的定位" in got and "门牌号" in got and "服务地址" in got
    await tg.say(ALICE, "望京SOHO T1-1203")
    assert "电话" in tg.fake.sent(1001)[-1]["text"]
    await _share(tg, ALICE, contact={"phone_number": "8613812345678", "first_name": "Alice", "user_id": 1001})
    summary = tg.fake.last(1001)
    assert PIN_LINK in summary["text"]
    await tg.press(ALICE, summary, "确认下单")
    order = await tg.order()
    assert (order.status, order.address, order.notes) == ("confirmed", "望京SOHO T1-1203", f"📍定位 {PIN_LINK}")
    await tg.flush()
    [card] = tg.fake.texts(STAFF)
    assert "📍定位 https://uri.amap.com/marker?position=***.******,**.******&coordinate=wgs84" in card
    assert "116.47" not in card and "1203" not in card


async def test_a_pin_after_the_address_only_adds_the_map_link(make_app) -> None:
    """The address already given: the pin is thanked for and noted, nothing asked again."""
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("我想明天下午3点做个深度保洁")
    await c.say("朝阳区望京SOHO T1 1203")
    got = await c.say(payload=location_payload(39.99, 116.47))
    assert "收到您的定位" in got and "门牌号" not in got and "电话" in got
    summary = await c.say("13812345678")
    assert "朝阳区望京SOHO T1 1203" in summary and PIN_LINK in summary


async def test_a_pin_at_the_summary_or_after_booking_goes_on_that_order(make_app) -> None:
    """At the summary the pin is noted as any remark is (said once, the summary again); sent
    right after booking, it goes on the order just booked, not into a new booking, in place of
    the pin before (the technician goes to one place)."""
    app = await make_app()
    c = Customer(app, channel="telegram")
    await c.say("明天下午3点深度保洁，望京SOHO T1-1203，13812345678")
    at_summary = await c.say(payload=location_payload(39.99, 116.47))
    assert at_summary.count(PIN_LINK) == 2 and "收到您的定位" not in at_summary and "请核对订单" in at_summary
    assert "预约成功" in await c.say("确认")
    later = PIN_LINK.replace("39.990000", "39.980000")
    after = await c.say(payload=location_payload(39.98, 116.47))
    assert "已改好" in after and later in after and "什么服务" not in after
    [order] = await all_orders(app)
    assert (order.status, order.notes) == ("confirmed", f"📍定位 {later}"), "a pin again stands for the first"


# ----------------------------------------------------------------- other channels
async def test_wechat_location_with_a_label_is_the_address_and_without_one_a_pin(wechat) -> None:
    """WeChat's path is the same payload: its label the address; a location without a label
    (it used to become an address of bare coordinates) a pin, its map link in China's
    GCJ-02 datum that WeChat's maps use."""
    h = await wechat()
    user_ = h.user()
    await user_.say("我想明天下午3点做个深度保洁")
    pinned = await user_.post(user_.message("location", Location_X="39.99", Location_Y="116.47", Scale=15, Label=""))
    assert "收到您的定位" in pinned.text and "📱" not in pinned.text
    asked_phone = await user_.post(user_.message(
        "location", Location_X="39.99", Location_Y="116.47", Scale=15, Label="北京市朝阳区望京SOHO塔1"))
    assert "电话" in asked_phone.text and "📱" not in asked_phone.text, "the share button is no WeChat thing"
    await user_.say("13812345678")
    await user_.say("1")
    [order] = await h.orders()
    assert (order.status, order.address) == ("confirmed", "北京市朝阳区望京SOHO塔1")
    assert order.notes == "📍定位 https://uri.amap.com/marker?position=116.470000,39.990000&coordinate=gaode"


async def test_console_and_web_show_no_share_button(make_app) -> None:
    """The phone question carries the neutral marker; the console's text and the web page's
    messages show nothing of it (the customer types the number)."""
    app = await make_app()
    c = Customer(app)
    await c.say("我想明天下午3点做个深度保洁")
    await c.say("朝阳区望京SOHO T1 1203")
    assert c.last is not None and c.last.asks == Ask(detail="phone", label="📱 发送我的手机号")
    assert "📱" not in numbered_text(c.last) and "电话" in numbered_text(c.last)
    assert "预约成功" in await c.say("13812345678") + await c.say("确认")

    web_app = await _app(make_app)
    async with client_of(web_app) as client:
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say("我想明天下午3点做个深度保洁")
        [_, asked] = await visitor.say("朝阳区望京SOHO T1 1203")
        assert "电话" in asked["text"] and "📱" not in str(asked) and asked["choices"] == []


# ----------------------------------------------------------------- the pure parts
def test_shared_numbers_read_like_typed_ones() -> None:
    assert shared_number("8613812345678", international=True) == "+8613812345678"
    assert shared_number("+8613812345678", international=True) == "+8613812345678"
    assert shared_number("138 1234 5678", international=False) == "138 1234 5678"
    assert shared_number(" 4155550123 ", international=False) == "4155550123", "no country guessed"


def test_venues_read_as_their_language_writes_an_address() -> None:
    assert venue_address("望京SOHO T1", "北京市朝阳区阜通东大街6号") == "北京市朝阳区阜通东大街6号 望京SOHO T1"
    assert venue_address("Kerry Centre", "1515 Nanjing Rd W\nJing'an") == "Kerry Centre, 1515 Nanjing Rd W Jing'an"
    assert venue_address("望京SOHO", "北京市朝阳区望京SOHO") == "北京市朝阳区望京SOHO"
    assert venue_address("Home", "") == "Home"


def test_a_pin_payload_that_is_none_is_not_read_as_one() -> None:
    assert payload_to_parse(location_payload(39.99, 116.47)).flags == {"location": ("39.990000", "116.470000", "wgs84")}
    assert payload_to_parse(location_payload(-33.9, 151.2, "gcj02")).flags["location"][2] == "gcj02"
    for bad in ("location:", "location:abc,1", "location:91,10", "location:10,10,osgb", "location:nan,1",
                "location:1,2,wgs84,4"):
        assert payload_to_parse(bad).intent == "other", bad


def test_only_the_pins_coordinates_are_masked() -> None:
    notes = f"带梯子；📍定位 {PIN_LINK}；☎我老公 13811110000"
    masked = mask_pins(notes)
    assert masked.startswith("带梯子；📍定位 https://uri.amap.com/marker?position=***.******,**.******&coordinate=wgs84；")
    assert masked.endswith("☎我老公 13811110000"), "only the pin's coordinates"


def test_a_reply_has_one_keyboard_its_quick_replies_first() -> None:
    """Telegram gives a message one keyboard: quick replies win over the phone button (the
    number can still be typed), and the removal waits for a reply with neither."""
    ask = Ask(detail="phone", label="📱 发送我的手机号")
    choices = (Choice("确认下单", "affirm"),)
    assert isinstance(reply_markup(Reply("?", choices, ask), False), InlineKeyboardMarkup)
    assert isinstance(reply_markup(Reply("?", choices), True), InlineKeyboardMarkup)
    button = reply_markup(Reply("电话？", asks=ask), True)
    assert isinstance(button, ReplyKeyboardMarkup) and button.keyboard[0][0].request_contact
    assert isinstance(reply_markup(Reply("好的"), True), ReplyKeyboardRemove)
    assert reply_markup(Reply("好的"), False) is None
    assert reply_markup(Reply("?", asks=Ask(detail="address", label="x")), False) is None
