"""Odd input never breaks the parser: empty, emoji, garbage, huge, traditional, full-width, typos."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlu.normalize import normalize
from nlu.pipeline import NluParser
from nlu.types import INTENTS, PERIODS, SLOT_NAMES
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))
PARSER = NluParser(demo_catalog())


def _well_formed(text: str) -> None:
    r = PARSER.parse(text, now=NOW)
    assert r.intent in INTENTS
    assert 0.0 <= r.confidence <= 1.0
    assert set(r.slots) <= set(SLOT_NAMES)
    assert r.lang in ("zh", "en", "und")
    assert "error" not in r.flags
    if "period" in r.slots:
        assert r.slots["period"] in PERIODS
    if "rating" in r.slots:
        assert 1 <= r.slots["rating"] <= 5
    if "time" in r.slots:
        hh, mm = r.slots["time"].split(":")
        assert 0 <= int(hh) <= 23 and 0 <= int(mm) <= 59


@pytest.mark.parametrize("text", ["", " ", "   \t\n  ", "\u3000\u3000"])
def test_empty_or_whitespace_is_other_without_slots(text: str) -> None:
    r = PARSER.parse(text, now=NOW)
    assert (r.intent, r.slots) == ("other", {})


def test_emoji_only() -> None:
    r = PARSER.parse("😀😀🎉", now=NOW)
    assert (r.intent, r.slots, r.lang) == ("other", {}, "und")
    assert PARSER.parse("👍", now=NOW).intent == "affirm"


def test_none_text_does_not_raise() -> None:
    r = PARSER.parse(None, now=NOW)  # type: ignore[arg-type]
    assert (r.intent, r.slots) == ("other", {})


def test_very_long_text_is_bounded_and_still_understood() -> None:
    text = "我想明天下午3点做个深度保洁，" + "啊" * 10_000
    t = time.perf_counter()
    r = PARSER.parse(text, now=NOW)
    assert time.perf_counter() - t < 1.0
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}
    assert r.flags.get("truncated") is True


@pytest.mark.parametrize("text", [
    "a" * 10_000, "预约" * 5_000, "3点" * 5_000, "13812345678 " * 900, "明天" * 5_000, "⭐" * 10_000,
    "地址：" + "朝阳区" * 3_000,
])
def test_pathological_repetition_is_fast(text: str) -> None:
    t = time.perf_counter()
    _well_formed(text)
    assert time.perf_counter() - t < 1.0


@pytest.mark.parametrize("text", [
    "\x00\x01\x02\xff\xfe", "\ud800\udfff lone surrogates", "\ufeff\u200b\u200d", "\U0010ffff\U000e0001",
    "<script>alert(1)</script>", "'; DROP TABLE orders; --", "{\"json\": true}", "\\n\\t\\r", "%s%s%n",
    "𠀀𠀁𠀂", "ＡＢＣ１２３！", "ﾃｽﾄ", "①②③点", "Ⅻ点", "…………", "\u202eRTL override",
])
def test_binary_ish_garbage(text: str) -> None:
    _well_formed(text)


def test_random_garbage_never_raises() -> None:
    rng = random.Random(20261124)
    alphabet = "明天下午三点半号周六1234567890改成不对，。地址区路SOHO-:pm at tomorrow 预约保洁取消 ⭐星分个台\x00\u3000"
    for _ in range(500):
        _well_formed("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
    for _ in range(200):
        _well_formed("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 200))))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_gives_a_well_formed_result(text: str) -> None:
    _well_formed(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "service", "date", "time", "address", "phone", "name",
                                               "quantity", "rating"]))
def test_any_text_with_any_expected_slot(text: str, expected: str | None) -> None:
    r = PARSER.parse(text, now=NOW, expected=expected)
    assert r.intent in INTENTS
    assert "error" not in r.flags


# ------------------------------------------------------------------ normalisation
def test_traditional_characters() -> None:
    r = PARSER.parse("預約週六上午，地址：台北市信義區松仁路100號，電話0912345678，陳先生", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"date": "2026-11-28", "period": "morning", "address": "台北市信義區松仁路100號",
                       "phone": "0912345678", "name": "陳先生"}
    assert PARSER.parse("取消訂單", now=NOW).intent == "cancel"
    assert PARSER.parse("後天下午三點", now=NOW).slots == {"date": "2026-11-26", "time": "15:00"}


def test_full_width_forms() -> None:
    r = PARSER.parse("明天下午３点，电话：１３８－１２３４－５６７８", now=NOW)
    assert r.slots == {"date": "2026-11-25", "time": "15:00", "phone": "13812345678"}
    assert PARSER.parse("ＯＫ", now=NOW).intent == "affirm"
    assert PARSER.parse("１５：００", now=NOW).slots == {"time": "15:00"}


def test_normalize_keeps_both_forms_aligned() -> None:
    for text in ("預約ＡＢＣ①㎡ﬁ’", "\u200b好\ufe0f的", "Ｍｒ．Ｓｍｉｔｈ 後天", "x\x00y"):
        n = normalize(text)
        assert len(n.wide) == len(n.norm)
    n = normalize("預約ＡＢＣ")
    assert n.wide == "預約ABC"
    assert n.norm == "预约abc"


def test_mixed_language_and_emoji() -> None:
    r = PARSER.parse("明天 3pm 要 deep clean 🙏", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}
    assert r.lang == "zh"


def test_typos() -> None:
    assert PARSER.parse("预约深度宝洁", now=NOW).slots == {"service": "deep_cleaning"}
    assert PARSER.parse("tommorow at 3pm", now=NOW).slots == {"date": "2026-11-25", "time": "15:00"}
    assert PARSER.parse("cancle my order", now=NOW).intent == "cancel"
    assert PARSER.parse("reshedule please", now=NOW).intent == "reschedule"
