"""The WeChat API side: one wechatpy client, and the `Sender` the worker uses.

wechatpy is synchronous (requests), so every call runs in a thread
(`asyncio.to_thread`). Its base URL comes from JIEDAN_WECHAT_API_BASE, for the
token too (wechatpy hard-codes that one), so tests and proxies can stand in
for api.weixin.qq.com. The access token is kept in Redis when configured, so
every process shares one instead of invalidating each other's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from bot.settings import Settings
from handlers.outbox import Address, Outgoing, RetryLater, Undeliverable, Unreachable
from handlers.render import numbered_text
from storage.models import UnreachableReason

log = logging.getLogger(__name__)

CHANNEL = "wechat"
TOKEN_ERRORS = frozenset({40001, 40014, 42001})  # invalid credential / token, expired token
# WeChat allows customer-service messages for 48 h after the customer last wrote; keep a
# margin so a message queued at 47:59 is not refused in flight.
WINDOW = dt.timedelta(hours=48) - dt.timedelta(minutes=10)
WINDOW_CLOSED = frozenset({45015, 45047})      # out of the window / the 5 sends are used up
RATE_LIMITED = {45009: 60.0, -1: 5.0}          # API quota hit / "system busy": seconds to wait
# The customer, not just this message, is out of reach: invalid openid / unfollowed / blocked us.
UNREACHABLE = {40003: UnreachableReason.GONE, 43004: UnreachableReason.UNSUBSCRIBED,
               43019: UnreachableReason.BLOCKED}
MAX_FIELD = 200                                # template values are short fields, not essays


class JiedanWeChatClient(WeChatClient):
    """wechatpy's client pointed at a configurable API base, refreshing an expired token once."""

    def __init__(self, appid: str, secret: str, *, api_base: str, session: Any = None,
                 timeout: float = 10.0) -> None:
        super().__init__(appid, secret, session=session, timeout=timeout, auto_retry=True)
        self.API_BASE_URL = api_base if api_base.endswith("/") else api_base + "/"
        self._retrying = threading.local()
        self._local_lock = threading.Lock()

    def fetch_access_token(self) -> dict[str, Any]:
        """Fetch a token, one process at a time; skip it when another has just done so.

        Each fetch invalidates the previous token (after 5 minutes), so workers that all
        hit an expired token must not all fetch: the later ones take the new one."""
        refused = getattr(self._retrying, "token", None) or self.session.get(self.access_token_key)
        with self._refresh_lock():
            current = self.session.get(self.access_token_key)
            if current and current != refused:
                return {"access_token": current}
            return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})

    def _refresh_lock(self) -> Any:
        shared = getattr(self.session, "redis", None)
        if shared is None:
            return self._local_lock
        return shared.lock(f"{self.session.prefix}:{self.appid}:token-refresh", timeout=15,
                           blocking_timeout=15)

    def _handle_result(self, res: Any, method: Any = None, url: Any = None,
                       result_processor: Any = None, **kwargs: Any) -> Any:
        """wechatpy refreshes the token and repeats the call on a token error, and would do
        so forever if the repeat fails the same way; here the repeat gets no second refresh."""
        if getattr(self._retrying, "on", False):
            code = _errcode(res if isinstance(res, dict) else self._decode_result(res))
            if code in TOKEN_ERRORS:
                raise WeChatClientException(code, "access token refused after a refresh", client=self,
                                            request=getattr(res, "request", None), response=res)
            return super()._handle_result(res, method, url, result_processor, **kwargs)
        self._retrying.on = True
        self._retrying.token = (kwargs.get("params") or {}).get("access_token")
        try:
            return super()._handle_result(res, method, url, result_processor, **kwargs)
        finally:
            self._retrying.on = False
            self._retrying.token = None


def _errcode(result: Any) -> int | None:
    try:
        return int(result["errcode"]) if isinstance(result, dict) and "errcode" in result else None
    except (TypeError, ValueError):
        return None


def make_client(settings: Settings, *, redis_prefix: str | None = None) -> JiedanWeChatClient:
    """The shared-token client: Redis storage when JIEDAN_REDIS_URL is set (under
    JIEDAN_REDIS_PREFIX, like every key of ours), else in memory."""
    prefix = redis_prefix if redis_prefix is not None else settings.redis_prefix + "wechatpy"
    session = (RedisStorage(redis.Redis.from_url(settings.redis_url), prefix=prefix)
               if settings.redis_url else MemoryStorage())
    return JiedanWeChatClient(settings.wechat_appid or "", settings.wechat_secret or "",
                              api_base=settings.wechat_api_base, session=session)


# ----------------------------------------------------------------- templates
@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """A WeChat template message and how our message fills its fields.

    `fields` maps a WeChat field name to "text" (the rendered message) or to a key
    of the message's data; without it, "first" gets the text and every plain value
    of the data goes in a field of its own name (WeChat ignores fields it lacks)."""

    id: str
    fields: dict[str, str] = field(default_factory=dict)


def parse_templates(raw: dict[str, Any]) -> dict[str, TemplateSpec]:
    """JIEDAN_WECHAT_TEMPLATES (shape checked by Settings):
    {"reminder_24h": "TEMPLATE_ID", "default": {"id": "TEMPLATE_ID", "fields": {"first": "text"}}}."""
    return {name: TemplateSpec(value) if isinstance(value, str) else
            TemplateSpec(value["id"], {str(k): str(v) for k, v in (value.get("fields") or {}).items()})
            for name, value in raw.items()}


def template_data(spec: TemplateSpec, message: Outgoing) -> dict[str, dict[str, str]]:
    """The template's `data`: each field a {"value": …} of at most MAX_FIELD characters."""
    plain = {k: v for k, v in message.data.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    if spec.fields:
        values = {f: message.reply.text if src == "text" else plain.get(src, "") for f, src in spec.fields.items()}
    else:
        values = {**plain, "first": message.reply.text}
    return {f: {"value": str(v)[:MAX_FIELD]} for f, v in values.items()}


def in_window(last_inbound_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a customer-service message is allowed: the customer wrote within 48 h."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


def classify(error: WeChatClientException) -> RetryLater | Undeliverable | None:
    """What the worker should make of an API error: wait, give up, or (None) back off."""
    code = _errcode({"errcode": error.errcode})
    if code in RATE_LIMITED:
        return RetryLater(RATE_LIMITED[code], f"WeChat {code} {error.errmsg}")
    if code in UNREACHABLE:
        return Unreachable(f"WeChat {code} {error.errmsg}", UNREACHABLE[code])
    if code in WINDOW_CLOSED:
        return Undeliverable(f"WeChat {code} {error.errmsg}")
    return None


def _reraise(error: WeChatClientException) -> None:
    verdict = classify(error)
    if verdict is None:
        raise error
    raise verdict from error


# ----------------------------------------------------------------- the sender
class WeChatSender:
    """Starts a message to a WeChat customer: a customer-service message while the
    48-hour window is open, else the template message configured for it."""

    def __init__(self, client: JiedanWeChatClient, templates: dict[str, TemplateSpec],
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.client = client
        self.templates = templates
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))

    async def send(self, to: Address, message: Outgoing) -> str | None:
        if in_window(to.last_inbound_at, self.clock()):
            try:
                await asyncio.to_thread(self.client.message.send_text, to.user_id, numbered_text(message.reply))
                return None
            except WeChatClientException as e:
                if _errcode({"errcode": e.errcode}) not in WINDOW_CLOSED:
                    _reraise(e)
                log.info("customer-service message refused (%s); trying a template", e.errcode)
        return await self._send_template(to, message)

    async def _send_template(self, to: Address, message: Outgoing) -> str | None:
        spec = self.templates.get(message.template) or self.templates.get("default")
        if spec is None:
            raise Undeliverable(f"outside WeChat's 48-hour window and no template configured for "
                                f"{message.template!r} (JIEDAN_WECHAT_TEMPLATES)")
        body = {"touser": to.user_id, "template_id": spec.id, "data": template_data(spec, message),
                # WeChat sends one message per openid + client_msg_id: a worker that crashed
                # after sending and retries does not message the customer twice.
                "client_msg_id": message.key[:64]}
        try:
            result = await asyncio.to_thread(self.client.post, "message/template/send", data=body)
        except WeChatClientException as e:
            _reraise(e)
        msgid = result.get("msgid") if isinstance(result, dict) else None
        return str(msgid) if msgid is not None else None


def make_sender(settings: Settings, clock: Callable[[], dt.datetime] | None = None) -> WeChatSender | None:
    """The sender when the Official Account's credentials are configured, else None."""
    if not (settings.wechat_appid and settings.wechat_secret):
        return None
    return WeChatSender(make_client(settings), parse_templates(settings.wechat_templates), clock)
