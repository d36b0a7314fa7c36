"""One kind of work an owner lists as several services by the part of the day it takes:
婚礼跟拍半天 and 婚礼跟拍全天, "Wedding coverage (half day)" and "(full day)". A customer names
the kind by its shared words ("婚礼跟拍", "wedding photography") and the part of the day
apart ("半天", "the full day"), or says only the part of the day about the one priced or
being booked ("半天多少钱", "那就约半天吧"): that variant is the service meant.
"""

from __future__ import annotations

from typing import Sequence

from nlu import guarded
from nlu.lengths import DAY_SPAN_RE, day_span_said
from nlu.types import ServiceEntry

_NOT_A_WORD = guarded.compile(r"[\W_]+")


def _fold(text: str) -> str:
    """Lower case without spaces or punctuation: "Wedding coverage (half day)" -> "weddingcoveragehalfday"."""
    return _NOT_A_WORD.sub("", text.lower())


def _terms(service: ServiceEntry) -> list[str]:
    return [*service.names.values(), *service.synonyms]


def _span_of(service: ServiceEntry) -> set[str]:
    """The parts of the day ("half", "full") the service's own names and synonyms say."""
    return {span for term in _terms(service) if (span := day_span_said(term)) is not None}


def _kin(service: ServiceEntry, other: ServiceEntry) -> bool:
    """Whether `other` is `service`'s kind of work: one of its names, the part of the day
    taken out, is inside one of `service`'s names or synonyms ("婚礼跟拍" in "婚礼跟拍全天")."""
    own = [_fold(t) for t in _terms(service)]
    stems = (_fold(DAY_SPAN_RE.sub("", name.lower())) for name in other.names.values())
    return any(len(stem) >= 2 and any(stem in term for term in own) for stem in stems)


def variant_for(services: Sequence[ServiceEntry], service_id: str | None, text: str) -> str | None:
    """The id of the service of `service_id`'s kind that the part of the day said in `text`
    names, when `service_id` is not already it and exactly one other is; else None."""
    span = day_span_said(text)
    service = next((s for s in services if s.id == service_id), None)
    if span is None or service is None or span in _span_of(service):
        return None
    kin = [s.id for s in services if s is not service and span in _span_of(s) and _kin(service, s)]
    return kin[0] if len(kin) == 1 else None
