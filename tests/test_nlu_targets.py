"""The NLU targets of the product, on the labelled development set, on an
independent held-out set written by someone who never saw the parser, and on
the fresh set written and labelled before the parser was run on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.lines import evaluate, load_records
from nlu.pipeline import NluParser
from storage.catalog import demo_catalog

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


@pytest.mark.parametrize("name, size", [("nlu_dev.jsonl", 400), ("nlu_holdout.jsonl", 200),
                                         ("nlu_fresh.jsonl", 250)])
def test_targets(parser: NluParser, name: str, size: int) -> None:
    report = evaluate(load_records((DATA / name).read_text(encoding="utf-8").splitlines()), parser, None)
    assert report.errors == [] and report.total >= size
    assert report.intent_accuracy >= 0.97
    assert report.slots["service"].exact >= 0.95
    for slot in ("date", "time"):
        assert report.slots[slot].exact >= 0.95, slot
    assert report.slots["phone"].exact == 1.0 and report.slots["phone"].precision == 1.0
    assert report.address_f1_rate >= 0.9
    assert report.exact_rate >= 0.85
