"""The Rasa backend against a local server answering with Rasa's documented
`/model/parse` response shape (rasa/core/processor.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from nlu.backends import make_parser
from nlu.pipeline import NluParser, training_data
from nlu.rasa import RasaParser
from nlu.types import SLOT_NAMES
from storage.catalog import demo_catalog

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _entity(text: str, span: str, entity: str, value: Any = None) -> dict[str, Any]:
    start = text.index(span)
    return {"entity": entity, "start": start, "end": start + len(span), "value": span if value is None else value,
            "confidence_entity": 0.99, "extractor": "DIETClassifier"}


def rasa_answer(text: str) -> dict[str, Any]:
    """What a trained Rasa model would say for the few messages these tests send."""
    intent, entities = {"name": None, "confidence": 0.0}, []
    if "保洁" in text:
        intent = {"name": "book", "confidence": 0.97}
        entities = [_entity(text, "下周六", "date"), _entity(text, "下午三点", "time"),
                    _entity(text, "大扫除", "service", "deep_cleaning"),
                    _entity(text, "138 1234 5678", "phone"), _entity(text, "望京SOHO T1-1203", "address")]
    elif "cancel" in text:
        intent = {"name": "cancel", "confidence": 0.91}
    elif "weird" in text:
        intent = {"name": "order_pizza", "confidence": 0.88}
        entities = [_entity(text, "weird", "date")]
    return {"text": text, "intent": intent, "entities": entities,
            "intent_ranking": [intent], "response_selector": {}}


@pytest.fixture
async def rasa_server() -> AsyncIterator[TestServer]:
    seen: list[dict[str, Any]] = []

    async def parse(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append(body)
        if body["text"] == "boom":
            return web.json_response({"status": "failure", "reason": "ParsingError"}, status=500)
        return web.json_response(rasa_answer(body["text"]))

    app = web.Application()
    app.router.add_post("/model/parse", parse)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    server.seen = seen  # type: ignore[attr-defined]
    yield server
    await server.close()


def _parser(server: TestServer) -> RasaParser:
    parser = make_parser(demo_catalog(), "Asia/Shanghai", "rasa", str(server.make_url("/")))
    assert isinstance(parser, RasaParser)
    return parser


async def test_rasa_entities_go_through_our_normalisers(rasa_server: TestServer) -> None:
    parser = _parser(rasa_server)
    text = "下周六下午三点来望京SOHO T1-1203做个大扫除保洁，电话138 1234 5678"
    got = await parser.parse_async(text, now=NOW)
    await parser.close()
    assert got.intent == "book" and got.confidence == pytest.approx(0.97)
    assert got.slots == {"service": "deep_cleaning", "date": "2026-12-05", "time": "15:00",
                         "address": "望京SOHO T1-1203", "phone": "13812345678"}
    assert rasa_server.seen[-1] == {"text": text}  # type: ignore[attr-defined]


async def test_unknown_intents_and_unreadable_entities_are_not_guessed(rasa_server: TestServer) -> None:
    parser = _parser(rasa_server)
    got = await parser.parse_async("something weird", now=NOW)
    assert (got.intent, got.slots) == ("other", {})
    assert (await parser.parse_async("please cancel", now=NOW)).intent == "cancel"
    await parser.close()


async def test_a_failing_or_missing_server_falls_back_to_the_embedded_nlu(rasa_server: TestServer) -> None:
    parser = _parser(rasa_server)
    got = await parser.parse_async("boom", now=NOW)
    assert got.intent == "other"
    await parser.close()
    gone = make_parser(demo_catalog(), "Asia/Shanghai", "rasa", "http://127.0.0.1:9")
    got = await gone.parse_async("明天下午3点做个深度保洁", now=NOW)
    assert (got.intent, got.slots["service"], got.slots["time"]) == ("book", "deep_cleaning", "15:00")


def test_rasa_needs_a_url() -> None:
    with pytest.raises(ValueError, match="JIEDAN_RASA_URL"):
        make_parser(demo_catalog(), "Asia/Shanghai", "rasa", None)


async def test_nlu_parse_command_uses_rasa(rasa_server: TestServer, tmp_path: Path) -> None:
    line = json.dumps({"id": "r1", "text": "please cancel", "now": NOW.isoformat()})
    env = {**os.environ, "JIEDAN_NLU_BACKEND": "rasa", "JIEDAN_RASA_URL": str(rasa_server.make_url("/"))}
    import asyncio
    out = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot", "nlu", "parse"], input=line + "\n",
                                  capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"id": "r1", "intent": "cancel", "confidence": 0.91, "slots": {}}


# ------------------------------------------------------------------ one parse per message
def _old_normalised(embedded: NluParser, kind: str, written: str, value: str,
                    now: dt.datetime | None) -> dict[str, Any]:
    """The reading before `NluParser.read_slot`: a whole parse of the entity's value,
    then of its written span. Kept here as the reference the cheaper reading must equal."""
    if kind == "service" and value in embedded.service_ids:
        return {"service": value}
    family = ("date", "time", "period") if kind in ("date", "time", "period") else (kind,)
    for candidate in (value, written):
        read = embedded.parse(candidate, now=now).slots
        found = {k: read[k] for k in family if k in read}
        if found:
            return found
    if kind in {"service", "date", "time", "period", "phone", "quantity", "rating", "order_ref"}:
        return {}
    return {kind: written.strip()}


def _old_from_rasa(embedded: NluParser, answer: dict[str, Any], text: str) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    for ent in answer["entities"]:
        slots.update(_old_normalised(embedded, ent["entity"], text[ent["start"]:ent["end"]], str(ent["value"]), NOW))
    return slots


@pytest.fixture(scope="module")
def offline() -> RasaParser:
    """A Rasa backend fed answers directly (`from_rasa`): no server needed to read entities."""
    parser = make_parser(demo_catalog(), "Asia/Shanghai", "rasa", "http://127.0.0.1:9")
    assert isinstance(parser, RasaParser)
    return parser


# (text, [(span, entity, value or None for the span)], slots expected)
ENTITY_TABLE: list[tuple[str, list[tuple[str, str, Any]], dict[str, Any]]] = [
    ("明天下午三点来修空调，两台，电话138 1234 5678，王女士，地址朝阳区安立路60号润枫德尚5号楼",
     [("明天", "date", None), ("下午三点", "time", None), ("修空调", "service", None), ("两台", "quantity", 2),
      ("138 1234 5678", "phone", None), ("王女士", "name", None), ("朝阳区安立路60号润枫德尚5号楼", "address", None)],
     {"service": "appliance_repair", "date": "2026-11-25", "time": "15:00", "address": "朝阳区安立路60号润枫德尚5号楼",
      "phone": "13812345678", "name": "王女士", "quantity": 2}),
    # One entity holding date and time: both come out, as the whole parse gave them.
    ("明天下午三点做个大扫除", [("明天下午三点", "time", None), ("大扫除", "service", None)],
     {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}),
    ("下周六上午请个钟点工打扫3个小时", [("下周六", "date", None), ("上午", "period", "morning"),
                                   ("钟点工", "service", None), ("3个小时", "quantity", 3)],
     {"service": "daily_cleaning", "date": "2026-12-05", "period": "morning", "quantity": 3}),
    ("马桶堵了，今晚能来吗，手机＋86 139-0000-1111", [("马桶堵了", "service", None), ("今晚", "date", None),
                                          ("＋86 139-0000-1111", "phone", "13900001111")],
     {"service": "drain_unclogging", "date": "2026-11-24", "period": "evening", "phone": "13900001111"}),
    ("Book a deep clean next Friday 3pm for 2 rooms, call +44 7700 900123, I'm Alice Chen, 12 Baker Street",
     [("deep clean", "service", None), ("next Friday", "date", None), ("3pm", "time", None),
      ("2 rooms", "quantity", 2), ("+44 7700 900123", "phone", None), ("Alice Chen", "name", None),
      ("12 Baker Street", "address", None)],
     {"service": "deep_cleaning", "date": "2026-12-04", "time": "15:00", "address": "12 Baker Street",
      "phone": "+447700900123", "name": "Alice Chen", "quantity": 2}),
    ("Need a plumber tomorrow afternoon, the shower drain is blocked",
     [("plumber", "service", None), ("tomorrow", "date", None), ("afternoon", "period", None),
      ("shower drain is blocked", "service", None)],
     {"service": "drain_unclogging", "date": "2026-11-25", "period": "afternoon"}),
    ("五星好评，订单号 20261124-0007", [("五星", "rating", 5), ("20261124-0007", "order_ref", None)],
     {"rating": 5, "order_ref": "20261124-0007"}),
    # Typed entities no reader confirms are dropped; a catalog id is taken as it is.
    ("sometime soon, 2, call 12345, the usual", [("sometime soon", "date", None), ("2", "quantity", 2),
                                                ("12345", "phone", None), ("the usual", "service", "deep_cleaning")],
     {"service": "deep_cleaning"}),
]


@pytest.mark.parametrize("text, entities, expected", ENTITY_TABLE, ids=[row[0][:16] for row in ENTITY_TABLE])
def test_entities_read_as_the_whole_parse_read_them(offline: RasaParser, text: str,
                                                    entities: list[tuple[str, str, Any]],
                                                    expected: dict[str, Any]) -> None:
    answer = {"intent": {"name": "book", "confidence": 0.9},
              "entities": [_entity(text, span, kind, value) for span, kind, value in entities]}
    got = offline.from_rasa(answer, text, NOW, None)
    assert got.slots == expected
    assert got.slots == _old_from_rasa(offline.embedded, answer, text)
    assert list(got.slots) == [k for k in SLOT_NAMES if k in got.slots]


@pytest.mark.parametrize("now", [NOW, dt.datetime(2027, 2, 27, 9, 0), None], ids=["nov", "feb-naive", "current"])
def test_every_annotated_entity_reads_as_before(offline: RasaParser, now: dt.datetime | None) -> None:
    """Each entity of the training data, as Rasa would send it (value) and as written."""
    cases = {(e.entity, e.text, v) for ex in training_data().examples for e in ex.entities for v in (e.text, e.value)}
    assert len(cases) > 300
    differ = [(kind, written, value) for kind, written, value in sorted(cases)
              if offline._normalised(kind, written, value, now) != _old_normalised(offline.embedded, kind, written,
                                                                                      value, now)]
    assert differ == []


async def test_one_embedded_parse_per_message_not_per_entity(rasa_server: TestServer,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    parser = _parser(rasa_server)
    calls: list[str] = []
    whole = parser.embedded.parse

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(text)
        return whole(text, *args, **kwargs)

    monkeypatch.setattr(parser.embedded, "parse", counting)
    text = "下周六下午三点来望京SOHO T1-1203做个大扫除保洁，电话138 1234 5678"
    got = await parser.parse_async(text, now=NOW)
    await parser.close()
    assert len(got.slots) == 5  # five entities read ...
    assert calls == [text]  # ... by one whole parse of the message, for its language and flags
