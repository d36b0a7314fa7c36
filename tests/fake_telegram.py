"""A local stand-in for the Telegram Bot API, for the real aiogram `Bot` to talk to.

It speaks the wire format aiogram uses (POST form fields, nested objects as
JSON strings; `{"ok": true, "result": …}` back), keeps the chats' messages so
edits and replies refer to real ones, serves queued updates to getUpdates,
and records every call so tests can see exactly what the bot did.
It also builds the updates a Telegram client would produce.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientResponse, MultipartReader, web
from aiohttp.test_utils import TestServer

BOT_USER = {"id": 42, "is_bot": True, "first_name": "Jiedan", "username": "jiedan_bot"}
TOKEN = "42:TEST"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    ok: bool = True
    webhook: bool = False  # came back in a webhook's HTTP response rather than as a request


@dataclass
class Failure:
    method: str
    chat_id: int | None
    code: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeTelegram:
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)       # users who never started the bot
    upgraded: dict[int, int] = field(default_factory=dict)  # group id → the supergroup it became
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    _ids: dict[int, itertools.count] = field(default_factory=dict)
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    server: TestServer | None = None

    # ------------------------------------------------------------ server
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()
        return str(self.server.make_url("")).rstrip("/")

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = {k: _decode(k, v) for k, v in (await request.post()).items()}
        call = Call(method, params)
        self.calls.append(call)
        response = await self._answer(method, params)
        call.ok = response.status == 200
        return response

    async def run_webhook_answer(self, response: ClientResponse) -> None:
        """Do what Telegram does with a webhook's HTTP response: a method in it (form
        data with a `method` field) is carried out as if it had been called, and
        recorded among the calls. An empty JSON answer carries no method."""
        if not response.content_type.startswith("multipart/"):
            return
        fields: dict[str, str] = {}
        reader = MultipartReader.from_response(response)
        async for part in reader:
            fields[part.name] = await part.text()
        method = fields.pop("method")
        params = {k: _decode(k, v) for k, v in fields.items()}
        call = Call(method, params, webhook=True)
        self.calls.append(call)
        call.ok = (await self._answer(method, params)).status == 200

    async def _answer(self, method: str, params: dict[str, Any]) -> web.Response:
        chat_id = params.get("chat_id")
        for f in self.failures:
            if f.method == method and f.chat_id in (None, chat_id):
                self.failures.remove(f)
                return _error(f.code, f.description, f.retry_after)
        if chat_id in self.upgraded:  # as Telegram answers any call to a group that became a supergroup
            return _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                          migrate_to_chat_id=self.upgraded[chat_id])
        if method == "sendMessage" and chat_id in self.blocked:
            return _error(403, "Forbidden: bot can't initiate conversation with a user")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = handler(params) if method != "getUpdates" else await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    # ------------------------------------------------------------ methods
    def _m_getMe(self, _p: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates:  # long poll: wait briefly for something to arrive
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), min(float(p.get("timeout") or 0), 0.2))
            except TimeoutError:
                pass
        return list(self.updates)

    def _m_setWebhook(self, _p: dict[str, Any]) -> bool:
        return True

    def _m_deleteWebhook(self, _p: dict[str, Any]) -> bool:
        return True

    def _m_answerCallbackQuery(self, _p: dict[str, Any]) -> bool:
        return True

    def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        counter = self._ids.setdefault(chat_id, itertools.count(1))
        msg: dict[str, Any] = {
            "message_id": next(counter), "date": int(time.time()), "from": BOT_USER,
            "chat": _chat(chat_id), "text": p["text"],
        }
        if (p.get("reply_markup") or {}).get("inline_keyboard"):  # as Telegram: a message shows inline
            msg["reply_markup"] = p["reply_markup"]  # buttons only; a reply keyboard is the chat's (see `sent`)
        reply_to = (p.get("reply_parameters") or {}).get("message_id")
        if reply_to and (chat_id, reply_to) in self.messages:
            msg["reply_to_message"] = self.messages[(chat_id, reply_to)]
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _edit(self, p: dict[str, Any], **changes: Any) -> dict[str, Any] | web.Response:
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = self.messages.get(key)
        if msg is None:
            return _error(400, "Bad Request: message to edit not found")
        new = {**msg, **changes}
        if p.get("reply_markup"):
            new["reply_markup"] = p["reply_markup"]
        else:
            new.pop("reply_markup", None)
        if new == msg:
            return _error(400, "Bad Request: message is not modified")
        self.messages[key] = new
        return new

    def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | web.Response:
        return self._edit(p, text=p["text"])

    def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | web.Response:
        return self._edit(p)

    def _m_deleteMessage(self, p: dict[str, Any]) -> bool | web.Response:
        if self.messages.pop((int(p["chat_id"]), int(p["message_id"])), None) is None:
            return _error(400, "Bad Request: message to delete not found")
        return True

    # ------------------------------------------------------------ what the bot did
    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[dict[str, Any]]:
        """Successful calls of `method` (to `chat_id`), oldest first."""
        return [c.params for c in self.calls
                if c.ok and c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def texts(self, chat_id: int) -> list[str]:
        return [p["text"] for p in self.sent(chat_id)]

    def last(self, chat_id: int) -> dict[str, Any]:
        """The latest message the bot has in `chat_id` (as edited since)."""
        key = max(k for k in self.messages if k[0] == chat_id)
        return self.messages[key]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        return self.messages[(chat_id, message_id)]

    def answers(self) -> list[dict[str, Any]]:
        return self.sent(method="answerCallbackQuery")

    def fail_next(self, method: str, code: int, description: str, *, chat_id: int | None = None,
                  retry_after: int | None = None) -> None:
        self.failures.append(Failure(method, chat_id, code, description, retry_after))

    # ------------------------------------------------------------ what users do
    def upgrade(self, old: int, new: int, by: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The group `old` becomes the supergroup `new`: calls to `old` fail from now on.
        Returns the two service messages' updates Telegram sends the bot: in the old
        group (`migrate_to_chat_id`) and in the new supergroup (`migrate_from_chat_id`)."""
        self.upgraded[old] = new
        now = int(time.time())
        to = {"message_id": 10_000, "date": now, "from": by, "chat": group(old, "group"),
              "migrate_to_chat_id": new}
        from_ = {"message_id": 1, "date": now, "from": by, "chat": group(new), "migrate_from_chat_id": old}
        return ({"update_id": next(self._update_ids), "message": to},
                {"update_id": next(self._update_ids), "message": from_})

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling mode)."""
        self.updates.append(update)
        self._new_update.set()

    def text_update(self, user: dict[str, Any], text: str, *, chat: dict[str, Any] | None = None,
                    message_id: int, reply_to: dict[str, Any] | None = None,
                    update_id: int | None = None) -> dict[str, Any]:
        msg: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "from": user,
                               "chat": chat or _chat(user["id"], user), "text": text}
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        return {"update_id": update_id or next(self._update_ids), "message": msg}

    def member_update(self, by: dict[str, Any], old: str, new: str, *,
                      chat: dict[str, Any] | None = None) -> dict[str, Any]:
        """The bot's membership of `chat` changed from status `old` to `new` by `by`'s doing.
        In a private chat (the default): "member" → "kicked" is the user blocking the bot,
        "kicked" → "member" unblocking it."""
        chat = chat or _chat(by["id"], by)
        uid = next(self._update_ids)
        return {"update_id": uid, "my_chat_member": {
            "chat": chat, "from": by, "date": int(time.time()),
            "old_chat_member": _member(old), "new_chat_member": _member(new)}}

    def press_update(self, user: dict[str, Any], message: dict[str, Any], data: str) -> dict[str, Any]:
        uid = next(self._update_ids)
        return {"update_id": uid, "callback_query": {
            "id": f"cb{uid}", "from": user, "chat_instance": "ci", "message": message, "data": data}}


def user(uid: int, first_name: str, lang: str | None = "zh-hans") -> dict[str, Any]:
    u: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first_name}
    if lang:
        u["language_code"] = lang
    return u


def group(chat_id: int, kind: str = "supergroup") -> dict[str, Any]:
    return {"id": chat_id, "type": kind, "title": "Staff"}


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """A message's inline buttons: label → callback data."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def _member(status: str) -> dict[str, Any]:
    """The bot as a chat member with `status` (the fields Telegram sends for it)."""
    member: dict[str, Any] = {"status": status, "user": BOT_USER}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member |= {k: False for k in (
            "can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
            "can_manage_video_chats", "can_restrict_members", "can_promote_members",
            "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
            "can_delete_stories", "can_send_welcome_messages")}
    return member


def _chat(chat_id: int, who: dict[str, Any] | None = None) -> dict[str, Any]:
    if chat_id < 0:
        return group(chat_id)
    return {"id": chat_id, "type": "private", "first_name": (who or {}).get("first_name", "User")}


_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time"}
_JSON_FIELDS = {"reply_markup", "reply_parameters", "allowed_updates", "entities", "link_preview_options"}


def _decode(name: str, value: Any) -> Any:
    """Form fields are strings: numbers as digits, nested objects as JSON."""
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS:
        return json.loads(value)
    if name in _INT_FIELDS and value.lstrip("-").isdigit():
        return int(value)
    return {"true": True, "false": False}.get(value, value) if name.startswith(("show_", "drop_")) else value


def _error(code: int, description: str, retry_after: int | None = None, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        parameters["retry_after"] = retry_after
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)
