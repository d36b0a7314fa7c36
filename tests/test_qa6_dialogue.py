"""The sixth QA pass through the console channel: changing the time of a draft or an
order, which order "which one?" means, a yes with a correction, a cancel mid-change."""

from __future__ import annotations

import datetime as dt

from handlers import slots as S
from nlu.corrections import fixed_address, part_fixes, room_fix, wrong_field
from nlu.shifts import relative_move
from tests.test_dialogue import Customer, all_orders

CLEAN = "明天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678"
AIRCON = "后天下午3点修空调，朝阳区望京SOHO T1-1203"


async def one_order(app, user: str = "u1") -> Customer:
    """A customer with a deep clean booked for tomorrow (Wed 25 Nov) at 10:00."""
    c = Customer(app, user=user)
    assert "请核对订单" in await c.say(CLEAN)
    assert "预约成功" in await c.say("确认")
    return c


async def two_orders(app, user: str = "u1") -> Customer:
    """That deep clean, and an appliance repair the day after tomorrow (Thu 26 Nov) at 15:00."""
    c = await one_order(app, user)
    assert "请核对订单" in await c.say(AIRCON)
    assert "预约成功" in await c.say("确认")
    return c


# ----- 1. changing the time ---------------------------------------------------
async def test_change_the_time_of_a_draft_with_no_time_asks_the_day(make_app) -> None:
    """"改时间" to a draft with no day yet rendered ask_time with no date: a crash."""
    app = await make_app()
    for word in ("改时间", "改期"):
        c = Customer(app, user=word)
        await c.say("我要修空调")
        answer = await c.say(word)
        assert "开小差" not in answer and "哪天" in answer
    en = Customer(app, user="en", lang="en")
    await en.say("I need a plumber")
    assert "Which day" in await en.say("reschedule")


async def test_change_the_time_with_a_booked_order_is_about_that_order(make_app) -> None:
    app = await make_app()
    c = await one_order(app)
    await c.say("我要修空调")
    answer = await c.say("改时间")
    assert "20261124-0001" in answer and "开小差" not in answer


async def test_a_booked_order_moved_by_an_amount(make_app) -> None:
    """"提前一个小时" started an empty booking, and "推迟一天" then crashed."""
    app = await make_app()
    c = await one_order(app)
    assert "11月25日（周三）10:00 → 11月25日（周三）09:00" in await c.say("提前一个小时")
    assert "11月25日（周三）10:00 → 11月26日（周四）10:00" in await c.say("推迟一天")
    assert "已改好" in await c.say("确认")
    assert "11月26日（周四）10:00 → 11月26日（周四）10:30" in await c.say("往后推半小时")
    assert "11月26日（周四）10:00 → 11月26日（周四）11:00" in await c.say("晚一个小时")
    orders = await all_orders(app)
    assert len(orders) == 1 and orders[0].date == dt.date(2026, 11, 26)
    en = Customer(app, user="en", lang="en")
    await en.say(CLEAN)
    await en.say("yes")
    assert "10:00 → " in await en.say("push it back an hour") and "11:00" in en.last.text


async def test_a_move_by_an_amount_waits_for_which_order(make_app) -> None:
    app = await make_app()
    c = await two_orders(app)
    assert "哪一个" in await c.say("提前一个小时")
    assert "11月26日（周四）15:00 → 11月26日（周四）14:00" in await c.say("2")


def test_relative_move_reads_an_amount_and_a_direction() -> None:
    cases = {"提前一个小时": -60, "晚一个小时": 60, "往后推半小时": 30, "推迟一天": 1440, "延后两天": 2880,
             "早半个小时": -30, "晚一个半小时": 90, "push it back an hour": 60, "an hour later": 60,
             "bring it forward 30 minutes": -30, "晚点": None, "晚上8点": None, "早上": None, "push it back": None}
    assert {t: relative_move(t) for t in cases} == cases
    assert S.moved_by({"date": "2026-11-28", "time": "23:30"}, 60) == {"date": "2026-11-29", "time": "00:30"}
    assert S.moved_by({"date": "2026-11-28", "period": "afternoon"}, 1440) == {"date": "2026-11-29",
                                                                            "period": "afternoon"}


# ----- 2. which order? --------------------------------------------------------
async def test_which_order_answered_in_words_is_matched_against_the_list(make_app) -> None:
    """"保洁那个" to "which order?" started a new 日常保洁, and "确认取消" then dropped that
    draft: the customer believed they had cancelled while both orders stayed."""
    app = await make_app()
    c = await two_orders(app)
    assert "哪一个" in await c.say("取消订单")
    assert "深度保洁" in await c.say("保洁那个") and "家电维修" not in c.last.text
    assert "已取消" in await c.say("确认取消")
    orders = await all_orders(app)
    assert [(o.service_id, o.status) for o in orders] == [("deep_cleaning", "cancelled"),
                                                          ("appliance_repair", "confirmed")]


async def test_which_order_by_day_service_number_and_place(make_app) -> None:
    app = await make_app(rate_limit=0)  # many messages in a row
    zh = await two_orders(app)
    for answer, service in (("明天那个", "深度保洁"), ("空调那个", "家电维修"), ("0002", "家电维修"),
                            ("第二个", "家电维修")):
        assert "哪一个" in await zh.say("取消订单")
        said = await zh.say(answer)
        assert "确定要取消" in said and service in said, answer
        assert "保持不变" in await zh.say("不了")
    en = await two_orders(app, user="en")
    en.lang = "en"
    for answer, service in (("the cleaning one", "Deep cleaning"), ("tomorrow's", "Deep cleaning"),
                            ("the one on Thursday", "Appliance repair"), ("the second one", "Appliance repair")):
        assert "Which one" in await en.say("cancel my order")
        said = await en.say(answer)
        assert "Cancel this order?" in said and service in said, answer
        await en.say("keep it")


async def test_an_answer_that_fits_no_order_or_several_asks_again(make_app) -> None:
    app = await make_app()
    c = await two_orders(app)
    assert "哪一个" in await c.say("取消订单")
    again = await c.say("擦玻璃那个")
    assert "没能确定" in again and "20261124-0001" in again and "20261124-0002" in again
    assert "没能确定" in await c.say("随便")
    assert len(await all_orders(app)) == 2, "no booking was started"


async def test_a_cancel_or_change_that_fits_one_order_does_not_ask_which(make_app) -> None:
    app = await make_app()
    c = await two_orders(app)
    said = await c.say("取消保洁")
    assert "确定要取消" in said and "深度保洁" in said
    await c.say("不了")
    said = await c.say("取消明天的")
    assert "确定要取消" in said and "深度保洁" in said
    await c.say("不了")
    # the morning said keeps the hour booked in it (tests/test_qa19.py)
    assert "11月25日（周三）10:00 → 11月29日（周日）10:00" in await c.say("把明天的保洁改到周日上午")


def test_meant_needs_something_that_tells_orders_apart() -> None:
    from types import SimpleNamespace as O

    from handlers.which import meant

    orders = [O(number="20261124-0001", service_id="deep_cleaning", date=dt.date(2026, 11, 25)),
              O(number="20261124-0002", service_id="appliance_repair", date=dt.date(2026, 11, 26))]
    terms = {"deep_cleaning": ["深度保洁", "Deep cleaning"], "appliance_repair": ["家电维修", "修空调"]}
    assert meant("随便", {}, orders, terms) is None
    assert meant("保洁那个", {"service": "daily_cleaning"}, orders, terms) == orders[:1]
    assert meant("the last one", {}, orders, terms) == orders[1:]
    assert meant("后天的保洁", {"date": "2026-11-26"}, orders, terms) == []
    assert meant("改到后天", {"date": "2026-11-26"}, orders, terms, by_day=False) is None


# ----- 4. a cancel while the time is being changed ------------------------------
async def test_cancel_the_order_instead_of_changing_its_time(make_app) -> None:
    """"算了 直接取消吧" mid-reschedule kept the order ("时间不变"), and "确认" then did nothing."""
    app = await make_app()
    c = await one_order(app)
    assert "改到什么时间" in await c.say("我想改个时间")
    assert "确定要取消" in await c.say("算了 直接取消吧")
    assert "已取消" in await c.say("确认")
    assert [o.status for o in await all_orders(app)] == ["cancelled"]
    for n, words in enumerate(("cancel it instead", "actually can I cancel it")):
        en = await one_order(app, user=f"en{n}")
        en.lang = "en"
        await en.say("I want to reschedule")
        assert "Cancel this order?" in await en.say(words)


async def test_a_bare_cancel_mid_reschedule_still_drops_only_the_change(make_app) -> None:
    app = await make_app()
    c = await one_order(app)
    await c.say("改到后天下午3点")
    assert "时间不变" in await c.say("取消")
    assert [o.status for o in await all_orders(app)] == ["confirmed"]


async def test_push_it_to_an_hour_in_english(make_app) -> None:
    app = await make_app()
    c = await one_order(app)
    c.lang = "en"
    assert "10:00 → Wed 25 Nov, 11:00" in await c.say("can we push it to 11?")


# ----- 3. a yes with a correction -------------------------------------------------
async def test_a_yes_with_a_correction_applies_it_and_shows_the_summary_again(make_app) -> None:
    """"对 但是地址是T2不是T1" confirmed the booking with the old address. ("确认，备注：带梯子"
    now confirms with the note: tests/test_qa7_notes.py.)"""
    app = await make_app(rate_limit=0)
    for n, (words, shown) in enumerate((("对 但是地址是T2不是T1", "朝阳区望京SOHO T2-1203"),
                                        ("好的 不过门牌号是1503", "朝阳区望京SOHO T1-1503"),
                                        ("门牌号错了 是1503不是1203", "朝阳区望京SOHO T1-1503"),
                                        ("不是T1是T2", "朝阳区望京SOHO T2-1203"))):
        c = Customer(app, user=f"u{n}")
        await c.say(CLEAN)
        said = await c.say(words)
        assert "请核对订单" in said and shown in said and "预约成功" not in said, words
        assert "预约成功" in await c.say("确认")
    orders = await all_orders(app)
    assert [o.address for o in orders[:4]] == ["朝阳区望京SOHO T2-1203", "朝阳区望京SOHO T1-1503",
                                               "朝阳区望京SOHO T1-1503", "朝阳区望京SOHO T2-1203"]
    en = Customer(app, user="en", lang="en")
    await en.say("deep cleaning tomorrow 10am, Apt 3, 88 Jianguo Road, 13812345678")
    said = await en.say("yes, but it is Apt 5 not Apt 3")
    assert "Apt 5, 88 Jianguo Road" in said and "Please check your order" in said


async def test_a_yes_with_a_but_we_cannot_read_or_a_wrong_phone_asks(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(CLEAN)
    assert "修改哪一项" in await c.say("好的 不过还有个问题")
    d = Customer(app, user="u2")
    await d.say(CLEAN)
    assert "联系电话" in await d.say("电话错了")
    assert "13912345678" in await d.say("13912345678")
    assert [o.status for o in await all_orders(app)] == ["pending", "pending"]


def address_fixed(address: str, text: str) -> str | None:
    """The address as the dialogue puts it right with the NLU's ``replaces`` and ``room_fix``."""
    return fixed_address(address, part_fixes(text), room_fix(text))


def test_address_fixed_replaces_only_the_part_named() -> None:
    address = "朝阳区望京SOHO T1-1203"
    assert address_fixed(address, "对 但是地址是T2不是T1") == "朝阳区望京SOHO T2-1203"
    assert address_fixed(address, "门牌号是1503") == "朝阳区望京SOHO T1-1503"
    assert address_fixed(address, "是T3不是T9") is None, "T9 is not in the address"
    assert address_fixed(address, "好的，不过改成下午3点") is None
    assert wrong_field("电话错了") == "phone" and wrong_field("对") is None


async def test_a_relative_move_at_the_summary_moves_the_drafts_time(make_app) -> None:
    """"提前一个小时" before the yes was read as "× 1" and the order booked at its first time."""
    app = await make_app()
    c = Customer(app)
    await c.say("后天上午10点深度保洁，朝阳区望京SOHO T1-1203，13812345678")
    moved = await c.say("提前一个小时")
    assert "09:00" in moved and "× 1" not in moved
    assert "10:30" in await c.say("推迟一个半小时")
    en = Customer(app, user="u2", lang="en")
    await en.say("deep clean the day after tomorrow 10am at 12 Baker Street, Apt 3B, phone 13812345678")
    assert "09:00" in await en.say("an hour earlier")


async def test_setting_off_is_not_part_of_a_moves_address(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    answer = await c.say("下周六上午9点搬家，从朝阳区望京SOHO T1-1203出发，电话13812345678")
    assert "朝阳区望京SOHO T1-1203。" in answer and "出发。" not in answer and "搬到哪里" in answer


async def test_the_address_is_x_not_y_puts_that_part_right(make_app) -> None:
    """The NLU read "the address is Tower 2 not Tower 1" as the address itself, and it was booked so."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep cleaning the day after tomorrow 10am at Unit 1203, Tower 1, Wangjing SOHO, phone 13812345678")
    summary = await c.say("yes, but the address is Tower 2 not Tower 1")
    assert "Unit 1203, Tower 2, Wangjing SOHO" in summary and "not Tower" not in summary
