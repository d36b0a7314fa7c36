"""Reads the Rasa-format training data in `nlu/data/*.yml`.

The same files train a Rasa model and the embedded pipeline, so a business
extends one set of data. Only what the embedded pipeline uses is read:
intent examples (with their inline entity annotations stripped to plain
text, keeping the annotated spans) and synonyms.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlu import guarded

DATA_DIR = Path(__file__).parent / "data"

# [text](entity) or [text]{"entity": ..., "value": ...}
_ANNOTATION_RE = guarded.compile(r"\[([^\]]+)\](?:\(([^)]+)\)|(\{[^}]*\}))")


@dataclass(frozen=True, slots=True)
class Entity:
    entity: str
    text: str
    value: str


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass(slots=True)
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # value -> surface forms
    fingerprint: str = ""  # changes whenever a data file does: the model cache key


def parse_example(line: str, intent: str) -> Example:
    """`想约[日常保洁]{"entity": "service", "value": "daily_cleaning"}` → plain text + entity."""
    entities: list[Entity] = []
    parts: list[str] = []
    pos = 0
    for m in _ANNOTATION_RE.finditer(line):
        parts.append(line[pos:m.start()])
        text, name, spec = m.group(1), m.group(2), m.group(3)
        value = text
        if spec:
            try:
                obj = json.loads(spec)
            except json.JSONDecodeError:
                obj = {}
            name = obj.get("entity", "")
            value = str(obj.get("value", text))
        parts.append(text)
        if name:
            entities.append(Entity(entity=name, text=text, value=value))
        pos = m.end()
    parts.append(line[pos:])
    return Example(text="".join(parts).strip(), intent=intent, entities=tuple(entities))


def _items(block: str) -> list[str]:
    return [ln.strip()[2:].strip() for ln in block.splitlines() if ln.strip().startswith("- ")]


def load(paths: list[Path] | None = None) -> TrainingData:
    """Every `*.yml` in `nlu/data` (sorted, so the fingerprint is stable)."""
    paths = sorted(paths if paths is not None else DATA_DIR.glob("*.yml"))
    data = TrainingData()
    digest = hashlib.sha256()
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        doc = yaml.safe_load(raw) or {}
        for entry in doc.get("nlu") or []:
            if "intent" in entry:
                data.examples.extend(parse_example(t, entry["intent"]) for t in _items(entry.get("examples", "")))
            elif "synonym" in entry:
                data.synonyms.setdefault(str(entry["synonym"]), []).extend(_items(entry.get("examples", "")))
    data.fingerprint = digest.hexdigest()[:16]
    return data
