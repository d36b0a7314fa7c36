"""The trained classifiers: Rasa YAML in, cached models out."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import classifier
from nlu.classifier import NO_SERVICE, LinearTextModel, models_for
from nlu.training_data import DATA_DIR, load, parse_example
from nlu.types import INTENTS
from storage.catalog import demo_catalog


def test_rasa_examples_lose_their_markup_but_keep_their_entities() -> None:
    ex = parse_example('想约[日常保洁]{"entity": "service", "value": "daily_cleaning"}，[明天](date)上午', "book")
    assert ex.text == "想约日常保洁，明天上午"
    assert [(e.entity, e.text, e.value) for e in ex.entities] == [
        ("service", "日常保洁", "daily_cleaning"), ("date", "明天", "明天")]


def test_the_shipped_data_covers_every_intent_and_service() -> None:
    data = load()
    assert {e.intent for e in data.examples} == set(INTENTS)
    assert {s.id for s in demo_catalog().services} <= set(data.synonyms)
    assert len(data.fingerprint) == 16


def test_a_linear_model_learns_and_round_trips(tmp_path: Path) -> None:
    model = LinearTextModel.train(["退单", "取消订单", "不要了", "预约保洁", "想约个阿姨", "明天来打扫"],
                                  ["cancel", "cancel", "cancel", "book", "book", "book"])
    assert model.best("我要取消订单")[0] == "cancel"
    assert model.best("想预约")[0] == "book"
    model.save(tmp_path / "m.npz")
    again = LinearTextModel.load(tmp_path / "m.npz")
    assert again.probabilities("帮我取消") == pytest.approx(model.probabilities("帮我取消"))


def test_models_are_trained_once_then_loaded_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JIEDAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(classifier, "_MEMO", {})
    first = models_for(demo_catalog())
    cached = sorted(p.name for p in (tmp_path / "jiedan").iterdir())
    assert len(cached) == 2 and all(n.endswith(".npz") for n in cached)

    monkeypatch.setattr(classifier, "_MEMO", {})
    monkeypatch.setattr(LinearTextModel, "train", classmethod(lambda *a, **k: pytest.fail("retrained")))
    second = models_for(demo_catalog())
    text = "马桶冲不下去"
    assert second.service.best(text) == pytest.approx(first.service.best(text))
    assert second.service.best(text)[0] == "drain_unclogging"
    assert second.service.best("明天下午三点")[0] == NO_SERVICE


def test_edited_data_gets_a_fresh_model(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("JIEDAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(classifier, "_MEMO", {})
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for f in DATA_DIR.glob("*.yml"):
        (data_dir / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    before = load(list(data_dir.glob("*.yml")))
    with (data_dir / "intents_zh.yml").open("a", encoding="utf-8") as fh:
        fh.write("\n- intent: human\n  examples: |\n    - 麻烦让店长接一下\n")
    after = load(list(data_dir.glob("*.yml")))
    assert before.fingerprint != after.fingerprint
    models_for(demo_catalog(), before)
    models_for(demo_catalog(), after)
    assert len(list((tmp_path / "cache" / "jiedan").glob("intent-*.npz"))) == 2
