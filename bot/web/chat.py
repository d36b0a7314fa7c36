"""The customer web chat page, `/chat`: the third customer channel ("web").

A visitor is a random id in a signed cookie (HMAC-SHA256 with the web
secret), so the conversation survives reloads; what the page shows is the
message log itself, so it also shows what the service started later (staff
updates, reminders: see `bot.web.sender`), fetched by a long poll that the
worker's notice ends as soon as it delivers (in any process, with Redis).
Messages go through `Conversations.handle` like every other channel's.

The page is meant to be framed by the business's own site (`/chat/widget.js`
adds a button and an iframe), so its cookie is SameSite=None when Secure;
requests that change something need the page's token in a custom header,
which a cross-site form cannot send and a cross-site script cannot read.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import secrets
from typing import Any

from aiohttp import web

from bot.api import dumps
from bot.app import App
from bot.web.pages import Pages, pick_lang
from bot.web.sender import CHANNEL, page_key
from storage.ratelimit import Throttle
from handlers.messages import Inbound
from storage import customers, messages
from storage.models import MessageLog

COOKIE = "jiedan_visitor"
COOKIE_DAYS = 180
TOKEN_HEADER = "X-Chat-Token"
MAX_BODY = 8 * 1024
MESSAGES_PER_MINUTE = 20  # a person types a few; a script is stopped
# `/chat/messages?wait=S` holds the answer up to S seconds (at most this) until there is
# something new: under the idle timeouts of common proxies (60 s), long enough to be cheap.
MAX_WAIT = 25.0


class WebChat:
    """Routes of the chat page, bound to the app and the cookie key."""

    def __init__(self, app: App, pages: Pages, key: bytes) -> None:
        self.app = app
        self.pages = pages
        self.key = hashlib.sha256(b"jiedan-web-chat:" + key).digest()
        self.throttle = Throttle(MESSAGES_PER_MINUTE, 60)
        self._waits: set[asyncio.Event] = set()  # the long polls open on this web app
        self._closing = False

    def add_routes(self, web_app: web.Application) -> None:
        router = web_app.router
        router.add_get("/chat", self.page)
        router.add_get("/chat/messages", self.poll)
        router.add_post("/chat/send", self.send)
        web_app.on_startup.append(self._start)
        web_app.on_shutdown.append(self._end_waits)

    async def _start(self, _web_app: web.Application) -> None:
        await self.app.notices.start()

    async def _end_waits(self, _web_app: web.Application) -> None:
        """Shutting down: open long polls answer now rather than hold the shutdown up."""
        self._closing = True
        for event in self._waits:
            event.set()

    # ------------------------------------------------------------ visitor identity
    def _sign(self, purpose: str, visitor: str) -> str:
        return hmac.new(self.key, f"{purpose}:{visitor}".encode(), hashlib.sha256).hexdigest()

    def visitor_of(self, request: web.Request) -> str | None:
        """The visitor id of a validly signed cookie, else None."""
        raw = request.cookies.get(COOKIE, "")
        visitor, _, sig = raw.rpartition(".")
        if visitor and hmac.compare_digest(sig, self._sign("visitor", visitor)):
            return visitor
        return None

    def _set_cookie(self, response: web.StreamResponse, visitor: str) -> None:
        secure = self.app.settings.web_cookie_secure
        response.set_cookie(COOKIE, f"{visitor}.{self._sign('visitor', visitor)}",
                            max_age=COOKIE_DAYS * 86400, path="/chat", httponly=True, secure=secure,
                            samesite="None" if secure else "Lax")

    def _token_ok(self, request: web.Request, visitor: str) -> bool:
        given = request.headers.get(TOKEN_HEADER, "")
        return hmac.compare_digest(given, self._sign("token", visitor))

    # ------------------------------------------------------------ routes
    async def page(self, request: web.Request) -> web.Response:
        visitor = self.visitor_of(request)
        fresh = visitor is None
        if visitor is None:
            visitor = secrets.token_urlsafe(18)
        lang = pick_lang(request)
        response = self.pages.render("chat.html", lang, token=self._sign("token", visitor),
                                     embedded=request.query.get("embed") == "1")
        if fresh:
            self._set_cookie(response, visitor)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def poll(self, request: web.Request) -> web.Response:
        visitor = self.visitor_of(request)
        if visitor is None or not self._token_ok(request, visitor):
            return web.json_response({"error": "reload the page"}, status=403)
        try:
            after_id = max(0, int(request.query.get("after", "0")))
        except ValueError:
            after_id = 0
        try:
            wait = min(MAX_WAIT, max(0.0, float(request.query.get("wait", "0"))))
        except ValueError:
            wait = 0.0
        with self.app.notices.listen(page_key(visitor)) as told:  # before reading: nothing slips between
            found = await self._messages(visitor, after_id)
            if not found and wait and not self._closing:
                self._waits.add(told)
                try:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(wait):
                            await told.wait()
                finally:
                    self._waits.discard(told)
                found = await self._messages(visitor, after_id)
        return web.json_response({"messages": found}, dumps=dumps, headers={"Cache-Control": "no-store"})

    async def send(self, request: web.Request) -> web.Response:
        visitor = self.visitor_of(request)
        if visitor is None or not self._token_ok(request, visitor):
            return web.json_response({"error": "reload the page"}, status=403)
        if self.throttle.blocked(visitor):
            return web.json_response({"error": "too many messages: wait a minute"}, status=429)
        self.throttle.hit(visitor)
        if (request.content_length or 0) > MAX_BODY:
            return web.json_response({"error": "too long"}, status=413)
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"error": "expected JSON"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "expected a JSON object"}, status=400)
        text = str(body.get("text") or "").strip()
        payload = body.get("payload")
        payload = str(payload) if isinstance(payload, str) and payload else None
        client_id = str(body.get("id") or "")[:40] or None
        if not text and payload is None:
            return web.json_response({"error": "empty message"}, status=400)
        lang = body.get("lang") if body.get("lang") in ("zh", "en") else None
        await self.app.conversations.handle(Inbound(
            channel=CHANNEL, user_id=visitor, text=text or str(body.get("label") or ""),
            payload=payload, message_id=f"{visitor}:{client_id}" if client_id else None, lang_hint=lang))
        self.app.worker.wake()
        await self.app.notices.publish(page_key(visitor))  # the visitor's other tabs show it too
        try:
            after_id = max(0, int(body.get("after") or 0))
        except (TypeError, ValueError):
            after_id = 0
        return web.json_response({"messages": await self._messages(visitor, after_id)}, dumps=dumps)

    async def _messages(self, visitor: str, after_id: int) -> list[dict[str, Any]]:
        async with self.app.db.sessions() as s:
            ident = await customers.find_identity(s, CHANNEL, visitor)
            if ident is None:
                return []
            rows = await messages.after(s, ident.customer_id, after_id, channel=CHANNEL)
        return [message_view(m) for m in rows if m.text]


def message_view(m: MessageLog) -> dict[str, Any]:
    """A logged message as the page shows it; quick replies only when their labels were logged."""
    meta = m.meta or {}
    payloads, labels = meta.get("choices") or [], meta.get("labels") or []
    choices = [{"label": lbl, "payload": p} for lbl, p in zip(labels, payloads)] if m.direction == "out" else []
    return {"id": m.id, "dir": m.direction, "text": m.text, "choices": choices}


