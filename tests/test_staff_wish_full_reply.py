"""A person and a new time asked for together ("让王师傅后天下午3点来"), the new time filled by
someone else before the customer confirmed: the reply opened "✅ 已改好：…的指定师傅已更新" with the
address and phone, then "抱歉，…已经约满了" — two answers, the first claiming a change done. Now one
answer: the time is full, the order keeps its own time (said), the person is asked for (said as
what was done), and the free starts are offered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storage import staff as staff_repo
from tests.conftest import Clock
from tests.test_capacity import _app
from tests.test_dialogue import Customer, all_orders


@pytest.mark.parametrize("lang, booking, ask, confirm, told", [
    ("zh", "明天上午10点打扫，地址望京SOHO T1-9，电话13812345699", "让王师傅后天下午3点来", "确认修改",
     ["抱歉，11月26日（周四）15:00已经约满了", "时间没改，还是11月25日（周三）10:00",
      "已请王师傅优先接单", "当天还可以约：12:30、13:00、17:00"]),
    ("en", "cleaning tomorrow at 10am, 88 Jianguo Road apt 1203, phone 13812345699",
     "can Wang come thursday at 3pm instead?", "yes",
     ["Sorry, every team is booked at 15:00 on Thu 26 Nov", "unchanged, still on Wed 25 Nov, 10:00",
      "We've asked Wang to take it first", "Still free that day: 12:30, 13:00, 17:00"]),
])
async def test_one_answer_says_what_was_done_and_what_is_full(
        make_app, tmp_path: Path, clock: Clock, lang: str, booking: str, ask: str, confirm: str,
        told: list[str]) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    async with app.db.sessions.begin() as s:
        await staff_repo.identify(s, "web", "w", "王师傅" if lang == "zh" else "Wang")
    c = Customer(app, lang=lang)
    await c.say(booking)
    await c.say("确认" if lang == "zh" else "yes")
    await c.say(ask)
    other = Customer(app, user="other")
    await other.say("后天下午3点打扫，地址望京SOHO T1-1，电话13812345601")
    await other.say("确认")

    reply = await c.say(confirm)
    assert "已改好" not in reply and "Done" not in reply and "\n\n" not in reply, reply
    positions = [reply.find(t) for t in told]
    assert -1 not in positions and positions == sorted(positions), reply
    assert c.payloads == ["at:12:30", "at:13:00", "at:17:00"], c.payloads


async def test_full_when_asked_is_one_answer_and_the_person_goes_with_the_time_chosen(
        make_app, tmp_path: Path, clock: Clock) -> None:
    app = await _app(make_app, tmp_path, teams=1)
    async with app.db.sessions.begin() as s:
        wang = await staff_repo.identify(s, "web", "w", "王师傅")
    other = Customer(app, user="other")
    await other.say("后天下午3点打扫，地址望京SOHO T1-1，电话13812345601")
    await other.say("确认")
    c = Customer(app)
    await c.say("明天上午10点打扫，地址望京SOHO T1-9，电话13812345699")
    await c.say("确认")
    reply = await c.say("让王师傅后天下午3点来")
    assert "已改好" not in reply and "\n\n" not in reply and "已经约满了" in reply, reply
    assert c.payloads == ["at:12:30", "at:13:00", "at:17:00"], c.payloads
    assert "王师傅" in await c.say(payload="at:17:00")
    assert "已改好" in await c.say("确认修改")
    mine = next(o for o in await all_orders(app) if o.phone == "13812345699")
    assert (mine.date, mine.time, mine.preferred_staff_id) == (dt.date(2026, 11, 26), dt.time(17, 0), wang.id)
