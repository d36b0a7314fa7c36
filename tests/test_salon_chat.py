"""A salon customer's questions about their booking and the person doing it, with the example
salon catalog (examples/salon_catalog.yaml): "要多久" / "要多长时间" after booking were not
understood and "做多久" read as a service asked for ("我们不提供“多久”"); "谁给我做", "她电话多少",
"让小美给我做" and "还是上次那位" were not understood or passed on to a person. Now the length is
the booked order's, as "how long will it take?" is, and the person is asked after or asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.backends import make_parser
from storage import staff as staff_repo
from storage.catalog import demo_catalog, parse_catalog
from tests.test_at_shop import _app_with
from tests.test_dialogue import Customer, all_orders

SALON = (Path(__file__).parent.parent / "examples" / "salon_catalog.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def salon_parser():  # noqa: ANN201
    return make_parser(parse_catalog(SALON), "Asia/Shanghai")


@pytest.fixture(scope="module")
def demo_parser():  # noqa: ANN201
    return make_parser(demo_catalog(), "Asia/Shanghai")


async def _booked(make_app, tmp_path: Path) -> tuple[object, Customer]:  # noqa: ANN001
    app = await _app_with(make_app, tmp_path, SALON, rate_limit=0)
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    assert "预约成功" in await c.say("确认")
    return app, c


# ----- the length of the booked order ---------------------------------------------------------
@pytest.mark.parametrize("text", ["要多久", "要多长时间", "做多久", "要做多久", "大概要多久？", "需要多长时间"])
def test_a_bare_length_question_asks_the_length(salon_parser, demo_parser, text: str) -> None:  # noqa: ANN001
    for parser in (salon_parser, demo_parser):
        got = parser.parse(text)
        assert (got.intent, got.slots, got.flags.get("asks_length")) == ("other", {}, True), got
        assert "asked_for" not in got.flags and "asks_offer" not in got.flags


@pytest.mark.parametrize("text", ["要多久", "要多长时间", "做多久"])
async def test_how_long_after_booking_is_the_order_s_length(make_app, tmp_path: Path, text: str) -> None:
    app, c = await _booked(make_app, tmp_path)
    reply = await c.say(text)
    assert "20261124-0001" in reply and "90" in reply, reply
    assert "没太明白" not in reply and "不提供" not in reply and "转给人工" not in reply
    [order] = await all_orders(app)
    assert order.status == "confirmed"


# ----- the person doing it --------------------------------------------------------------------
@pytest.mark.parametrize("text, asks", [("美甲师电话多少", "phone"), ("她电话多少", "phone"), ("他的电话是多少？", "phone"),
                                        ("谁给我做", "who"), ("谁帮我做", "who"),
                                        ("what's the manicurist's number?", "phone"),
                                        ("who is the nail artist?", "who")])
def test_questions_about_the_person(salon_parser, text: str, asks: str) -> None:  # noqa: ANN001
    got = salon_parser.parse(text)
    assert (got.intent, got.slots, got.flags.get("technician")) == ("other", {}, asks), got


@pytest.mark.parametrize("text", ["她电话13812345678", "谁给我做都行"])
def test_no_question_about_the_person(salon_parser, text: str) -> None:  # noqa: ANN001
    assert "technician" not in salon_parser.parse(text).flags


async def test_the_manicurist_s_phone_before_booking_starts_no_booking(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON, rate_limit=0)
    c = Customer(app)
    reply = await c.say("美甲师电话多少")
    assert "联系电话" not in reply and "没有待到店的预约" in reply, reply
    assert await all_orders(app) == []


@pytest.mark.parametrize("text", ["美甲师电话多少", "她电话多少", "谁给我做"])
async def test_after_booking_the_person_is_answered_from_the_order(make_app, tmp_path: Path, text: str) -> None:
    app, c = await _booked(make_app, tmp_path)
    reply = await c.say(text)
    assert "20261124-0001" in reply and "还没有安排好由谁为您服务" in reply, reply
    assert "转给人工" not in reply and "没太明白" not in reply


def test_the_person_asked_for(salon_parser) -> None:  # noqa: ANN001
    assert salon_parser.parse("让小美给我做").flags.get("staff_named") == "小美"
    assert salon_parser.parse("还是上次那位").flags.get("same_staff") is True
    assert salon_parser.parse("还是上次那位吧").flags.get("same_staff") is True
    assert "same_staff" not in salon_parser.parse("还是上次那位吗").flags  # who comes, asked


async def test_a_staff_member_by_name_is_asked_for(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON, rate_limit=0)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "s1", "小美")
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    summary = await c.say("让小美给我做")
    assert "小美" in summary and "没太明白" not in summary and "转给人工" not in summary, summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.preferred_staff_id is not None
