"""Review invitations, ratings and comments through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from handlers import reviews as V
from handlers.render import Say
from nlu.backends import make_parser
from nlu.types import ParseResult
from storage.catalog import demo_catalog
from storage.models import Order, Review
from tests.conftest import Clock
from tests.fake_telegram import buttons
from tests.reminder_helpers import Customer, book, local, run_until, staff_do, wire

from tests.test_telegram import ALICE, fake, serve_telegram, tg  # noqa: E402,F401 - fixtures

NLU = make_parser(demo_catalog(), "Asia/Shanghai")


async def completed(make_app, clock: Clock, *, done_at=None):  # noqa: ANN001, ANN201
    """An order booked, claimed and done through the real paths; the invitation sent."""
    app = await make_app()
    sent = wire(app, clock)
    order = await book(app, "明天下午三点深度保洁")
    await staff_do(app, order.id, "claim")
    clock.now = done_at or local(25, 17)
    await staff_do(app, order.id, "done")
    await app.worker.run_once()
    return app, sent, order


async def review_of(app, order_id: int) -> tuple[int | None, Review | None]:
    async with app.db.sessions() as s:
        order = await s.get(Order, order_id)
        review = (await s.execute(select(Review).where(Review.order_id == order_id))).scalar_one_or_none()
        return order.rating, review


async def test_a_low_rating_alerts_the_staff_group_at_once(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    assert sent.templates()[-1] == "review_invite"
    staff_before = len(sent.staff)
    c = Customer(app)
    reply = await c.say("1")  # the console shows the stars as [1]…[5]
    assert "1星" in reply and "很抱歉" in reply
    await app.worker.run_once()
    assert sent.staff_templates()[staff_before:] == [("staff_low_rating", 1)]
    to, msg = sent.staff[-1][1:]
    assert to.is_group and order.number in msg.reply.text and "138****5678" in msg.reply.text and "13812345678" not in msg.reply.text
    english = app.worker.renderer.render([Say("staff_low_rating", msg.data)], "en").text  # an English staff chat
    assert f"Low rating: order {order.number}" in english and "1 star from" in english and "138****5678" in english
    await c.say("师傅迟到了一个小时")
    await app.worker.run_once()
    assert "师傅迟到了一个小时" in sent.staff[-1][2].reply.text
    rating, review = await review_of(app, order.id)
    assert rating == 1 and (review.rating, review.comment) == (1, "师傅迟到了一个小时")


async def test_ratings_in_words(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    assert "5星" in await c.say("满意")
    assert (await review_of(app, order.id))[0] == 5
    assert "3星" in await c.say("五星吧，不对，还是3星"), "changing one's mind in the comment step"
    await c.say("没有了")
    rating, review = await review_of(app, order.id)
    assert rating == 3 and review.comment is None, "'nothing more' is not a comment"


async def test_an_ordinary_message_during_an_open_invitation_is_not_a_rating(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    c = Customer(app)
    await c.say("不好意思，想问下发票怎么开")
    await c.say("good morning")
    await app.worker.run_once()
    assert await review_of(app, order.id) == (None, None), "an apology or a greeting rates nothing"
    assert len(sent.staff) == staff_before, "and alerts nobody"
    await c.say("5")
    assert (await review_of(app, order.id))[0] == 5, "the invitation is still open for a real answer"


async def test_one_review_reminder_then_nothing(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    await run_until(app, clock, local(26, 16, 59))
    assert sent.templates()[-1] == "review_invite"
    await run_until(app, clock, local(26, 17))
    assert sent.templates()[-2:] == ["review_invite", "review_reminder"]
    assert [c.payload for c in sent.customer[-1][2].reply.choices][-1] == f"rate:5:{order.id}"
    for day in range(27, 31):
        await run_until(app, clock, local(day, 18))
    assert [t for t in sent.templates() if t.startswith("review")] == ["review_invite", "review_reminder"]


async def test_the_invitation_waits_for_the_end_of_quiet_hours(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock, done_at=local(25, 23))
    # Told it is done now; the invitation (which says it again) in the morning.
    assert sent.templates()[-1] == "order_done" and "review_invite" not in sent.templates()
    await run_until(app, clock, local(26, 8))
    assert sent.templates()[-1] == "review_invite" and sent.customer[-1][0] == local(26, 8)


@pytest.mark.parametrize("stars,text,shown", [
    (4, "下周六上午再约个擦玻璃", ("擦玻璃", "地址")),
    (5, "能再约一次深度保洁吗", ("深度保洁", "哪天")),  # after a good rating "come again" books
])
async def test_a_new_booking_instead_of_a_comment_still_books(
        make_app, clock: Clock, stars: int, text: str, shown: tuple[str, ...]) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload=f"rate:{stars}")
    reply = await c.say(text)
    assert all(w in reply for w in shown), reply
    rating, review = await review_of(app, order.id)
    assert rating == stars and review.comment is None


async def test_a_bare_number_is_a_rating_only_while_an_invitation_is_open(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    clock.advance(days=8)
    c = Customer(app)
    await c.say("5")
    assert (await review_of(app, order.id))[0] is None, "the invitation has lapsed"
    assert "5星" in await c.say("五星"), "a rating said outright still counts"
    assert (await review_of(app, order.id))[0] == 5


async def test_asking_to_review_offers_the_stars(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload="rate:5")
    await c.say("没有了")
    await c.say("我要评价")
    assert c.payloads == [f"rate:{n}:{order.id}" for n in range(1, 6)]
    await c.say("2")
    assert (await review_of(app, order.id))[0] == 2
    await app.worker.run_once()
    assert sent.staff_templates()[-1] == ("staff_low_rating", 2)


async def test_a_rating_said_during_a_new_booking_keeps_the_booking(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say("下周六上午擦玻璃")
    assert "地址" in c.last.text
    reply = await c.say("对了，上次的服务给五星")
    assert "5星" in reply and "地址" in reply, "thanked, and asked the open question again"
    await c.say("朝阳区望京SOHO T1-1203")
    assert c.payloads[0] == "affirm", c.last.text
    assert (await review_of(app, order.id))[0] == 5


async def test_the_comment_step_ends_with_a_greeting_or_after_a_day(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload="rate:4")
    assert "您好" in await c.say("你好"), "a greeting starts afresh"
    assert (await review_of(app, order.id))[1].comment is None
    await c.say("给4星")
    clock.advance(hours=25)
    await c.say("厨房没擦干净")
    assert (await review_of(app, order.id))[1].comment is None, "a day later it is not the comment"


# ----- the comment step: a new request is not a comment ----------------------
NEW_REQUESTS = [  # (text, words of the answer that shows it was handled as the request)
    ("下周六上午再来做一次深度保洁", ("深度保洁", "12月5日", "地址")),
    ("再约一次深度保洁", ("深度保洁", "哪天")),
    ("我还想约个擦玻璃", ("擦玻璃", "哪天")),
    ("我的订单呢", ("20261124-0001", "已完成")),
    ("can you come again next Saturday for a deep clean?", ("Deep cleaning", "Sat 05 Dec", "What time")),
    ("I'd like to book another deep clean", ("Deep cleaning", "Which day")),
    ("where is my order?", ("20261124-0001",)),
    ("how much is window cleaning?", ("Window cleaning",)),
]
COMMENTS = [  # genuine comments that name the service, or read as a booking to the NLU
    "深度保洁做得很干净，下次还找你们",
    "打扫得不干净",
    "深度保洁很彻底，厨房油烟机也洗了",
    "下次再约深度保洁",
    "The deep cleaning was very thorough, the oven looks new.",
    "the deep clean was great, we will book you again",
]


@pytest.mark.parametrize("text,shown", NEW_REQUESTS)
async def test_a_new_request_at_the_comment_step_is_handled_and_not_stored(
        make_app, clock: Clock, text: str, shown: tuple[str, ...]) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload="rate:4")
    reply = await c.say(text)
    assert all(w in reply for w in shown), reply
    assert "留言" not in reply and "comment" not in reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.rating, review.comment) == (4, 4, None), "the rating stands, no comment"


@pytest.mark.parametrize("text,lang", [("窗户没擦干净，能再来一次吗", "zh"),
                                       ("the kitchen is still dirty, can you come again tomorrow?", "en")])
async def test_a_complaint_that_asks_us_back_goes_to_staff_not_into_a_booking(
        make_app, clock: Clock, text: str, lang: str) -> None:
    """After a low rating, "come again" is about putting that visit right: the words are
    the comment, staff are alerted with them, and no new paid booking is started."""
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload="rate:2")
    reply = await c.say(text)
    assert ("工作人员" in reply) if lang == "zh" else ("our team" in reply), reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.comment) == (2, text)
    await app.worker.run_once()
    assert text in sent.staff[-1][2].reply.text, "staff see the complaint"
    async with app.db.sessions() as s:
        assert len((await s.execute(select(Order))).scalars().all()) == 1, "no booking started"


async def test_cancelling_at_the_comment_step_cancels(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    other = await book(app, "明天上午十点擦玻璃")
    c = Customer(app)
    await c.say("5星")
    reply = await c.say("我想取消明天那单")
    assert other.number in reply and c.payloads[0] == "affirm", reply
    assert other.number in await c.say("确认")
    async with app.db.sessions() as s:
        assert (await s.get(Order, other.id)).status == "cancelled"
    rating, review = await review_of(app, order.id)
    assert (rating, review.comment) == (5, None)


@pytest.mark.parametrize("text", COMMENTS)
async def test_a_comment_that_names_the_service_is_stored(make_app, clock: Clock, text: str) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say(payload="rate:4")
    reply = await c.say(text)
    assert "留言" in reply or "comment" in reply, reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.comment) == (4, text)


def _parse(text: str) -> ParseResult:
    return NLU.parse(text, now=local(25, 17, 5), expected="comment")


@pytest.mark.parametrize("text", [t for t, _ in NEW_REQUESTS] + ["我想取消明天那单", "转人工", "能改到下午吗"])
def test_is_new_request_reads_requests(text: str) -> None:
    assert V.is_new_request(_parse(text)), _parse(text)


@pytest.mark.parametrize("text", COMMENTS + ["师傅迟到了一个小时", "厨房没擦干净", "阿姨很细心，下次还找她"])
def test_is_new_request_keeps_comments(text: str) -> None:
    assert not V.is_new_request(_parse(text)), _parse(text)


def test_asks_to_redo_only_after_a_low_rating() -> None:
    asks = _parse("窗户没擦干净，能再来一次吗")
    assert V.asks_to_redo(asks, 1) and V.asks_to_redo(asks, 2)
    assert not V.asks_to_redo(asks, 3) and not V.asks_to_redo(asks, None)
    assert not V.asks_to_redo(_parse("打扫得不干净"), 1), "a complaint alone is a plain comment"
    assert not V.asks_to_redo(_parse("我的订单呢"), 1), "a status question is still a question"


def test_is_new_request_rules() -> None:
    book = ParseResult
    assert V.is_new_request(book("book", 0.85, {"date": "2026-12-05"}))
    assert V.is_new_request(book("book", 0.9, {"service": "deep_cleaning"}, flags={"request": True}))
    assert not V.is_new_request(book("book", 0.9, {"service": "deep_cleaning"}))
    assert not V.is_new_request(book("book", 0.9, {"quantity": 1}, flags={"request": True}))
    assert not V.is_new_request(book("review", 0.8, {"service": "deep_cleaning", "date": "2026-11-26"}))
    assert V.is_new_request(book("status", 0.9))


# ----- a star button rates the order it was sent for ---------------------------
async def two_completed(make_app, clock: Clock):  # noqa: ANN001, ANN201
    """Two of one customer's orders done on consecutive days, both invited, neither rated."""
    app, sent, first = await completed(make_app, clock)
    clock.now = local(25, 17, 30)
    second = await book(app, "明天上午十点擦玻璃")
    await staff_do(app, second.id, "claim")
    await run_until(app, clock, local(26, 12))
    await staff_do(app, second.id, "start")
    await staff_do(app, second.id, "done")
    await app.worker.run_once()
    invites = {m.data["order"]["number"]: m for _, _, m in sent.customer if m.template == "review_invite"}
    assert list(invites) == [first.number, second.number]
    return app, sent, first, second, invites[first.number], invites[second.number]


def star(invite, n: int) -> str:  # noqa: ANN001
    """The payload of the invitation's n-star button, as the channel got it."""
    return invite.reply.choices[n - 1].payload


async def test_a_star_pressed_on_an_older_invitation_rates_that_order(make_app, clock: Clock) -> None:
    app, sent, first, second, invite1, invite2 = await two_completed(make_app, clock)
    assert star(invite1, 4) == f"rate:4:{first.id}" and star(invite2, 4) == f"rate:4:{second.id}"
    c = Customer(app)
    clock.now = local(30, 10)
    assert "4星" in await c.say(payload=star(invite1, 4))
    assert (await review_of(app, first.id))[0] == 4
    assert await review_of(app, second.id) == (None, None), "the newer order is not rated"
    await c.say("没有了")
    # during a new booking, the other order's star rates it and the booking keeps its place
    await c.say("下周六上午深度保洁")
    reply = await c.say(payload=star(invite2, 5))
    assert "5星" in reply and "地址" in reply, reply
    assert [(await review_of(app, o.id))[0] for o in (first, second)] == [4, 5]


async def test_a_star_pressed_after_the_window_rates_nothing_and_says_so(make_app, clock: Clock) -> None:
    app, sent, first, second, invite1, invite2 = await two_completed(make_app, clock)
    await run_until(app, clock, local(27, 12))  # both reminders out: first 26 17:00, second 27 12:00
    c = Customer(app)
    clock.now = local(26, 17) + dt.timedelta(days=7, minutes=1)  # the first's window ended on 3 Dec 17:00
    staff_before = len(sent.staff)
    reply = await c.say(payload=star(invite1, 1))
    assert first.number in reply and "截止" in reply and "1星" not in reply, reply
    await app.worker.run_once()
    assert await review_of(app, first.id) == (None, None)
    assert await review_of(app, second.id) == (None, None), "never another order instead"
    assert len(sent.staff) == staff_before, "no low-rating alert"
    assert "2星" in await c.say(payload=star(invite2, 2)), "the second's window is still open"
    assert (await review_of(app, second.id))[0] == 2

    clock.advance(days=1)  # the second's ended on 4 Dec 12:00
    reply = await c.say(payload=star(invite2, 5))
    assert second.number in reply and "截止" in reply, "a late change of mind changes nothing"
    assert (await review_of(app, second.id))[0] == 2


async def test_an_old_star_without_its_order(make_app, clock: Clock) -> None:
    """Buttons sent before the stars named their order say "rate:N": they answer the open
    invitation, and once none is open they are told the review closed."""
    app, sent, first, second, invite1, invite2 = await two_completed(make_app, clock)
    c = Customer(app)
    clock.now = local(28, 12)
    assert "3星" in await c.say(payload="rate:3")
    assert [(await review_of(app, o.id))[0] for o in (first, second)] == [None, 3], "the latest open one"
    clock.advance(days=9)
    reply = await c.say(payload="rate:5")
    assert "截止" in reply and first.number not in reply
    assert [(await review_of(app, o.id))[0] for o in (first, second)] == [None, 3]


async def test_a_star_for_someone_elses_order_rates_nothing(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    reply = await Customer(app, "u2").say("rate", payload=f"rate:5:{order.id}")
    assert "截止" in reply and order.number not in reply
    assert await review_of(app, order.id) == (None, None)


async def test_the_closed_answer_in_english(make_app, clock: Clock) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    await c.say("hello")
    clock.advance(days=10)
    reply = await c.say(payload=f"rate:5:{order.id}")
    assert f"The review for order {order.number} has closed" in reply, reply
    assert await review_of(app, order.id) == (None, None)


def test_rating_payloads_and_the_window() -> None:
    assert V.rating_payload(5, 42) == "rate:5:42" and V.rating_payload(5, None) == "rate:5"
    assert V.read_rating_payload("rate:5:42") == (5, 42) and V.read_rating_payload("rate:3") == (3, None)
    assert [V.read_rating_payload(p) for p in ("rate:9", "rate:5:x", "rate:", "order:5", "rate:5:")] == [
        None, None, None, None, (5, None)]
    assert not V.could_be_rating("", "rate:5:42"), "a star that names its order needs no look-up"
    assert V.could_be_rating("", "rate:5") and not V.could_be_rating("", "affirm")
    week, t = dt.timedelta(days=7), local(25, 17)
    assert V.review_open(t, t + week, week)
    assert not V.review_open(t, t + week + dt.timedelta(seconds=1), week)
    assert V.review_open(t + dt.timedelta(hours=10), t, week), "an invitation waiting for the morning"
    assert not V.review_open(None, t, week), "never invited"


async def test_telegram_stars_carry_their_order(tg, clock: Clock) -> None:  # noqa: ANN001
    """The invitation's inline keyboard names the order; a press after the window is answered
    politely on Telegram and rates nothing."""
    order = await tg.book()
    await staff_do(tg.app, order.id, "claim")
    clock.now = local(25, 17)
    await staff_do(tg.app, order.id, "done")
    await tg.flush()
    [invite] = [m for (chat, _), m in tg.fake.messages.items()
                if chat == ALICE["id"] and "5星" in buttons(m)]
    assert order.number in invite["text"] and buttons(invite)["5星"] == f"c|rate:5:{order.id}"
    clock.advance(days=9)
    assert await tg.press(ALICE, invite, "5星") == 200
    assert order.number in tg.fake.texts(ALICE["id"])[-1] and "截止" in tg.fake.texts(ALICE["id"])[-1]
    assert await review_of(tg.app, order.id) == (None, None)
