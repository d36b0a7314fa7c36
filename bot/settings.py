"""Configuration from JIEDAN_* environment variables (and a .env file), per the contract."""

from __future__ import annotations

import base64
import binascii
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.web.client import Networks, parse_networks


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIEDAN_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///jiedan.db"
    redis_url: str | None = None
    redis_prefix: str = "jiedan:"   # every key this service writes in Redis starts with it
    # Messages per 10 seconds one customer may send before getting a polite "slow down"; 0 = no limit.
    rate_limit: int = Field(10, ge=0)
    timezone: str = "Asia/Shanghai"
    catalog: str | None = None
    admin_token: str | None = None
    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str | None = None     # e.g. http://127.0.0.1:5005 (with nlu_backend=rasa)

    telegram_token: str | None = None
    telegram_api_base: str = "https://api.telegram.org"
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_secret: str | None = None
    telegram_webhook_url: str | None = None  # public URL of POST /telegram; set = setWebhook on start
    telegram_staff_chat_id: int | None = None
    telegram_staff_lang: Literal["zh", "en"] = "zh"  # the language of cards and answers in the staff group
    # Messages a second this process sends to Telegram in all (Telegram's limit for a bot is
    # about 30; a bot with paid broadcasts may send up to 1,000).
    telegram_send_rate: float = Field(30.0, gt=0, le=1000)
    # Webhook mode: answer a customer in the webhook's HTTP response (one request fewer per
    # message; Telegram then does not say whether it was delivered). Off: through sendMessage.
    telegram_webhook_answers: bool = False

    # The web chat page and the dashboard: the key that signs and encrypts their cookies
    # (32 bytes, urlsafe base64, e.g. from `jiedan web secret`); unset = a new key per
    # start, so sign-ins and web chats are forgotten on restart and not shared between processes.
    web_secret: str | None = None
    # Cookies only over HTTPS (browsers also accept them on http://localhost and 127.0.0.1).
    web_cookie_secure: bool = True
    # Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is
    # believed: the dashboard then limits failed sign-ins per real client, not per proxy.
    trusted_proxies: Annotated[Networks, NoDecode] = ()
    # How long a customer's talk with a person stays open after the last word from either
    # side (their request, a staff message): meanwhile their free text goes to staff, not the bot.
    handoff_minutes: float = Field(120.0, ge=5, le=7 * 24 * 60)
    # How often an open dashboard board asks whether anything changed (a new order, a claim,
    # a customer waiting for a person) and reloads itself when it did.
    board_refresh_seconds: float = Field(20.0, ge=1, le=3600)

    wechat_token: str | None = None
    wechat_appid: str | None = None
    wechat_secret: str | None = None
    wechat_aes_key: str | None = None
    wechat_api_base: str = "https://api.weixin.qq.com/cgi-bin/"
    # Our template name (or "default") -> WeChat template id, or {"id": …, "fields": {…}}:
    # how a message reaches a customer outside the 48-hour customer-service window.
    wechat_templates: dict[str, Any] = {}
    # Seconds to wait for an answer before replying `success` and sending it through the
    # customer-service API instead (WeChat gives up after 5 s, network included).
    wechat_reply_deadline: float = Field(3.0, gt=0, lt=5)  # WeChat gives up at 5 s

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {v!r}") from e
        return v

    @field_validator("telegram_token")
    @classmethod
    def _telegram_token(cls, v: str | None) -> str | None:
        """Checked here, so a malformed token is a configuration error, not a crash at start.
        aiogram is imported only when there is a token: without Telegram no process pays for it."""
        if v is not None:
            from bot.telegram.lazy_models import import_aiogram

            import_aiogram()
            from aiogram.utils.token import TokenValidationError, validate_token

            try:
                validate_token(v)
            except TokenValidationError:
                raise ValueError("JIEDAN_TELEGRAM_TOKEN is not a bot token (like 123456:ABC-DEF…)") from None
        return v

    @field_validator("wechat_aes_key")
    @classmethod
    def _aes_key(cls, v: str | None) -> str | None:
        """An EncodingAESKey is 43 base64 characters for a 32-byte key (WeChat's own format)."""
        if v is None:
            return v
        try:
            ok = len(v) == 43 and len(base64.b64decode(v + "=", validate=True)) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ValueError("JIEDAN_WECHAT_AES_KEY must be the 43-character EncodingAESKey")
        return v

    @field_validator("wechat_templates")
    @classmethod
    def _templates(cls, v: dict[str, Any]) -> dict[str, Any]:
        for name, spec in v.items():
            if not (isinstance(spec, str) and spec) and not (isinstance(spec, dict) and isinstance(spec.get("id"), str)):
                raise ValueError(f"JIEDAN_WECHAT_TEMPLATES[{name!r}] must be a template id "
                                 'or {"id": ..., "fields": {...}}')
        return v

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, v: object) -> object:
        return parse_networks(v) if isinstance(v, (str, list, tuple)) else v

    @field_validator("web_secret")
    @classmethod
    def _web_secret(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            ok = len(base64.urlsafe_b64decode(v.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ValueError("JIEDAN_WEB_SECRET must be 32 bytes in urlsafe base64 (`jiedan web secret` makes one)")
        return v

    @field_validator("redis_url", "admin_token", "web_secret", "catalog", "telegram_token", "wechat_token",
                     "wechat_aes_key", "wechat_appid", "wechat_secret", "telegram_webhook_secret",
                     "telegram_webhook_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
