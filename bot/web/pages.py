"""HTML rendering for the web pages: one jinja2 environment, wording per language.

All words a person reads are in `templates/web/<lang>/strings.j2` (and the
page templates); Python hands templates data and message codes only.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

import templates
from storage.catalog import Catalog
from storage.money import amount_text

LANGS: tuple[str, ...] = ("zh", "en")
WEB_TEMPLATES = Path(templates.__file__).parent / "web"


class Pages:
    """Renders `templates/web/*.html` with the strings of the reader's language."""

    def __init__(self, catalog: Catalog, timezone: str) -> None:
        self.catalog = catalog
        self.tz = ZoneInfo(timezone)
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(WEB_TEMPLATES),
            autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
            auto_reload=False,  # shipped files: no stat() per request on the event loop
        )
        self.env.filters["local"] = self._local
        self.env.filters["money"] = functools.partial(_money, currency=catalog.business.currency)
        self.env.filters["hide_money"] = functools.partial(hide_money, currency=catalog.business.currency)
        self.env.globals.update(business=catalog.business, svc=catalog.get, services=catalog.services,
                                at_shop=catalog.at_shop, place=catalog.business.where_of)
        self.strings = {lang: self.env.get_template(f"{lang}/strings.j2").module for lang in LANGS}

    def _local(self, value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A stored UTC moment as business-local time."""
        return value.astimezone(self.tz).strftime(fmt) if value is not None else ""

    def render(self, name: str, lang: str, *, status: int = 200, **ctx: Any) -> web.Response:
        lang = lang if lang in LANGS else "zh"
        html = self.env.get_template(name).render(lang=lang, t=self.strings[lang], **ctx)
        return web.Response(text=html, content_type="text/html", charset="utf-8", status=status)


def _money(value: Decimal | float | int | None, *, currency: str) -> str:
    return "" if value is None else amount_text(value, currency, grouped=True)


def hide_money(text: str, mask: str, *, currency: str) -> str:
    """`text` with every amount of money the bot wrote in it (templates/*/_macros.j2
    `money`: "¥298", "USD 298") replaced by `mask`, for a reader whose role sees no
    money: a dispatcher still reads the conversation, which they need to answer
    the customer, but not the prices quoted in it."""
    signs = ("¥", "￥") if currency == "CNY" else (f"{currency} ",)
    amount = "(" + "|".join(re.escape(sign) for sign in signs) + r")\s?-?\d[\d,]*(?:\.\d+)?"
    return re.sub(amount, lambda m: m.group(1) + mask, text)


def pick_lang(request: web.Request, remembered: str | None = None) -> str:
    """`?lang=` first, then what the reader chose before, then the browser's language."""
    asked = request.query.get("lang")
    if asked in LANGS:
        return asked  # type: ignore[return-value]
    if remembered in LANGS:
        return remembered  # type: ignore[return-value]
    accept = request.headers.get("Accept-Language", "").lower()
    return "en" if accept.startswith("en") else "zh"
