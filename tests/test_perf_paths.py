"""The hot path's cheaper ways give what the slower ones gave (issue #8).

`DialogueState.to_dict` no longer calls `dataclasses.asdict`, and the
renderer's jinja2 environment keeps templates in a plain dict with flat
globals: the state saved and the text rendered must stay the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from handlers.render import Renderer
from handlers.state import COLLECTING, DialogueState
from storage.catalog import demo_catalog


def _busy_state() -> DialogueState:
    return DialogueState(
        lang="en", stage=COLLECTING, awaiting="phone", order_id=7, misses=1,
        draft={"service": "deep_clean", "date": "2026-12-01", "time": "10:00", "quantity": 2.5,
               "address": "望京SOHO T1-1203", "extra": [1, {"nested": (1, 2)}]},
        proposal={"date": "2026-12-02"}, choices=["svc:deep_clean", "svc:repair"],
        labels=["Deep clean", "Repair"], more={"service": "repair", "flags": [True, None]})


def test_to_dict_is_what_asdict_gives_and_a_copy() -> None:
    state = _busy_state()
    saved = state.to_dict()
    assert saved == asdict(state)
    assert list(saved) == list(asdict(state))  # same keys, same order
    saved["draft"]["extra"][1]["nested"] = None
    saved["choices"].append("x")
    assert state.draft["extra"][1]["nested"] == (1, 2)  # the state is not aliased by what is saved
    assert state.choices == ["svc:deep_clean", "svc:repair"]


def test_from_dict_round_trips_and_ignores_unknown_keys() -> None:
    state = _busy_state()
    assert DialogueState.from_dict({**state.to_dict(), "gone_field": 1}) == state
    assert DialogueState.from_dict(None) == DialogueState()
    assert DialogueState.from_dict({}) == DialogueState()


def test_a_template_with_macros_renders_the_same_each_time_in_both_languages() -> None:
    renderer = Renderer(demo_catalog(), clock=lambda: dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc))
    order = {"number": "A1", "date": "2026-12-01", "time": "10:00", "period": None}
    zh = [renderer.text("reschedule_kept", "zh", order=order) for _ in range(3)]
    en = [renderer.text("reschedule_kept", "en", order=order) for _ in range(3)]
    assert zh == ["好的，订单 A1 时间不变（12月1日（周二）10:00）。"] * 3
    assert len(set(en)) == 1 and en[0].startswith("OK, order A1 stays at ") and "10:00" in en[0]
    # another year shows its year: the macros see the renderer's globals (this_year)
    later = {**order, "date": "2027-01-05"}
    assert "2027年" in renderer.text("reschedule_kept", "zh", order=later)


def test_template_globals_are_the_renderers() -> None:
    renderer = Renderer(demo_catalog())
    template = renderer.env.get_template("zh/_macros.j2")
    for name, value in renderer.env.globals.items():
        assert template.globals[name] is value
