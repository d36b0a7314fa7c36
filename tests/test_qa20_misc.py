"""QA pass 20, odds and ends: a repair's window of hours ("tmrw between 2 and 4") stayed on the
note after the customer moved the visit to another hour, before or after booking, and misled the
technician; praise said with a booking ("she was great, can I book her again…") went on the note;
a question's text passed to staff kept blanks where request words were read. Each is checked on
what the customer sees and what the order stores."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from nlu.notes import as_asked
from nlu.pipeline import NluParser
from handlers.render import Renderer
from handlers.slots import merge, window_note
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders

REPAIR = {"en": "fix my sink tmrw between 2 and 4 Flat 3, Tower 2, Seasons Park, Chaoyang 13812345678",
          "zh": "修马桶 明天两点到四点之间 朝阳区望京SOHO T1-1203 13812345678"}
WINDOW = {"en": "between 14:00 and 16:00", "zh": "14:00–16:00之间"}
YES = {"en": "yes", "zh": "确认"}
TO_FIVE = {"en": "make it 5pm", "zh": "改到下午五点"}


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ----- a repair's window of hours goes when the hour changes --------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_window_dropped_when_the_hour_changes_before_booking(make_app, lang: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    assert WINDOW[lang] in await c.say(REPAIR[lang])
    reply = await c.say(TO_FIVE[lang])
    assert "17:00" in reply and WINDOW[lang] not in reply, reply
    await c.say(YES[lang])
    [order] = await all_orders(app)
    assert order.time.isoformat(timespec="minutes") == "17:00"
    assert WINDOW[lang] not in (order.notes or ""), order.notes


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_window_dropped_when_a_booked_order_moves_to_another_hour(make_app, lang: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(REPAIR[lang])
    await c.say(YES[lang])
    [order] = await all_orders(app)
    assert WINDOW[lang] in order.notes
    await c.say(TO_FIVE[lang])
    await c.say(YES[lang])
    [order] = await all_orders(app)
    assert order.time.isoformat(timespec="minutes") == "17:00"
    assert WINDOW[lang] not in (order.notes or ""), order.notes


async def test_window_kept_when_only_the_day_changes(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say(REPAIR["en"])
    reply = await c.say("make it friday")
    assert WINDOW["en"] in reply and "14:00" in reply, reply


async def _booked_once(make_app) -> Customer:
    """An English customer with a deep cleaning booked, to ask for its cleaner again."""
    c = Customer(await make_app(), lang="en")
    await c.say("deep clean tomorrow 10am at Flat 3, Tower 2, Seasons Park, Chaoyang, 13812345678")
    await c.say("yes")
    return c


# ----- praise said with a booking is no note ---------------------------------------------
@pytest.mark.parametrize("text", ["she was great, can I book her again for next friday?",
                                  "阿姨很好，下周五再请她来", "she did a great job, book her again next friday",
                                  "阿姨上次做得很好，下周五再约她"])
def test_praise_with_a_booking_is_no_note(parser: NluParser, text: str) -> None:
    r = parser.parse(text)
    assert r.intent == "book" and r.flags.get("same_staff"), (r.intent, r.flags)
    assert "note" not in r.flags and r.flags.get("praise"), r.flags


async def test_praise_and_her_again_with_no_review_open_books_without_a_note(make_app) -> None:
    c = await _booked_once(make_app)
    reply = await c.say("she did a great job, book her again next friday")
    assert "review" not in reply and "Fri 04 Dec" in reply, reply
    await c.say("10am")
    await c.say("yes")
    _, again = await all_orders(c.app)
    assert (again.date.isoformat(), again.notes) == ("2026-12-04", None), again.notes


# ----- a question passed on reads as written --------------------------------------------
def test_asking_her_back_is_the_booking_again_not_a_question_passed_on(parser: NluParser) -> None:
    r = parser.parse("can we have her back next week")
    assert r.flags.get("same_staff") and r.flags.get("repeat") and "asks" not in r.flags, r.flags


def test_a_question_passed_on_has_no_run_of_blanks_where_words_were_read() -> None:
    assert as_asked("can we               next week?") == "can we next week?"


async def test_asking_her_back_books_again_without_a_note(make_app) -> None:
    c = await _booked_once(make_app)
    reply = await c.say("can we have her back next week")
    assert "question" not in reply and "next week" in reply, reply


# ----- an English service name mid-sentence is a common noun -------------------------------
@pytest.mark.parametrize(("template", "data", "seen"), [
    ("review_reminder", {}, "how was your deep cleaning (order"),
    ("review_invite", {}, "Your deep cleaning (order"),
    ("closed_day", {"service": "deep_cleaning", "date": "2026-11-28", "asap": False}, "no deep cleaning visits"),
])
def test_service_name_mid_sentence_is_lower_case(template: str, data: dict, seen: str) -> None:
    order = SimpleNamespace(service_id="deep_cleaning", number="20261128-0001")
    text = Renderer(demo_catalog()).text(template, "en", order=order, **data)
    assert seen in text, text


async def test_service_name_stays_capitalised_at_a_line_start(make_app) -> None:
    c = Customer(await make_app(), lang="en")
    reply = await c.say("deep clean tomorrow 10am at Flat 3, Tower 2, Seasons Park, Chaoyang, 13812345678")
    assert "Service: Deep cleaning" in reply, reply


@pytest.mark.parametrize(("draft", "new", "kept"), [
    ({"time": "14:00"}, {"date": "2026-12-04", "period": "afternoon"}, True),  # the hour stays in the afternoon
    ({"time": "14:00"}, {"period": "morning"}, False),
    ({"time": "14:00"}, {"time": "14:00"}, True),
])
def test_window_goes_only_with_the_hour(draft: dict, new: dict, kept: bool) -> None:
    notes = f"sink; {window_note(WINDOW['en'])}"
    merged = merge({"date": "2026-11-29", **draft, "notes": notes}, new)
    assert (WINDOW["en"] in merged.get("notes", "")) == kept, merged
