"""Answers while a move is booked, from a QA pass in English: "from A to B" answering the
address question kept only B as the address (no "move" in it); "ok, confirm" to "where are
you moving to?" became the destination; "how many movers will come?" was taken for the
booking again and not passed on."""

from __future__ import annotations

import pytest

from nlu.address import find_said_route
from nlu.intents import short_answer
from nlu.datetime_rules import moved_to_hour
from tests.test_dialogue import Customer, all_orders

ROUTE = "from Chaoyang Park West Gate building 2 apt 1101 to Haidian Xierqi 15 Anning Road"


@pytest.mark.parametrize("text, route", [
    (ROUTE, ("Chaoyang Park West Gate building 2 apt 1101", "Haidian Xierqi 15 Anning Road")),
    ("from Wangjing SOHO T1-1203 to 15 Anning Road", ("Wangjing SOHO T1-1203", "15 Anning Road")),
    ("从望京西园三区到五道口华清嘉园", ("望京西园三区", "五道口华清嘉园")),
    ("from 9am to 1pm", None), ("from monday to friday", None), ("from the bedroom to the living room", None),
])
def test_a_route_said_without_a_word_of_moving(text: str, route: tuple[str, str] | None) -> None:
    assert find_said_route(text) == route


@pytest.mark.parametrize("text", ["ok, confirm", "yes, sure", "好的，确认", "ok confirm"])
def test_two_yeses_said_together_are_a_yes(text: str) -> None:
    assert short_answer(text.replace(",", " ").replace("，", " ")) == "affirm"


async def test_a_move_answered_in_english(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("we are moving house next saturday, need movers")
    reply = await c.say(ROUTE)
    assert "Chaoyang Park West Gate building 2 apt 1101 → Haidian Xierqi 15 Anning Road" in reply
    reply = await c.say("how many movers will come?")
    assert 'your question ("how many movers will come?")' in reply and "What time" in reply
    await c.say("morning, like 8am")
    summary = await c.say("13911113333, Mr. Zhang")
    assert "Moving to: Haidian Xierqi 15 Anning Road" in summary
    await c.say("ok, confirm")
    [o] = await all_orders(c.app)
    assert (o.status, o.address, o.destination) == \
        ("confirmed", "Chaoyang Park West Gate building 2 apt 1101", "Haidian Xierqi 15 Anning Road")
    assert "how many movers will come?" in (o.notes or "")


async def test_a_yes_to_where_to_is_no_destination(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("movers next saturday 8am from 12 Baker Street, 13911113333")
    assert "Where are you moving to?" in await c.say("ok")
    reply = await c.say("ok, confirm")
    assert "Where are you moving to?" in reply and "Moving to: ok" not in reply
    await c.say("15 Anning Road")
    await c.say("yes")
    [o] = await all_orders(c.app)
    assert o.destination == "15 Anning Road"


@pytest.mark.parametrize("text, hour", [
    ("move the deep clean to 11", "11:00"), ("push it to 5 instead", "17:00"),
    ("can you move it to 9?", "09:00"), ("reschedule my cleaning to 3 please", "15:00"),
    ("move to 11 Baker Street", None), ("move the sofa to 2 rooms", None),
])
def test_a_visit_moved_to_a_bare_hour(text: str, hour: str | None) -> None:
    assert moved_to_hour(text) == hour


async def test_moving_a_booked_clean_to_a_bare_hour_reschedules_it(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    await c.say("deep clean tomorrow 10am, 5 Xinyuan Street apt 302, 13600002222")
    await c.say("yes")
    reply = await c.say("move the deep clean to 11")
    assert "Wed 25 Nov, 10:00 → Wed 25 Nov, 11:00" in reply
    await c.say("yes")
    [o] = await all_orders(c.app)
    assert (o.status, o.time.strftime("%H:%M")) == ("confirmed", "11:00")


@pytest.mark.parametrize("text, route", [
    ("from 12 Baker Street in Chaoyang to Shunyi, 8 Lake View Road",
     ("12 Baker Street in Chaoyang", "Shunyi, 8 Lake View Road")),
    # an area the address reader does not know, or with its word "District", before the street
    ("from 12 Baker Street in Chaoyang to Yizhuang, 8 Lake View Road on saturday",
     ("12 Baker Street in Chaoyang", "Yizhuang, 8 Lake View Road")),
    ("from 12 Baker Street, Chaoyang to Shunyi District, 8 Lake View Road on saturday",
     ("12 Baker Street, Chaoyang", "Shunyi District, 8 Lake View Road")),
    ("from Wangjing to Shunyi, 8 Lake View Road on saturday", ("Wangjing", "Shunyi, 8 Lake View Road")),
    ("from Wangjing to Shunyi on saturday", ("Wangjing", "Shunyi")),
])
def test_the_street_after_the_area_a_move_goes_to_is_kept(text: str, route: tuple[str, str]) -> None:
    assert find_said_route(text) == route


@pytest.mark.parametrize("text, destination", [
    ("moving from 12 Baker Street in Chaoyang to Shunyi, 8 Lake View Road on saturday", "Shunyi, 8 Lake View Road"),
    ("moving from Wangjing to Yizhuang, 8 Lake View Road on saturday", "Yizhuang, 8 Lake View Road"),
])
async def test_a_move_to_an_area_and_street_keeps_both(make_app, text: str, destination: str) -> None:
    c = Customer(await make_app(), lang="en")
    reply = await c.say(text)
    assert f" → {destination}." in reply and "Sat 28 Nov" in reply, reply
    await c.say("9am")
    summary = await c.say("13812345678")
    assert f"· Moving to: {destination}\n" in summary, summary
    [o] = await all_orders(c.app)
    assert (o.service_id, o.destination, o.notes) == ("moving", destination, None)
