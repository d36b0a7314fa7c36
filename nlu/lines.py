"""JSON-lines front end: `jiedan nlu parse` and `jiedan nlu eval`.

Kept apart from the parser so the CLI stays a thin typer wrapper and the
scoring can be tested without a terminal. A bad input line never stops a run
(one error object per bad line, then the next line) because these commands are
fed whole files by scripts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Iterator

from nlu.pipeline import NluParser
from nlu.types import SLOT_NAMES


class LineError(ValueError):
    """One input line cannot be parsed; the message says why, for the output line."""

    def __init__(self, message: str, msg_id: Any = None) -> None:
        super().__init__(message)
        self.msg_id = msg_id


def parse_now(value: Any) -> datetime:
    """An ISO 8601 `now` ("2026-11-24T20:00:00+08:00", "...Z" or naive local)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'now' must be an ISO 8601 string, got {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'now' is not an ISO 8601 date-time: {value!r}") from None


def _read_record(line: str, line_no: int) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise LineError(f"line {line_no}: not valid JSON ({e.msg} at column {e.colno})") from None
    if not isinstance(obj, dict):
        raise LineError(f"line {line_no}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _check_record(obj: dict[str, Any], line_no: int, default_now: datetime | None) -> tuple[Any, str, datetime | None]:
    msg_id = obj.get("id")
    if "text" not in obj:
        raise LineError(f"line {line_no}: missing 'text'", msg_id)
    text = obj["text"]
    if not isinstance(text, str):
        raise LineError(f"line {line_no}: 'text' must be a string, got {type(text).__name__}", msg_id)
    now = default_now
    if obj.get("now") is not None:
        try:
            now = parse_now(obj["now"])
        except ValueError as e:
            raise LineError(f"line {line_no}: {e}", msg_id) from None
    return msg_id, text, now


def _dumps(obj: dict[str, Any]) -> str:
    """Readable UTF-8 JSON; escaped only if the input smuggled in a lone surrogate (e.g. in an id)."""
    out = json.dumps(obj, ensure_ascii=False)
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        out = json.dumps(obj, ensure_ascii=True)
    return out


def parse_lines(lines: Iterable[str], parser: NluParser, default_now: datetime | None) -> Iterator[str]:
    """Contract "NLU lines": one JSON output line (no trailing newline) per non-blank input line."""
    for line_no, raw in enumerate(lines, start=1):
        line = raw.lstrip("\ufeff").strip()
        if not line:
            continue
        try:
            obj = _read_record(line, line_no)
            msg_id, text, now = _check_record(obj, line_no, default_now)
        except LineError as e:
            yield _dumps({"id": e.msg_id, "error": str(e)})
            continue
        result = parser.parse(text, now=now)
        out = {"id": msg_id, **result.as_contract()}
        yield _dumps(out)


# ---------------------------------------------------------------- evaluation
@dataclass(slots=True)
class SlotScore:
    """Counts for one slot. tp: right value; fp: value predicted but wrong or unwanted; fn: missed or wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0   # records where gold or prediction has the slot and both agree
    seen: int = 0    # records where gold or prediction has the slot

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def exact(self) -> float:
        return self.agree / self.seen if self.seen else 1.0


@dataclass(slots=True)
class EvalReport:
    total: int = 0
    errors: list[str] = field(default_factory=list)
    intent_correct: int = 0
    message_exact: int = 0
    slots: dict[str, SlotScore] = field(default_factory=dict)
    address_gold: int = 0
    address_f1_ok: int = 0
    confusions: dict[tuple[str, str], int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.total if self.total else 0.0

    @property
    def exact_rate(self) -> float:
        return self.message_exact / self.total if self.total else 0.0

    @property
    def address_f1_rate(self) -> float:
        return self.address_f1_ok / self.address_gold if self.address_gold else 1.0


def _same(a: Any, b: Any) -> bool:
    """Slot values compare as text so a labelled "2" equals a parsed 2."""
    return str(a).strip() == str(b).strip()


def char_f1(pred: str, gold: str) -> float:
    """Bag-of-characters F1 (whitespace ignored): how close an address is when not exact."""
    p = [c for c in pred if not c.isspace()]
    g = [c for c in gold if not c.isspace()]
    if not p or not g:
        return 1.0 if p == g else 0.0
    pool: dict[str, int] = {}
    for c in g:
        pool[c] = pool.get(c, 0) + 1
    common = 0
    for c in p:
        if pool.get(c, 0) > 0:
            pool[c] -= 1
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def load_records(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Labelled JSON lines as dicts, for `evaluate`; a bad line becomes `{"_error": message}`."""
    for line_no, raw in enumerate(lines, start=1):
        line = raw.lstrip("\ufeff").strip()
        if not line:
            continue
        try:
            yield _read_record(line, line_no)
        except LineError as e:
            yield {"_error": str(e)}


def evaluate(records: Iterable[dict], parser: NluParser, default_now: datetime | None) -> EvalReport:
    """Score labelled records `{"id","text","now"?,"intent","slots"}` (see format_report).

    Records that cannot be scored (from `load_records`, or missing text/intent)
    are listed in `report.errors` and do not count in the totals.
    """
    report = EvalReport()
    for i, rec in enumerate(records, start=1):
        try:
            if not isinstance(rec, dict):
                raise LineError(f"record {i}: expected a JSON object")
            if "_error" in rec:
                raise LineError(str(rec["_error"]))
            msg_id, text, now = _check_record(rec, i, default_now)
            gold_intent = rec.get("intent")
            gold_slots = rec.get("slots") or {}
            if not isinstance(gold_intent, str) or not isinstance(gold_slots, dict):
                raise LineError(f"record {i}: needs 'intent' (string) and 'slots' (object)", rec.get("id"))
        except LineError as e:
            report.errors.append(str(e))
            continue
        result = parser.parse(text, now=now)
        report.total += 1
        intent_ok = result.intent == gold_intent
        report.intent_correct += intent_ok
        if not intent_ok:
            key = (gold_intent, result.intent)
            report.confusions[key] = report.confusions.get(key, 0) + 1
        all_ok = intent_ok
        names = [*SLOT_NAMES, *sorted((set(gold_slots) | set(result.slots)) - set(SLOT_NAMES))]
        for name in names:
            g, p = gold_slots.get(name), result.slots.get(name)
            if g is None and p is None:
                continue
            score = report.slots.setdefault(name, SlotScore())
            score.seen += 1
            if g is not None and p is not None and _same(g, p):
                score.tp += 1
                score.agree += 1
                continue
            all_ok = False
            if p is not None:
                score.fp += 1
            if g is not None:
                score.fn += 1
        if "address" in gold_slots:
            report.address_gold += 1
            if char_f1(str(result.slots.get("address", "")), str(gold_slots["address"])) >= 0.8:
                report.address_f1_ok += 1
        report.message_exact += all_ok
        if not all_ok:
            report.failures.append({"id": msg_id, "text": text, "gold": {"intent": gold_intent, "slots": gold_slots},
                                    "got": {"intent": result.intent, "slots": result.slots}})
    return report


def format_report(report: EvalReport) -> str:
    """A plain-text summary for the terminal."""
    lines = [
        f"messages: {report.total}" + (f"  (skipped {len(report.errors)} bad records)" if report.errors else ""),
        f"intent accuracy: {report.intent_accuracy:.1%} ({report.intent_correct}/{report.total})",
        f"whole-message exact (intent + all slots): {report.exact_rate:.1%} ({report.message_exact}/{report.total})",
        "",
        f"{'slot':<10} {'precision':>9} {'recall':>7} {'exact':>7} {'n':>5}",
    ]
    for name in [*SLOT_NAMES, *sorted(set(report.slots) - set(SLOT_NAMES))]:
        s = report.slots.get(name)
        if s is None:
            continue
        lines.append(f"{name:<10} {s.precision:>9.1%} {s.recall:>7.1%} {s.exact:>7.1%} {s.seen:>5}")
    if report.address_gold:
        lines.append(f"address char-F1 >= 0.8: {report.address_f1_rate:.1%} "
                     f"({report.address_f1_ok}/{report.address_gold})")
    if report.confusions:
        lines.append("")
        lines.append("intent confusions (gold -> got):")
        for (g, p), n in sorted(report.confusions.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {g} -> {p}: {n}")
    if report.errors:
        lines.append("")
        lines.append("bad records:")
        lines.extend(f"  {e}" for e in report.errors)
    if report.failures:
        lines.append("")
        lines.append("mismatches:")
        for f in report.failures:
            lines.append(f"  [{f['id']}] {f['text']}")
            lines.append(f"      gold: {json.dumps(f['gold'], ensure_ascii=False)}")
            lines.append(f"      got:  {json.dumps(f['got'], ensure_ascii=False)}")
    return "\n".join(lines)
