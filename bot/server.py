"""The HTTP service: health, metrics and the admin API (channels and the web pages add their routes)."""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.api import admin_denied, api_error, json_ok
from bot.app import App
from bot.metrics import ORDER_EVENTS, REGISTRY
from bot.web.routes import add_web
from bot.wechat import add_routes as add_wechat_routes
from handlers.turn import DomainEvent
from storage import orders as order_repo
from storage.export import order_row
from storage.models import OrderStatus

log = logging.getLogger(__name__)

APP_KEY = web.AppKey("jiedan", App)


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    checks = {"database": await app.db.ping()}
    if app.redis is not None:
        try:
            checks["redis"] = bool(await app.redis.ping())
        except Exception:  # noqa: BLE001 - reported, not raised
            checks["redis"] = False
    ok = all(checks.values())
    return web.json_response({"ok": ok, **checks}, status=200 if ok else 503)


async def metrics(_request: web.Request) -> web.Response:
    body = generate_latest(REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def parse_since(value: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO date (start of that business day) or datetime (naive = business time)."""
    value = value.strip()
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


async def api_orders(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    path = "/api/orders"
    denied = admin_denied(request, app.settings.admin_token, path)
    if denied is not None:
        return denied
    status = request.query.get("status") or None
    if status and status not in {s.value for s in OrderStatus}:
        return api_error(400, f"unknown status {status!r}; one of: "
                      + ", ".join(s.value for s in OrderStatus), path)
    since = None
    if request.query.get("since"):
        try:
            since = parse_since(request.query["since"], ZoneInfo(app.timezone))
        except ValueError:
            return api_error(400, "since must be an ISO date or datetime, e.g. 2026-11-24", path)
    async with app.db.sessions() as session:
        rows = [order_row(o, ZoneInfo(app.timezone), app.catalog.business)
                for o in await order_repo.listing(session, status=status, since=since)]
    return json_ok(rows)


async def _count_event(event: DomainEvent) -> None:
    ORDER_EVENTS.labels(kind=event.kind).inc()


def make_web_app(app: App) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[APP_KEY] = app
    app.conversations.subscribe(_count_event)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    web_app.router.add_get("/api/orders", api_orders)
    if app.telegram is not None and app.settings.telegram_mode == "webhook":
        app.telegram.mount(web_app)
    add_wechat_routes(web_app, app)
    add_web(web_app, app)
    return web_app
