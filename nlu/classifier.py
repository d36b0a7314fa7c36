"""Trained text classifiers: intents, and services described in the customer's own words.

The keyword rules (`nlu.intents`, `nlu.services`) are precise where they
fire; these models carry the long tail they miss ("我约的保洁确认了吗" is a
status question although it names a service; "厨房老有小强" wants pest
control). They are trained from the Rasa YAML in `nlu/data` with
scikit-learn (character n-grams, TF-IDF, multinomial logistic regression) on
first use and cached on disk keyed by the data's fingerprint, so a business
that edits the data gets a fresh model and everyone else loads in
milliseconds. Prediction is a handful of numpy operations on the stored
weights: no scikit-learn import and well under a millisecond per message.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from nlu.normalize import normalize
from nlu.training_data import TrainingData
from nlu.training_data import load as load_training_data
from nlu.types import CatalogLike

log = logging.getLogger(__name__)

NO_SERVICE = "-"
MODEL_VERSION = "1"  # bump when features or training change, to invalidate caches


def features(text: str) -> list[str]:
    """Character 1-3-grams of the normalised text, with word edges for Latin words."""
    norm = " ".join(normalize(text).norm.split())
    padded = f" {norm} "
    grams: list[str] = []
    for n in (1, 2, 3):
        grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return [g for g in grams if g.strip()]


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF (sublinear tf, l2) + softmax over linear scores, from stored weights."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray          # (n_features,)
    weights: np.ndarray      # (n_features, n_labels)
    bias: np.ndarray         # (n_labels,)

    def probabilities(self, text: str) -> dict[str, float]:
        counts = Counter(g for g in features(text) if g in self.vocab)
        if not counts:
            scores = self.bias
        else:
            idx = np.fromiter((self.vocab[g] for g in counts), dtype=np.int64, count=len(counts))
            tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
            x = tf * self.idf[idx]
            x /= np.linalg.norm(x)
            scores = self.bias + x @ self.weights[idx]
        e = np.exp(scores - scores.max())
        p = e / e.sum()
        return {label: float(v) for label, v in zip(self.labels, p)}

    def best(self, text: str) -> tuple[str, float]:
        probs = self.probabilities(text)
        label = max(probs, key=probs.__getitem__)
        return label, probs[label]

    # ------------------------------------------------------------ training and storage
    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], *, c: float = 10.0) -> "LinearTextModel":
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(analyzer=features, sublinear_tf=True, norm="l2")
        x = vec.fit_transform(texts)
        clf = LogisticRegression(C=c, solver="saga", tol=1e-3, max_iter=1000)
        with warnings.catch_warnings():  # a not-quite-converged saga is as accurate here, and 5x faster
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x, labels)
        classes = tuple(str(k) for k in clf.classes_)
        coef = clf.coef_
        bias = clf.intercept_
        if len(classes) == 2:  # sklearn keeps one row for two classes: expand to softmax form
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            bias = np.array([-bias[0] / 2, bias[0] / 2])
        return cls(labels=classes, vocab={k: int(v) for k, v in vec.vocabulary_.items()},
                    idf=np.asarray(vec.idf_, dtype=np.float64),
                    weights=np.ascontiguousarray(coef.T, dtype=np.float64),
                    bias=np.asarray(bias, dtype=np.float64))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        # Written to a temporary file and renamed: two processes training at once never
        # leave a half-written model for a third to load.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp.npz")
        os.close(fd)
        np.savez_compressed(tmp, labels=np.array(self.labels), terms=np.array(terms, dtype=object),
                            idf=self.idf, weights=self.weights, bias=self.bias)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> "LinearTextModel":
        with np.load(path, allow_pickle=True) as z:  # our own cache file, written by `save`
            terms = [str(t) for t in z["terms"]]
            return cls(labels=tuple(str(x) for x in z["labels"]), vocab={t: i for i, t in enumerate(terms)},
                       idf=z["idf"], weights=z["weights"], bias=z["bias"])


# ------------------------------------------------------------------ the two models
def intent_corpus(data: TrainingData) -> tuple[list[str], list[str]]:
    return [e.text for e in data.examples], [e.intent for e in data.examples]


def service_corpus(data: TrainingData, catalog: CatalogLike) -> tuple[list[str], list[str]]:
    """Service ids from names, synonyms and annotated spans; `NO_SERVICE` for messages
    that name none, so the model learns when to say nothing (never guess a slot)."""
    ids = {s.id for s in catalog.services}
    texts: list[str] = []
    labels: list[str] = []

    def add(text: str, label: str) -> None:
        if text.strip():
            texts.append(text)
            labels.append(label)

    for svc in catalog.services:
        for t in [*svc.names.values(), *svc.synonyms]:
            add(t, svc.id)
    for value, forms in data.synonyms.items():
        if value in ids:
            for t in forms:
                add(t, value)
    for ex in data.examples:
        named = [e for e in ex.entities if e.entity == "service" and e.value in ids]
        if named:
            add(ex.text, named[0].value)
            for e in named:
                add(e.text, e.value)
        elif ex.intent in ("book", "price", "status", "reschedule", "cancel", "review", "other"):
            add(ex.text, NO_SERVICE)
    return texts, labels


def _cache_dir() -> Path:
    base = os.environ.get("JIEDAN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "jiedan" if base else Path.home() / ".cache" / "jiedan"


def _catalog_key(catalog: CatalogLike) -> str:
    h = hashlib.sha256()
    for s in catalog.services:
        h.update(repr((s.id, sorted(s.names.items()), list(s.synonyms))).encode())
    return h.hexdigest()[:12]


def _cached(name: str, build: "callable[[], LinearTextModel]") -> LinearTextModel:  # type: ignore[valid-type]
    path = _cache_dir() / f"{name}.npz"
    try:
        if path.exists():
            return LinearTextModel.load(path)
    except Exception:  # noqa: BLE001 - a damaged cache is rebuilt, not fatal
        log.warning("ignoring an unreadable NLU model cache at %s", path)
    model = build()
    try:
        model.save(path)
    except OSError as e:  # a read-only home still gets a working (uncached) model
        log.warning("cannot cache the NLU model at %s: %s", path, e)
    return model


@dataclass(frozen=True)
class Models:
    intent: LinearTextModel
    service: LinearTextModel


_MEMO: dict[str, Models] = {}


def models_for(catalog: CatalogLike, data: TrainingData | None = None) -> Models:
    """The trained models for this data and catalog: memoised, then cached on disk, else trained."""
    data = data or load_training_data()
    key = f"{MODEL_VERSION}-{data.fingerprint}-{_catalog_key(catalog)}"
    if key not in _MEMO:
        intent = _cached(f"intent-{MODEL_VERSION}-{data.fingerprint}",
                         lambda: LinearTextModel.train(*intent_corpus(data)))
        service = _cached(f"service-{key}", lambda: LinearTextModel.train(*service_corpus(data, catalog)))
        _MEMO[key] = Models(intent=intent, service=service)
    return _MEMO[key]


def warm(texts: Iterable[str], models: Models) -> None:
    """Touch numpy's code paths once so the first customer does not pay for it."""
    for t in texts:
        models.intent.probabilities(t)
        models.service.probabilities(t)
