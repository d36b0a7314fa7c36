"""Turns what the dialogue decided to say into text in the customer's language.

All wording lives in `templates/<lang>/`; Python only names a template and
hands it data. One turn's sayings become one reply, because some channels
(a WeChat passive reply) can answer a message only once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import jinja2
import jinja2.bccache

import templates
from handlers.messages import Ask, Choice, Reply
from handlers.privacy import mask_address, mask_note, mask_phone
from storage.catalog import Catalog
from storage.money import amount_text

LANGS: tuple[str, ...] = ("zh", "en")
TEMPLATE_DIR = Path(templates.__file__).parent
# The details a channel may let the customer give in one tap, and their button's label in
# labels.j2 (`Reply.asks`): a phone number, which Telegram shares from the account.
ONE_TAP_DETAILS: dict[str, str] = {"phone": "share_phone"}


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    """A quick reply: `label` names an entry of labels.j2, unless `literal`; with `args`,
    a macro there called with them (a label that names a day: "明天 07:00")."""

    label: str
    payload: str
    literal: bool = False
    args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Say:
    template: str
    ctx: dict[str, Any] = field(default_factory=dict)
    choices: tuple[ChoiceSpec, ...] = ()


class _Environment(jinja2.Environment):
    """jinja2's Environment, with each template's globals one plain dict.

    jinja2 chains a template's globals onto the environment's (a ChainMap), and
    every render walks that chain several times: to build the context, to list
    the global names, and, for each `{% from "…/_macros.j2" import … %}`, to
    compare those names with the macros' own (a set difference against the
    ChainMap's keys, ≈ 0.17 ms a render). `Renderer` sets all its globals before
    the first template is loaded (jinja2 asks the same: "avoid modifying any
    globals after a template is loaded"), so a dict made at load time holds the
    same names and values, and those walks become dict operations in C.
    """

    def make_globals(self, d: dict[str, Any] | None) -> dict[str, Any]:  # type: ignore[override]
        return {**self.globals, **(d or {})}


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template's compiled code, kept for every `Renderer` in this process.

    Compiling a template (parse, generate Python, `compile`) takes ~5 ms, the
    same for every `Renderer`: a process that builds several apps (the test
    suite builds thousands, a worker beside a server two) compiles each template
    once. jinja2 still reads the file and checks its checksum, so an edited
    template is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Renderer:
    def __init__(self, catalog: Catalog, *, clock: Callable[[], dt.datetime] | None = None,
                 timezone: str | None = None) -> None:
        self.catalog = catalog
        # `this_year()` in the templates: a date in another year shows its year ("2027年1月5日"),
        # so a booking taken for next year is seen to be at the summary, not on the day.
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._tz = ZoneInfo(timezone or catalog.business.timezone)
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
            undefined=jinja2.StrictUndefined,  # a missing variable is a bug, not an empty string
            auto_reload=False,  # shipped files: no stat() per message on the event loop
            # all of them kept in a plain dict: the default LRU cache moves a template to the
            # front of a deque on every lookup (a scan of up to 400 keys), twice a render with
            # its `_macros.j2` import; the shipped templates are a few hundred
            cache_size=-1,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,  # chat text, not HTML; web channels escape on display
            bytecode_cache=_COMPILED,
        )
        self.env.globals.update(business=catalog.business, services=catalog.services,
                                svc=catalog.get, hours_for=catalog.hours_for, as_date=_as_date,
                                needs_destination=catalog.needs_destination, at_shop=catalog.at_shop,
                                goes_out=catalog.goes_out, place=catalog.business.where_of,
                                amount_text=partial(amount_text, currency=catalog.business.currency),
                                this_year=self.this_year, today=self.today)
        # `shop`: the words of a visit at our place ("营业", "可以约", "see you") or of a home visit
        # ("上门", "we can come"); a message about one visit is passed its own (`TurnBase._shop`),
        # else it is the business's own default
        self.env.globals["shop"] = catalog.speaks_of_shop(None)
        # for messages the whole staff group reads: who needs the full data gets it in private
        self.env.filters.update(mask_phone=mask_phone, mask_address=mask_address, mask_note=mask_note)
        self._labels = {lang: self.env.get_template(f"{lang}/labels.j2").module for lang in LANGS}

    @property
    def tz(self) -> ZoneInfo:
        """The business's time zone, which dates in the templates are read in."""
        return self._tz

    def this_year(self) -> int:
        """The business's current year, by its own clock (tests move it)."""
        return self._clock().astimezone(self._tz).year

    def label(self, lang: str, name: str, *args: str) -> str:
        entry = getattr(self._labels[_lang(lang)], name)
        return str(entry(*args) if args else entry)

    def today(self) -> dt.date:
        """The business's current date, by its own clock: a label says "明天" by it."""
        return self._clock().astimezone(self._tz).date()

    def text(self, template: str, lang: str, **ctx: Any) -> str:
        return self.env.get_template(f"{_lang(lang)}/{template}.j2").render(lang=_lang(lang), **ctx).strip()

    def render(self, says: list[Say], lang: str, awaiting: str | None = None) -> Reply:
        """One turn's reply; `awaiting`, the detail the next message is read as, marks the
        reply as asking for it when a channel can offer it in one tap (`ONE_TAP_DETAILS`)."""
        texts = [self.text(s.template, lang, **s.ctx) for s in says]
        specs = next((s.choices for s in reversed(says) if s.choices), ())
        choices = tuple(Choice(label=c.label if c.literal else self.label(lang, c.label, *c.args),
                               payload=c.payload) for c in specs)
        button = ONE_TAP_DETAILS.get(awaiting or "")
        asks = Ask(detail=awaiting, label=self.label(lang, button)) if awaiting and button else None
        return Reply(text="\n\n".join(t for t in texts if t), choices=choices, asks=asks)


def numbered_text(reply: Reply) -> str:
    """A reply as plain text for channels without buttons (console, WeChat): quick
    replies become numbered options, and answering with the digit picks one
    (`handlers.reading.numbered_choice`)."""
    lines = [reply.text]
    if reply.choices:
        lines.append("  ".join(f"[{i}] {c.label}" for i, c in enumerate(reply.choices, 1)))
    return "\n".join(lines)


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "zh"
