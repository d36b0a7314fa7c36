"""The WeChat Official Account callback: `GET /wechat` (URL check) and `POST /wechat`.

WeChat signs every call, may encrypt it (safe mode), and waits 5 seconds for
an answer before it retries, three times in all. So: refuse anything unsigned
(403) before reading it, parse untrusted XML without expanding entities, run
each message once however often it arrives (`InFlight`), and answer with a
passive reply when the answer is ready within the deadline, else with
`success` at once, sending the answer later through the customer-service API
via the durable outbox.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import struct
from dataclasses import dataclass, field
from typing import Awaitable, Callable
from xml.parsers.expat import ExpatError

from aiohttp import web
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.events import BaseEvent
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage, LocationMessage, TextMessage, VoiceMessage
from wechatpy.replies import TextReply
from wechatpy.utils import WeChatSigner

from bot.app import App
from bot.metrics import HANDLE_SECONDS, HTTP_ERRORS, INBOUND
from bot.wechat_client import CHANNEL
from handlers import outbox
from handlers.messages import LEFT, Inbound, Reply
from handlers.reading import location_payload
from handlers.render import numbered_text
from storage import customers
from storage.models import UnreachableReason

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024   # a WeChat callback is a few hundred bytes; anything huge is not WeChat
KEEP_ANSWERED = 60.0   # seconds a finished message is remembered for WeChat's retries (3 × 5 s)
SUCCESS = "success"    # WeChat's "no reply, and do not retry"

# Menu CLICK keys (set in the Official Account's menu) -> the quick reply they stand for.
MENU_PAYLOADS = {"book": "greet", "my_orders": "status", "orders": "status", "help": "help"}
SUBSCRIBE_EVENTS = ("subscribe", "subscribe_scan")


# ----------------------------------------------------------------- pure decisions
def signature_ok(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """WeChat's SHA1 over the sorted token, timestamp and nonce, compared in constant time."""
    if not (signature and timestamp and nonce):
        return False
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return hmac.compare_digest(signer.signature.encode(), signature.encode())


def menu_payload(key: str) -> str:
    """A menu key ("book", "my orders", "MY_ORDERS", "help") as a quick-reply payload."""
    return MENU_PAYLOADS.get(re.sub(r"[\s\-]+", "_", (key or "").strip().lower()), "help")


def dedupe_key(msg: BaseMessage) -> str:
    """Messages carry a unique MsgId; events have none (0), so they are known by sender,
    time and kind (WeChat's own advice: FromUserName + CreateTime)."""
    if _is_event(msg) or not msg.id:
        return f"ev:{msg.source}:{msg.time or 0}:{getattr(msg, 'event', '')}:{getattr(msg, 'key', '') or ''}"[:128]
    return str(msg.id)


def _is_event(msg: BaseMessage) -> bool:
    """Known events and ones wechatpy does not know (e.g. newer platform notifications)."""
    return isinstance(msg, BaseEvent) or str(msg._data.get("MsgType", "")).lower() == "event"


def _location_payload(msg: LocationMessage) -> str:
    """A shared location: its label is the address; without one, a bare map pin (WeChat's maps
    give China's GCJ-02 coordinates); coordinates that are no numbers, unreadable."""
    label = (msg.label or "").strip()
    if label:
        return f"address:{label}"
    try:
        return location_payload(float(msg.location_x), float(msg.location_y), "gcj02")
    except (TypeError, ValueError):
        return "unsupported"


def to_inbound(msg: BaseMessage) -> Inbound | None:
    """The dialogue's view of a WeChat message; None when it needs no answer at all."""
    text, payload = "", None
    if isinstance(msg, TextMessage):
        text = msg.content or ""
    elif isinstance(msg, VoiceMessage) and (msg.recognition or "").strip():
        text = msg.recognition.strip()
    elif isinstance(msg, LocationMessage):  # its label is the address; without one, a bare map pin
        payload = _location_payload(msg)
    elif _is_event(msg):
        event = str(getattr(msg, "event", "") or msg._data.get("Event", "")).lower()
        if event in SUBSCRIBE_EVENTS:  # a message like any other: welcomed, and back if marked
            payload = "welcome"
        elif event == "click":
            payload = menu_payload(msg.key)
        elif event == "unsubscribe":  # no answer can reach them now; the handlers remember it
            return Inbound(channel=CHANNEL, user_id=msg.source, event=LEFT,
                           reason=UnreachableReason.UNSUBSCRIBED, message_id=dedupe_key(msg))
        else:  # VIEW, SCAN, location reports: nothing to say
            log.info("wechat event %s from %s", event, msg.source)
            return None
    else:  # image, video, link, file, voice without recognition…
        payload = "unsupported"
    if not text.strip() and payload is None:
        payload = "unsupported"
    return Inbound(channel=CHANNEL, user_id=msg.source, text=text, payload=payload,
                   message_id=dedupe_key(msg))


# ----------------------------------------------------------------- one answer per message
@dataclass
class _Entry:
    task: asyncio.Task[list[Reply]]
    waiter: asyncio.Future[list[Reply] | None] | None = None
    outcome: str = "running"          # running | passive | late
    requests: int = 0                 # how many times WeChat sent it while it ran
    replies: list[Reply] = field(default_factory=list)


class InFlight:
    """Runs each WeChat message once, however many times WeChat sends it, and gives
    its answer exactly one way out.

    The request waiting when the answer is ready (the newest one: WeChat has
    dropped the earlier connections) carries it as a passive reply; if none is
    waiting (all ran out of time and said `success`), `late` sends it instead.
    A retry after a passive answer gets the same answer again, because WeChat
    retries only when the first did not reach it. Across processes the message
    log's unique id stops a second processing; that retry answers `success`.
    """

    def __init__(self, keep: float = KEEP_ANSWERED) -> None:
        self.keep = keep
        self._entries: dict[str, _Entry] = {}
        self._late: set[asyncio.Task[None]] = set()

    async def answer(self, key: str, work: Callable[[], Awaitable[list[Reply]]], deadline: float,
                     late: Callable[[list[Reply]], Awaitable[None]]) -> list[Reply] | None:
        """The replies to answer this request with, or None for `success`."""
        entry = self._entries.get(key)
        if entry is None:
            entry = _Entry(task=asyncio.ensure_future(work()))
            self._entries[key] = entry
            entry.task.add_done_callback(lambda t: self._finished(key, entry, late))
        elif entry.outcome == "passive":
            return entry.replies
        elif entry.outcome == "late":
            return None
        entry.requests += 1
        if entry.waiter is not None and not entry.waiter.done():
            entry.waiter.set_result(None)  # superseded by this retry
        mine: asyncio.Future[list[Reply] | None] = asyncio.get_running_loop().create_future()
        entry.waiter = mine
        try:
            await asyncio.wait({mine}, timeout=max(0.0, deadline))
        finally:
            if entry.waiter is mine:
                entry.waiter = None  # from here on the answer goes out the late way
        return mine.result() if mine.done() and not mine.cancelled() else None

    def deliveries(self, key: str) -> int:
        """How many times WeChat has sent this message while it was being handled."""
        entry = self._entries.get(key)
        return entry.requests if entry else 0

    def _finished(self, key: str, entry: _Entry, late: Callable[[list[Reply]], Awaitable[None]]) -> None:
        if entry.task.cancelled() or entry.task.exception() is not None:
            # Conversations.handle answers politely itself; this is a bug, already logged by asyncio
            log.error("wechat message %s was not handled: %r", key,
                      None if entry.task.cancelled() else entry.task.exception())
            replies: list[Reply] = []
        else:
            replies = entry.task.result()
        entry.replies = replies
        if entry.waiter is not None and not entry.waiter.done():
            entry.outcome = "passive"
            entry.waiter.set_result(replies)
        else:
            entry.outcome = "late"
            if replies:
                task = asyncio.ensure_future(late(replies))
                self._late.add(task)
                task.add_done_callback(self._late.discard)
        asyncio.get_running_loop().call_later(self.keep, self._forget, key, entry)

    def _forget(self, key: str, entry: _Entry) -> None:
        if self._entries.get(key) is entry:
            del self._entries[key]

    async def drain(self, timeout: float = 30.0) -> None:
        """Let running messages finish and their late answers be queued (shutdown, tests),
        for at most `timeout` seconds: a stuck message must not stop a shutdown."""
        running = [e.task for e in self._entries.values() if not e.task.done()]
        if running:
            await asyncio.wait(running, timeout=timeout)
            await asyncio.sleep(0)  # the done callbacks run
        if self._late:
            await asyncio.wait(list(self._late), timeout=timeout)


# ----------------------------------------------------------------- the HTTP side
class BadRequest(Exception):
    """Not a WeChat message we can read."""


class WeChatCallback:
    def __init__(self, app: App) -> None:
        s = app.settings
        self.app = app
        self.token = s.wechat_token or ""
        self.deadline = s.wechat_reply_deadline
        self.crypto = (WeChatCrypto(self.token, s.wechat_aes_key, s.wechat_appid or "")
                       if s.wechat_aes_key else None)
        self.inflight = InFlight()

    def _signed(self, request: web.Request) -> bool:
        q = request.query
        return signature_ok(self.token, q.get("signature", ""), q.get("timestamp", ""), q.get("nonce", ""))

    async def verify(self, request: web.Request) -> web.Response:
        """WeChat's URL check: echo `echostr` back, only to a correctly signed request."""
        if not self._signed(request):
            return _refuse("invalid signature")
        return web.Response(text=request.query.get("echostr", ""))

    async def receive(self, request: web.Request) -> web.Response:
        started = asyncio.get_running_loop().time()
        if not self._signed(request):
            return _refuse("invalid signature")
        body = await _read_capped(request, MAX_BODY)
        if body is None:
            return _refuse("body too large", 413)
        safe = request.query.get("encrypt_type") == "aes"
        try:
            msg, inbound = self._read(body, request.query, safe)
        except (InvalidSignatureException, InvalidAppIdException):
            return _refuse("invalid message signature")
        except BadRequest as e:
            log.warning("refused a wechat callback: %s", e)
            return _refuse(str(e), 400)
        if inbound is None:
            return web.Response(text=SUCCESS)
        remaining = self.deadline - (asyncio.get_running_loop().time() - started)
        replies = await self.inflight.answer(
            inbound.message_id or "", lambda: self._handle(inbound), remaining,
            lambda late: self._send_late(inbound, late))
        if not replies:
            return web.Response(text=SUCCESS)
        xml = TextReply(content="\n\n".join(numbered_text(r) for r in replies), message=msg).render()
        if safe:
            xml = self.crypto.encrypt_message(xml, request.query.get("nonce", ""),
                                              request.query.get("timestamp", ""))
        return web.Response(text=xml, content_type="application/xml")

    def _read(self, body: bytes, query: dict, safe: bool) -> tuple[BaseMessage, Inbound | None]:
        """Decrypt (safe mode), parse and read the fields (wechatpy converts them on access,
        so a malformed MsgId fails here, not later). xmltodict refuses entity declarations
        (ValueError), so an XML bomb or external entity is never expanded."""
        try:
            xml = body.decode("utf-8")
            if safe:
                if self.crypto is None:
                    raise BadRequest("encrypt_type=aes but JIEDAN_WECHAT_AES_KEY is not set")
                xml = self.crypto.decrypt_message(xml, query.get("msg_signature", ""),
                                                  query.get("timestamp", ""), query.get("nonce", ""))
            msg = parse_message(xml)
            if msg is None or not isinstance(msg.source, str) or not msg.source:
                raise BadRequest("not a WeChat message (no sender)")
            return msg, to_inbound(msg)
        except (InvalidSignatureException, InvalidAppIdException, BadRequest):
            raise
        except (ValueError, ExpatError, KeyError, TypeError, AttributeError, IndexError, struct.error) as e:
            raise BadRequest(f"not a WeChat message ({type(e).__name__})") from e

    async def _handle(self, inbound: Inbound) -> list[Reply]:
        INBOUND.labels(channel=CHANNEL).inc()
        with HANDLE_SECONDS.labels(channel=CHANNEL).time():
            return await self.app.conversations.handle(inbound)

    async def _send_late(self, inbound: Inbound, replies: list[Reply]) -> None:
        """An answer that missed the passive-reply deadline: queue it for the customer-service
        API through the outbox, so it survives a restart and is sent once."""
        try:
            await self._queue_late(inbound, replies)
        except Exception:  # noqa: BLE001 - a background task: log it, nobody else will
            log.exception("could not queue the late answer to wechat message %s", inbound.message_id)

    async def _queue_late(self, inbound: Inbound, replies: list[Reply]) -> None:
        async with self.app.db.sessions.begin() as s:
            ident = await customers.find_identity(s, CHANNEL, inbound.user_id)
            if ident is None:
                log.error("no customer for wechat user %s; late answer dropped", inbound.user_id)
                return
            for i, reply in enumerate(replies):
                await outbox.send_reply(s, customer_id=ident.customer_id, reply=reply,
                                        due_at=self.app.conversations.clock(),
                                        key=f"wechat-late:{inbound.message_id}:{i}")
        self.app.worker.wake()

    async def close(self, _web_app: web.Application) -> None:
        await self.inflight.drain()


def _refuse(reason: str, status: int = 403) -> web.Response:
    HTTP_ERRORS.labels(path="/wechat", status=str(status)).inc()
    return web.Response(status=status, text=reason)


async def _read_capped(request: web.Request, cap: int) -> bytes | None:
    """The body, or None when it is longer than `cap` (read no further than that)."""
    if request.content_length is not None and request.content_length > cap:
        return None
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(16 * 1024):
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


WECHAT_KEY = web.AppKey("wechat", WeChatCallback)


def add_routes(web_app: web.Application, app: App) -> None:
    """Mount /wechat when JIEDAN_WECHAT_TOKEN is set (the callback is kept under WECHAT_KEY)."""
    if not app.settings.wechat_token:
        return
    if not (app.settings.wechat_appid and app.settings.wechat_secret):
        log.warning("JIEDAN_WECHAT_APPID/SECRET are not set: answers that miss the passive-reply "
                    "deadline and messages the service starts cannot be sent on WeChat")
    callback = web_app[WECHAT_KEY] = WeChatCallback(app)
    web_app.router.add_get("/wechat", callback.verify)
    web_app.router.add_post("/wechat", callback.receive)
    web_app.on_shutdown.append(callback.close)
