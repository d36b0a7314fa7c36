"""The contract's commands, run as a user runs them: `jiedan …` in a subprocess."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from storage.migrate import head_revision

JIEDAN = [sys.executable, "-m", "bot"]
TZ = ZoneInfo("Asia/Shanghai")


def run(args: list[str], cwd: Path, stdin: str = "", env: dict | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{cwd / 'jiedan.db'}", **(env or {})}
    full_env.pop("JIEDAN_REDIS_URL", None)
    return subprocess.run(JIEDAN + args, input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=full_env, timeout=timeout)


def _tomorrows() -> set[str]:
    """Tomorrow in the business zone (two values if the test straddles midnight)."""
    return {(dt.datetime.now(TZ) + dt.timedelta(days=1)).date().isoformat()}


def test_done_when_piped_chat_then_csv_export(tmp_path: Path) -> None:
    expected_dates = _tomorrows()
    lines = "你好\n我想明天下午3点做个深度保洁\n朝阳区望京SOHO T1 1203\n13812345678\n确认\n"
    chat = run(["chat"], tmp_path, stdin=lines)
    expected_dates |= _tomorrows()
    assert chat.returncode == 0, chat.stderr
    assert "预约成功" in chat.stdout and "Traceback" not in chat.stdout + chat.stderr
    out = run(["export", "--format", "csv"], tmp_path)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 1
    r = rows[0]
    assert (r["status"], r["service"], r["time"], r["phone"]) == ("confirmed", "deep_cleaning", "15:00", "13812345678")
    assert r["address"] == "朝阳区望京SOHO T1 1203" and r["date"] in expected_dates


def test_english_piped_chat_and_xlsx_export(tmp_path: Path) -> None:
    lines = "hello\nI'd like a deep clean tomorrow at 3pm\n12 Baker Street, Flat 3\n13812345678\nyes\n"
    chat = run(["chat", "--lang", "en", "--user", "alice"], tmp_path, stdin=lines)
    assert chat.returncode == 0, chat.stderr
    assert "Booked!" in chat.stdout
    out = run(["export", "--format", "xlsx", "--out", str(tmp_path / "o.xlsx")], tmp_path)
    assert out.returncode == 0, out.stderr
    sheet = load_workbook(tmp_path / "o.xlsx")["orders"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]]))
    assert row["status"] == "confirmed" and row["address"] == "12 Baker Street, Flat 3"


def test_chat_shows_numbered_quick_replies_and_accepts_digits(tmp_path: Path) -> None:
    chat = run(["chat"], tmp_path, stdin="明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678\n1\n")
    assert "[1] 确认下单" in chat.stdout and "预约成功" in chat.stdout


def test_db_upgrade_and_bad_configuration(tmp_path: Path) -> None:
    ok = run(["db", "upgrade"], tmp_path)
    assert ok.returncode == 0 and head_revision() in ok.stdout
    bad_tz = run(["db", "upgrade"], tmp_path, env={"JIEDAN_TIMEZONE": "Mars/Olympus"})
    assert bad_tz.returncode == 2 and "JIEDAN_TIMEZONE" in bad_tz.stderr and "Traceback" not in bad_tz.stderr
    (tmp_path / "bad.yaml").write_text("services: [", encoding="utf-8")
    bad_cat = run(["chat"], tmp_path, stdin="你好\n", env={"JIEDAN_CATALOG": str(tmp_path / "bad.yaml")})
    assert bad_cat.returncode == 2 and "bad.yaml" in bad_cat.stderr and "Traceback" not in bad_cat.stderr


def test_nlu_parse_lines(tmp_path: Path) -> None:
    lines = "\n".join([
        json.dumps({"id": "1", "text": "我想明天下午3点做个深度保洁", "now": "2026-11-24T20:00:00+08:00"}),
        "not json",
        json.dumps({"id": "3", "text": "确认"}),
    ]) + "\n"
    out = run(["nlu", "parse", "--now", "2026-11-24T20:00:00+08:00"], tmp_path, stdin=lines)
    assert out.returncode == 0, out.stderr
    first, bad, third = [json.loads(x) for x in out.stdout.splitlines()]
    assert first == {"id": "1", "intent": "book", "confidence": first["confidence"],
                     "slots": {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}}
    assert 0 <= first["confidence"] <= 1
    assert "error" in bad
    assert third["id"] == "3" and third["intent"] == "affirm"


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_serve_health_metrics_and_orders_api(tmp_path: Path) -> None:
    run(["chat"], tmp_path, stdin="明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678\n确认\n")
    env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{tmp_path / 'jiedan.db'}",
           "JIEDAN_ADMIN_TOKEN": "s3cret"}
    env.pop("JIEDAN_REDIS_URL", None)
    proc = subprocess.Popen(JIEDAN + ["serve", "--port", "0"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), line + proc.stderr.read()
        base = line.split()[-1]
        status, body = _get(base + "/healthz")
        assert status == 200 and json.loads(body)["database"] is True
        status, body = _get(base + "/metrics")
        assert status == 200 and b"jiedan_" in body
        assert _get(base + "/api/orders")[0] == 401
        assert _get(base + "/api/orders", "wrong")[0] == 401
        status, body = _get(base + "/api/orders", "s3cret")
        [order] = json.loads(body)
        for key in ("id", "status", "service", "date", "time", "address", "phone", "name", "quantity",
                    "channel", "customer_id", "assignee", "created_at", "rating"):
            assert key in order
        assert order["status"] == "confirmed" and order["channel"] == "console"
        status, body = _get(base + "/api/orders?status=cancelled", "s3cret")
        assert status == 200 and json.loads(body) == []
        assert _get(base + "/api/orders?status=nope", "s3cret")[0] == 400
        assert _get(base + "/api/orders?since=yesterday", "s3cret")[0] == 400
        status, body = _get(base + "/api/orders?since=2000-01-01", "s3cret")
        assert status == 200 and len(json.loads(body)) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert proc.returncode == 0


def test_admin_api_disabled_without_token(tmp_path: Path) -> None:
    env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{tmp_path / 'jiedan.db'}"}
    env.pop("JIEDAN_ADMIN_TOKEN", None)
    proc = subprocess.Popen(JIEDAN + ["serve", "--port", "0", "--no-worker"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = proc.stdout.readline().split()[-1]
        assert _get(base + "/api/orders", "anything")[0] == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)


def test_a_long_piped_chat_is_not_taken_for_a_flood(tmp_path: Path) -> None:
    lines = ["你好"] * 12 + ["明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678", "确认"]
    chat = run(["chat"], tmp_path, stdin="\n".join(lines) + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "太快" not in chat.stdout and "预约成功" in chat.stdout
