"""Mounts the web chat page, the dashboard and the reports API on the HTTP service."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from aiohttp import web
from aiohttp_session import setup as setup_sessions
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from bot.api import admin_denied, api_error, json_ok
from bot.app import App
from bot.web.auth import SESSION_HOURS
from bot.web.chat import WebChat
from bot.web.dashboard import Dashboard
from bot.web.pages import Pages

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "jiedan_session"
# The dashboard may not be framed (clickjacking); the chat page is made to be.
ADMIN_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
CHAT_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'"


def web_key(app: App) -> bytes:
    """The 32-byte key of the cookies: JIEDAN_WEB_SECRET, else a new one for this process."""
    if app.settings.web_secret:
        return base64.urlsafe_b64decode(app.settings.web_secret.encode())
    log.warning("JIEDAN_WEB_SECRET is not set: dashboard sign-ins and web chats last until restart")
    return base64.urlsafe_b64decode(Fernet.generate_key())


@web.middleware
async def _headers(request: web.Request, handler):  # noqa: ANN001, ANN202 - aiohttp middleware
    response = await handler(request)
    path = request.path
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if path.startswith("/admin"):
        response.headers.setdefault("Content-Security-Policy", ADMIN_CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
    elif path.startswith("/chat"):
        response.headers.setdefault("Content-Security-Policy", CHAT_CSP)
    return response


def add_web(web_app: web.Application, app: App) -> None:
    """Chat page (`/chat`), dashboard (`/admin`), `/api/reports` and their static files."""
    key = web_key(app)
    secure = app.settings.web_cookie_secure
    setup_sessions(web_app, EncryptedCookieStorage(
        key, cookie_name=SESSION_COOKIE, httponly=True, secure=secure, samesite="Lax",
        max_age=SESSION_HOURS * 3600, path="/admin"))
    web_app.middlewares.append(_headers)
    pages = Pages(app.catalog, app.timezone)
    WebChat(app, pages, key).add_routes(web_app)
    dashboard = Dashboard(app, pages)
    dashboard.add_routes(web_app.router)

    async def api_reports(request: web.Request) -> web.Response:
        denied = admin_denied(request, app.settings.admin_token, "/api/reports")
        if denied is not None:
            return denied
        try:
            first, last, group = dashboard.report_range(request.query)
        except ValueError:
            return api_error(400, "since/until are ISO dates (2026-11-24); group is day, week or month",
                             "/api/reports")
        return json_ok(await dashboard.report_data(first, last, group, money=True))

    async def to_board(_request: web.Request) -> web.Response:
        raise web.HTTPSeeOther("/admin")

    web_app.router.add_get("/api/reports", api_reports)
    web_app.router.add_get("/admin/", to_board)
    web_app.router.add_static("/static/", STATIC, append_version=False)

