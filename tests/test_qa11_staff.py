"""QA round 11, the staff side and questions about the technician: the customer hears who
is coming (and, for the number, that the technician phones first: none is made up), their
order list names the technician, the group's thread says who in the office changed an
order, the new-order card carries the notes, and a low rating is answered as one apology."""

from __future__ import annotations

import re
from typing import Awaitable, Callable
from zoneinfo import ZoneInfo

from handlers import backoffice
from storage import staff as staff_repo

from tests.fake_telegram import user
from tests.test_telegram import ALICE, BOB, STAFF, Harness, fake, serve_telegram, tg  # noqa: F401  (fixtures)
from tests.test_web import ADMIN, _sign_in

BILL = user(1002, "Bill", lang="en")
EN_BOOKING = ("I need a deep clean tomorrow at 3pm", "88 Jianguo Road apt 1203", "13800001111")


async def _claimed(tg: Harness, who: dict = ALICE) -> None:
    if who is ALICE:
        await tg.book()
    else:
        for line in EN_BOOKING:
            await tg.say(who, line)
        assert await tg.press(who, tg.fake.last(who["id"]), "Confirm") == 200
    await tg.flush()
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    await tg.flush()


async def _answer(tg: Harness, who: dict, text: str) -> str:
    await tg.say(who, text)
    return tg.fake.texts(who["id"])[-1]


async def test_asking_who_comes_before_anyone_took_the_order(tg: Harness) -> None:
    order = await tg.book()
    for text in ("哪位师傅来", "师傅电话多少"):
        answer = await _answer(tg, ALICE, text)
        assert order.number in answer and "还没有派师傅" in answer and "通知您" in answer, text
        assert "没太明白" not in answer
    assert "转人工" in answer and "上门前会先给您打电话" in answer


async def test_asking_who_comes_and_their_number_names_the_technician_and_no_number(tg: Harness) -> None:
    await _claimed(tg)
    order_number = (await tg.order()).number
    answer = await _answer(tg, ALICE, "哪位师傅来")
    assert "Bob" in answer and "电话" not in answer
    for text in ("师傅电话多少", "师傅的手机号给我一下"):
        answer = await _answer(tg, ALICE, text)
        assert "Bob" in answer and "上门前会先给您打电话" in answer and "转人工" in answer, text
        assert re.search(r"\d{7,}(?!-)", answer.replace(order_number, "")) is None, "no number is made up"


async def test_an_english_customer_asks_who_is_coming_and_for_the_number(tg: Harness) -> None:
    await _claimed(tg, BILL)
    answer = await _answer(tg, BILL, "who is coming?")
    assert "Bob" in answer and "didn't understand" not in answer
    answer = await _answer(tg, BILL, "what's the technician's number?")
    assert "Bob" in answer and "phone you before they come" in answer and '"human"' in answer


async def test_no_order_to_ask_about(tg: Harness) -> None:
    answer = await _answer(tg, ALICE, "哪位师傅来")
    assert "没有待上门的订单" in answer


async def test_my_orders_names_the_technician_once_assigned(tg: Harness) -> None:
    await tg.book()
    assert "Bob" not in await _answer(tg, ALICE, "我的订单")
    await tg.flush()
    assert await tg.press(BOB, tg.card(), "🙋 接单") == 200
    assert "已派师傅（Bob）" in await _answer(tg, ALICE, "我的订单")


async def test_an_english_order_list_names_the_technician(tg: Harness) -> None:
    await _claimed(tg, BILL)
    assert "technician assigned: Bob" in await _answer(tg, BILL, "my orders")


async def test_the_group_thread_says_the_office_cancelled_not_the_customer(
        serve_telegram: Callable[..., Awaitable[Harness]]) -> None:
    tg = await serve_telegram(admin_token=ADMIN, web_cookie_secure=False)
    await _claimed(tg)
    order = await tg.order()
    csrf = await _sign_in(tg.client, ADMIN)
    resp = await tg.client.post(f"/admin/orders/{order.id}/cancel", data={"csrf": csrf}, allow_redirects=False)
    assert "ok=1" in resp.headers["Location"]
    await tg.flush()
    line = next(t for t in reversed(tg.fake.texts(STAFF)) if order.number in t and "⚠️" in t)
    assert line.startswith("⚠️ 客服已取消订单") and "客户" not in line


async def test_the_group_thread_names_the_staff_member_who_moved_it(tg: Harness, clock) -> None:
    await _claimed(tg)
    order = await tg.order()
    async with tg.app.db.sessions.begin() as s:
        carol = await staff_repo.identify(s, "web", "carol", "Carol")
        result = await backoffice.reschedule(s, order.id, "2026-11-26", "10:00", tg.app.catalog, clock(),
                                             ZoneInfo("Asia/Shanghai"), actor=f"staff:{carol.id}")
        assert result.ok
        await tg.app.conversations.publish_in_transaction(s, result.events, clock())
    await tg.flush()
    line = next(t for t in reversed(tg.fake.texts(STAFF)) if order.number in t and "⚠️" in t)
    assert line.startswith("⚠️ 客服 Carol 把订单") and "11月26日" in line
    assert tg.fake.texts(BOB["id"])[-1].startswith("🕒 客服 Carol 把您接的订单")


async def test_the_new_order_card_shows_the_notes_to_the_whole_group(tg: Harness) -> None:
    await tg.say(ALICE, "我想明天下午3点做个深度保洁，备注：请带梯子")
    await tg.say(ALICE, "朝阳区望京SOHO T1 1203")
    await tg.say(ALICE, "13812345678，师傅是男的还是女的？")
    assert await tg.press(ALICE, tg.fake.last(1001), "确认下单") == 200
    await tg.flush()
    card = tg.card()["text"]
    assert "备注：" in card and "带梯子" in card and "❓" in card and "男的还是女的" in card
    assert "T1 1203" not in card, "the address stays masked"


async def test_a_card_without_notes_has_no_notes_line(tg: Harness) -> None:
    await tg.book()
    await tg.flush()
    assert "备注" not in tg.card()["text"]


async def _rated(tg: Harness, clock, who: dict, text: str) -> str:
    """The finished order rated with `text`: the one reply."""
    await _claimed(tg, who)
    clock.now = (await tg.order()).start_at
    assert await tg.press(BOB, tg.card(), "✅ 完成") == 200
    await tg.flush()
    told = len(tg.fake.texts(who["id"]))
    await tg.say(who, text)
    [reply] = tg.fake.texts(who["id"])[told:]
    return reply


async def test_a_low_rating_is_answered_with_one_apology_and_what_happens_next(tg: Harness, clock) -> None:
    reply = await _rated(tg, clock, ALICE, "1星")
    assert "感谢" not in reply and reply.count("抱歉") == 1 and "转告我们的工作人员" in reply
    assert "改进" not in reply and "哪里没做好" in reply
    await tg.say(ALICE, "师傅把地板刮花了")
    assert tg.fake.texts(1001)[-1] == "收到，已把您说的情况转给工作人员，他们会尽快联系您。"


async def test_a_low_rating_in_english(tg: Harness, clock) -> None:
    reply = await _rated(tg, clock, BILL, "1 star")
    assert "Thank you" not in reply and reply.count("sorry") == 1 and "passed your 1-star rating" in reply


async def test_a_good_rating_is_still_thanked(tg: Harness, clock) -> None:
    reply = await _rated(tg, clock, ALICE, "5星")
    assert reply.startswith("感谢您的5星评价！") and "抱歉" not in reply


async def test_a_low_rating_with_its_reason_is_one_apology_too(tg: Harness, clock) -> None:
    reply = await _rated(tg, clock, ALICE, "差评！师傅态度很差")
    assert "感谢" not in reply and reply.count("抱歉") == 1 and "认真看" not in reply
    assert "留言已转告我们的工作人员" in reply
