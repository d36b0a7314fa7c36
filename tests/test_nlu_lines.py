"""The JSON-lines front end (`jiedan nlu parse` / `jiedan nlu eval`) and the labelled smoke set."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from nlu.lines import char_f1, evaluate, format_report, load_records, parse_lines, parse_now
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=SH)
SMOKE = Path(__file__).parent / "data" / "nlu_smoke.jsonl"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def run(parser: NluParser, lines: list[str], default_now: datetime | None = NOW) -> list[dict]:
    out = list(parse_lines(lines, parser, default_now))
    assert all(isinstance(o, str) and "\n" not in o for o in out)
    return [json.loads(o) for o in out]


def test_parse_lines_contract_output(parser: NluParser) -> None:
    line = json.dumps({"id": "1", "text": "我想明天下午3点做个深度保洁", "now": "2026-11-24T20:00:00+08:00"},
                      ensure_ascii=False)
    [out] = run(parser, [line], default_now=None)
    assert out == {"id": "1", "intent": "book", "confidence": out["confidence"],
                   "slots": {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}}
    assert list(out) == ["id", "intent", "confidence", "slots"]
    assert 0.0 <= out["confidence"] <= 1.0


def test_output_is_not_ascii_escaped(parser: NluParser) -> None:
    line = json.dumps({"id": "a", "text": "地址：海淀区中关村大街27号"}, ensure_ascii=False)
    [raw] = list(parse_lines([line], parser, NOW))
    assert "海淀区中关村大街27号" in raw
    assert "\\u" not in raw


def test_now_defaults_to_the_given_default(parser: NluParser) -> None:
    [out] = run(parser, ['{"id": "x", "text": "明天"}'], default_now=datetime(2026, 12, 31, 9, 0, tzinfo=SH))
    assert out["slots"] == {"date": "2027-01-01"}
    # per-line now wins over the default; "Z" is accepted
    [out] = run(parser, ['{"id": "x", "text": "明天", "now": "2026-11-24T12:00:00Z"}'],
                default_now=datetime(2026, 12, 31, 9, 0, tzinfo=SH))
    assert out["slots"] == {"date": "2026-11-25"}


def test_no_now_at_all_uses_the_current_time(parser: NluParser) -> None:
    # 下周一, not 明天 or 后天: said after midnight those are asked (which of two days?), no date
    [out] = run(parser, ['{"id": "x", "text": "下周一"}'], default_now=None)
    assert len(out["slots"]["date"]) == 10


def test_blank_lines_are_skipped_and_ids_pass_through(parser: NluParser) -> None:
    lines = ["", "   ", '{"id": 7, "text": "你好"}', "\n", '\ufeff{"id": null, "text": "hi"}', '{"text": "ok"}']
    outs = run(parser, lines)
    assert [o["id"] for o in outs] == [7, None, None]
    assert [o["intent"] for o in outs] == ["greet", "greet", "affirm"]


@pytest.mark.parametrize("line, msg_id, fragment", [
    ("{not json", None, "not valid JSON"),
    ("[1, 2]", None, "expected a JSON object"),
    ('"just a string"', None, "expected a JSON object"),
    ('{"id": "m1"}', "m1", "missing 'text'"),
    ('{"id": "m2", "text": 42}', "m2", "'text' must be a string"),
    ('{"id": "m3", "text": "明天", "now": "yesterday-ish"}', "m3", "'now'"),
    ('{"id": "m4", "text": "明天", "now": 1732450000}', "m4", "'now'"),
])
def test_malformed_lines_give_an_error_object_and_processing_continues(
        parser: NluParser, line: str, msg_id: object, fragment: str) -> None:
    outs = run(parser, [line, '{"id": "ok", "text": "确认"}'])
    assert len(outs) == 2
    assert outs[0]["id"] == msg_id
    assert fragment in outs[0]["error"]
    assert "line 1" in outs[0]["error"]
    assert set(outs[0]) == {"id", "error"}
    assert outs[1] == {"id": "ok", "intent": "affirm", "confidence": outs[1]["confidence"], "slots": {}}


def test_parse_now() -> None:
    assert parse_now("2026-11-24T20:00:00+08:00") == NOW
    assert parse_now("2026-11-24T12:00:00Z") == NOW
    assert parse_now("2026-11-24T20:00:00").tzinfo is None
    for bad in ("", "soon", 5, None):
        with pytest.raises(ValueError):
            parse_now(bad)


# ------------------------------------------------------------------ evaluation
def test_smoke_file_is_well_formed() -> None:
    records = list(load_records(SMOKE.read_text(encoding="utf-8").splitlines()))
    assert len(records) >= 60
    assert all("_error" not in r for r in records)
    zh = sum(any("\u4e00" <= c <= "\u9fff" for c in r["text"]) for r in records)
    assert zh > len(records) / 2
    assert len({r["id"] for r in records}) == len(records)


def test_smoke_file_scores(parser: NluParser) -> None:
    records = load_records(SMOKE.read_text(encoding="utf-8").splitlines())
    report = evaluate(records, parser, None)
    assert report.total >= 60
    assert report.errors == []
    assert report.intent_accuracy >= 0.95
    assert report.exact_rate >= 0.9
    for name in ("service", "date", "time", "phone", "address"):
        assert report.slots[name].precision >= 0.9, name
        assert report.slots[name].recall >= 0.9, name
    assert report.address_f1_rate >= 0.9


def test_evaluate_counts_exactly(parser: NluParser) -> None:
    n = "2026-11-24T20:00:00+08:00"
    records = [
        {"id": 1, "text": "我想明天下午3点做个深度保洁", "now": n, "intent": "book",
         "slots": {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}},        # all right
        {"id": 2, "text": "明天", "now": n, "intent": "book", "slots": {"date": "2026-11-26"}},  # wrong date
        {"id": 3, "text": "你好", "now": n, "intent": "cancel", "slots": {}},                   # wrong intent
        {"id": 4, "text": "两个房间", "now": n, "intent": "book", "slots": {"quantity": "2"}},   # "2" == 2
        {"id": 5, "text": "来望京SOHO T1-1203", "now": n, "intent": "book",
         "slots": {"address": "望京SOHO T1-1203室"}},                                           # near-miss address
        {"id": 6, "now": n, "intent": "book", "slots": {}},                                    # no text
        {"_error": "line 7: not valid JSON"},
    ]
    report = evaluate(records, parser, None)
    assert report.total == 5
    assert len(report.errors) == 2
    assert report.intent_correct == 4
    assert report.message_exact == 2
    date = report.slots["date"]
    assert (date.tp, date.fp, date.fn) == (1, 1, 1)
    assert date.precision == 0.5 and date.recall == 0.5
    assert report.slots["quantity"].tp == 1
    assert report.address_gold == 1 and report.address_f1_ok == 1
    assert report.slots["address"].tp == 0
    assert report.confusions == {("cancel", "greet"): 1}
    text = format_report(report)
    assert "intent accuracy: 80.0% (4/5)" in text
    assert "whole-message exact (intent + all slots): 40.0% (2/5)" in text
    assert "address char-F1 >= 0.8: 100.0% (1/1)" in text
    assert "date" in text and "cancel -> greet: 1" in text
    assert "line 7: not valid JSON" in text


def test_load_records_marks_bad_lines() -> None:
    recs = list(load_records(['{"text": "a", "intent": "other", "slots": {}}', "", "oops", "[]"]))
    assert len(recs) == 3
    assert "text" in recs[0]
    assert "not valid JSON" in recs[1]["_error"]
    assert "expected a JSON object" in recs[2]["_error"]


def test_char_f1() -> None:
    assert char_f1("望京SOHO T1-1203", "望京SOHO T1-1203") == 1.0
    assert char_f1("", "") == 1.0
    assert char_f1("abc", "") == 0.0
    assert char_f1("abc", "xyz") == 0.0
    assert 0.8 < char_f1("望京SOHO T1-1203", "望京SOHO T1-1203室") < 1.0
