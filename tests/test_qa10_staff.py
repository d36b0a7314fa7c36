"""QA round 10, the staff and after-booking side: the technician who took an order hears
privately when it is moved or cancelled; a finished order asks for a rating once; staff
see which language the customer writes in before they answer."""

from __future__ import annotations

import datetime as dt

from handlers import backoffice
from tests.fake_telegram import buttons, user
from tests.test_telegram import ALICE, BOB, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401  (fixtures)


async def _claimed(tg: Harness) -> None:
    await tg.book()
    await tg.flush()
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()


async def _bob_is_told(tg: Harness, text: str, button: str) -> str:
    """What Bob, who claimed the order, gets privately after the customer says `text`
    and presses `button`: exactly one message."""
    private = len(tg.fake.texts(BOB["id"]))
    await tg.say(ALICE, text)
    assert await tg.press(ALICE, tg.fake.last(1001), button) == 200
    await tg.flush()
    [told] = tg.fake.texts(BOB["id"])[private:]
    return told


async def test_the_technician_hears_privately_when_the_customer_moves_the_order(tg: Harness) -> None:
    await _claimed(tg)
    told = await _bob_is_told(tg, "改到周六上午", "确认修改")
    assert "客户把您接的订单" in told and (await tg.order()).number in told
    assert "11月25日（周三）15:00 → 11月28日（周六）上午" in told, "old and new time"
    assert "朝阳区望京SOHO T1 1203" in told and "退回" in told


async def test_the_technician_hears_privately_when_the_customer_cancels(tg: Harness) -> None:
    await _claimed(tg)
    told = await _bob_is_told(tg, "取消订单", "确定取消")
    assert "客户已取消您接的订单" in told and "不用上门了" in told and "11月25日（周三）15:00" in told


async def test_an_office_cancel_is_not_put_on_the_customer_and_an_unclaimed_order_tells_nobody(
        tg: Harness, clock) -> None:
    await _claimed(tg)
    order = await tg.order()
    private = len(tg.fake.texts(BOB["id"]))
    async with tg.app.db.sessions.begin() as s:
        assert (await backoffice.cancel(s, order.id, tg.app.catalog, clock(), actor="web:admin")).ok
    await tg.flush()
    [told] = tg.fake.texts(BOB["id"])[private:]
    assert told.startswith("❌ 客服已取消您接的订单")

    # Nobody had taken this one: no private message to anyone.
    await tg.say(ALICE, "我想后天上午10点做个日常保洁")
    await tg.say(ALICE, "朝阳区望京SOHO T1 1203")
    await tg.say(ALICE, "13812345678")
    await tg.press(ALICE, tg.fake.last(1001), "确认下单")
    await tg.say(ALICE, "取消订单")
    assert await tg.press(ALICE, tg.fake.last(1001), "确定取消") == 200
    await tg.flush()
    assert len(tg.fake.texts(BOB["id"])) == private + 1


async def test_a_finished_order_asks_for_stars_once_with_the_buttons(tg: Harness, clock) -> None:
    await _claimed(tg)
    told = len(tg.fake.texts(1001))
    clock.now = (await tg.order()).start_at
    assert await tg.press(BOB, tg.card(), "✅ 完成") == 200
    await tg.flush()
    [invite] = tg.fake.sent(1001)[told:]  # one "done" message, with the rating invitation
    assert "已完成" in invite["text"] and "打个分" in invite["text"] and "5星" in buttons(invite)
    await tg.say(ALICE, "5星")
    assert "感谢您的5星评价" in tg.fake.texts(1001)[-1]


async def test_staff_see_that_the_customer_writes_in_english_before_they_answer(tg: Harness) -> None:
    bill = user(1002, "Bill", lang="en")
    for line in ("I need a deep clean tomorrow at 3pm", "88 Jianguo Road apt 1203", "13800001111"):
        await tg.say(bill, line)
    assert await tg.press(bill, tg.fake.last(1002), "Confirm") == 200
    await tg.flush()
    assert "客户用英文沟通：请用英文回复" in tg.card()["text"]
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    assert "88 Jianguo Road apt 1203" in tg.fake.texts(BOB["id"])[-1]
    assert "请用英文回复" in tg.fake.texts(BOB["id"])[-1]


async def test_a_chinese_customers_card_says_nothing_about_language(tg: Harness) -> None:
    await _claimed(tg)
    assert "英文" not in tg.card()["text"] and "英文" not in tg.fake.texts(BOB["id"])[-1]


async def test_asking_after_a_visit_that_is_late_reaches_a_person(tg: Harness, clock) -> None:
    await _claimed(tg)
    order = await tg.order()
    clock.now = order.start_at + dt.timedelta(minutes=10)  # not late enough to worry anyone
    await tg.say(ALICE, "我的订单呢")
    assert "已派师傅" in tg.fake.texts(1001)[-1] and "抱歉" not in tg.fake.texts(1001)[-1]

    clock.now = order.start_at + dt.timedelta(minutes=20)
    await tg.flush()  # the group's own "not started" warning
    await tg.say(ALICE, "阿姨怎么还没来")
    answer = tg.fake.texts(1001)[-1]
    assert "已派师傅" in answer and "非常抱歉" in answer and order.number in answer and "客服" in answer
    await tg.flush()
    alert = tg.fake.texts(STAFF)[-1]
    assert "师傅迟到或没来" in alert and "阿姨怎么还没来" in alert and order.number in alert

    clock.advance(days=1)  # an order nobody pressed "start" on yesterday is no one at the door
    await tg.say(ALICE, "我的订单呢")
    assert "抱歉" not in tg.fake.texts(1001)[-1]


async def test_an_english_customer_asking_after_a_late_visit_hears_it_in_english(tg: Harness, clock) -> None:
    bill = user(1002, "Bill", lang="en")
    for line in ("I need a deep clean tomorrow at 3pm", "88 Jianguo Road apt 1203", "13800001111"):
        await tg.say(bill, line)
    assert await tg.press(bill, tg.fake.last(1002), "Confirm") == 200
    clock.now = (await tg.order()).start_at + dt.timedelta(minutes=30)
    await tg.say(bill, "when will the cleaner arrive?")
    answer = tg.fake.texts(1002)[-1]
    assert "awaiting a technician" in answer and "I'm very sorry" in answer and "we're on it" in answer
