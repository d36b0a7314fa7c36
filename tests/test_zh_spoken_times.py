"""QA with Chinese customers: spoken day words, the night after "today", and "快点来".

Friday 2026-11-27 15:30 in Beijing, as in the QA session.

1. 后儿 / 后儿个 / 大后儿 (northern 后天 / 大后天) were not read at all: "后儿晚上七点半…" was
   asked "请问约哪天？", and "改成后儿" at the summary lost the booked hour while keeping
   11-28, the customer believing the visit was on 11-29. 晌午 (noon) and 头午 (morning)
   lost the part of the day.
2. "今晚凌晨2点来开锁" and "今天夜里两点能来开锁吗" were refused as past ("这个时间已经过了"):
   02:00 of the 27th, when the locksmith is wanted at 02:00 of the 28th. "今晚11点", then
   "凌晨", then "2点" met the same refusal.
3. "快点来开锁" was not read as "as soon as you can" (赶紧, 越快越好 were).
"""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import slots as S
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.conftest import SHANGHAI
from tests.test_dialogue import Customer, all_orders

NOW = dt.datetime(2026, 11, 27, 15, 30, tzinfo=SHANGHAI)  # a Friday afternoon
ADDRESS = "海淀区五道口华清嘉园15号楼1门602"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.fixture
def friday(clock):  # noqa: ANN001, ANN201
    """The QA session's clock: Friday 2026-11-27 15:30 in Beijing."""
    clock.now = NOW
    return clock


def when(parser: NluParser, text: str) -> dict:
    r = parser.parse(text, now=NOW)
    return {k: v for k, v in r.slots.items() if k in ("date", "time", "period")}


# ------------------------------------------------------------------ 1. 后儿, 大后儿, 晌午, 头午
@pytest.mark.parametrize(("text", "expected"), [
    ("后儿", {"date": "2026-11-29"}),
    ("后儿个下午", {"date": "2026-11-29", "period": "afternoon"}),
    ("大后儿上午10点", {"date": "2026-11-30", "time": "10:00"}),
    ("大后儿个", {"date": "2026-11-30"}),
    ("后儿晚上七点半来个钟点工打扫三小时", {"date": "2026-11-29", "time": "19:30"}),
    ("明天晌午", {"date": "2026-11-28", "period": "noon"}),
    ("后天头午", {"date": "2026-11-29", "period": "morning"}),
    ("后天头午10点来修空调", {"date": "2026-11-29", "time": "10:00"}),
    ("明天后晌三点", {"date": "2026-11-28", "time": "15:00"}),
])
def test_northern_day_and_part_of_day_words_are_read(parser: NluParser, text: str, expected: dict) -> None:
    assert when(parser, text) == expected


@pytest.mark.parametrize("text", ["然后儿子要在家，明儿下午来", "之后儿童房也打扫一下，明儿下午来"])
def test_houer_inside_another_word_is_no_day(parser: NluParser, text: str) -> None:
    assert when(parser, text) == {"date": "2026-11-28", "period": "afternoon"}


def test_change_to_houer_at_the_summary_moves_the_day_and_keeps_the_hour(parser: NluParser) -> None:
    r = parser.parse("改成后儿", now=NOW)
    assert r.intent == "reschedule" and r.slots == {"date": "2026-11-29"}


async def test_houer_at_the_summary_books_the_29th_at_the_hour_booked(make_app, friday) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"明天上午10点来个钟点工打扫三小时，{ADDRESS}，电话+86 139-1111-2222，叫我小李就行")
    assert "11月28日（周六）10:00" in summary
    moved = await c.say("改成后儿")
    assert "11月29日（周日）10:00" in moved and "几点方便" not in moved
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.date, o.time, o.status) == (dt.date(2026, 11, 29), dt.time(10, 0), "confirmed")


async def test_houer_in_the_first_message_needs_no_day_asked(make_app, friday) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    summary = await c.say(f"后儿晚上七点半来个钟点工打扫三小时，{ADDRESS}，电话+86 139-1111-2222，叫我小李就行")
    assert "11月29日（周日）19:30" in summary and "哪天" not in summary


# ------------------------------------------------------------------ 2. the small hours after tonight
@pytest.mark.parametrize(("text", "expected"), [
    ("今晚凌晨2点来开锁", {"date": "2026-11-28", "time": "02:00"}),
    ("今天夜里两点能来开锁吗", {"date": "2026-11-28", "time": "02:00"}),
    ("今天凌晨3点半", {"date": "2026-11-28", "time": "03:30"}),
    ("今夜三点", {"date": "2026-11-28", "time": "03:00"}),
    ("今儿夜里1点", {"date": "2026-11-28", "time": "01:00"}),
    ("tonight at 2am", {"date": "2026-11-28", "time": "02:00"}),
    ("今晚凌晨12点", {"date": "2026-11-28", "time": "00:00"}),
    # unchanged: a day of its own, the morning, an evening hour, the midnight ending today
    ("明天凌晨2点", {"date": "2026-11-28", "time": "02:00"}),
    ("今天早上5点", {"date": "2026-11-27", "time": "05:00"}),
    ("今夜11点", {"date": "2026-11-27", "time": "23:00"}),
    ("今晚12点", {"date": "2026-11-28", "time": "00:00"}),
])
def test_small_hours_said_with_tonight_are_the_next_day(parser: NluParser, text: str, expected: dict) -> None:
    assert when(parser, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("今天夜里两点能来开锁吗", {"date": "2026-11-27", "time": "02:00"}),
    ("今晚凌晨2点", {"date": "2026-11-27", "time": "02:00"}),
    ("今晚12点", {"date": "2026-11-28", "time": "00:00"}),  # the midnight still to come
])
def test_said_in_the_small_hours_tonight_is_this_very_night(parser: NluParser, text: str, expected: dict) -> None:
    r = parser.parse(text, now=dt.datetime(2026, 11, 27, 0, 30, tzinfo=SHANGHAI))
    assert {k: v for k, v in r.slots.items() if k in ("date", "time")} == expected
    assert "tonight" not in r.flags  # no flag of the contract's output


@pytest.mark.parametrize("text", ["今晚凌晨2点来开锁", "今天夜里两点能来开锁吗"])
async def test_a_locksmith_tonight_after_midnight_is_booked_not_refused(make_app, friday, text: str) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    reply = await c.say(text)
    assert "11月28日（周六）02:00" in reply and "已经过了" not in reply
    await c.say("西城区丰盛胡同12号")
    await c.say("13812345678")
    await c.say("确认")
    [o] = await all_orders(app)
    assert (o.service_id, o.date, o.time, o.status) == ("lock_service", dt.date(2026, 11, 28), dt.time(2, 0),
                                                        "confirmed")


@pytest.mark.parametrize("answers", [["凌晨", "2点"], ["凌晨2点"]])
async def test_small_hours_after_an_evening_hour_are_that_night(make_app, friday, answers: list[str]) -> None:  # noqa: ANN001
    app = await make_app()
    c = Customer(app)
    assert "11月27日（周五）23:00" in await c.say("今晚11点能来开锁吗")
    for answer in answers:
        reply = await c.say(answer)
        assert "已经过了" not in reply and "11月28日（周六）" in reply
    assert "11月28日（周六）02:00" in reply


@pytest.mark.parametrize(("draft", "new", "moved"), [
    ({"date": "2026-11-27", "time": "23:00"}, {"period": S.SMALL_HOURS}, True),
    ({"date": "2026-11-27", "period": "evening"}, {"time": "03:00"}, True),
    ({"date": "2026-11-27", "time": "23:00"}, {"date": "2026-11-27", "time": "02:00"}, False),  # a day said
    ({"date": "2026-11-27", "time": "10:00"}, {"time": "02:00"}, False),  # no evening before it
    ({"date": "2026-11-27", "time": "23:00"}, {"time": "07:00"}, False),  # the morning, not the small hours
])
def test_into_the_night(draft: dict, new: dict, moved: bool) -> None:
    assert S.into_the_night(draft, new) is moved
    expected = "2026-11-28" if moved else new.get("date", draft["date"])
    assert S.merge(draft, new)["date"] == expected


# ------------------------------------------------------------------ 3. 快点来
@pytest.mark.parametrize("text", ["快点来开锁", "快来人开锁", "快点派个师傅过来", "快点儿来", "急！门锁坏了进不去",
                                  "加急开锁", "我急着出门，快点来修", "快点", "快一点吧",
                                  "开锁，现在就要"])
def test_hurry_words_are_asap(parser: NluParser, text: str) -> None:
    assert parser.parse(text, now=NOW).flags.get("asap") is True


@pytest.mark.parametrize("text", ["快点回复", "师傅快来了吗", "快到了吗", "快点打扫", "不用快点来", "紧急联系人是我老婆",
                                  "我现在就要出门了，明天上午来吧"])
def test_quick_words_that_ask_no_visit_now_are_no_asap(parser: NluParser, text: str) -> None:
    assert not parser.parse(text, now=NOW).flags.get("asap")


@pytest.mark.parametrize("text", ["快点来开锁", "赶紧来开锁"])
async def test_kuaidian_lai_books_the_soonest_visit_as_ganjin_does(make_app, friday, text: str) -> None:  # noqa: ANN001
    app = await make_app()
    reply = await Customer(app).say(text)
    assert "11月27日（周五）16:00" in reply and "地址" in reply


async def test_xianzai_jiu_yao_books_the_soonest_visit(make_app, friday) -> None:  # noqa: ANN001
    """"开锁，现在就要，…" was asked 请问约哪天、几点 and then not understood: 现在就要 is "now", as 马上 is."""
    app = await make_app()
    summary = await Customer(app).say("开锁，现在就要，东城区王府井大街10号，电话13300005555")
    assert "时间：11月27日（周五）16:00" in summary and "地址：东城区王府井大街10号" in summary
