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
from nlu.rasa import RasaParser
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
