"""WeChat's two sides, faked on 127.0.0.1: the callbacks its servers send us (signed,
optionally AES-encrypted, exactly as WeChat builds them) and the API we call."""

from __future__ import annotations

import hashlib
import itertools
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from wechatpy.crypto import WeChatCrypto

TOKEN = "jiedan-test-token"
APPID = "wx0123456789abcdef"
SECRET = "test-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, like WeChat's EncodingAESKey
ACCOUNT = "gh_0123456789ab"


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _cdata(fields: dict[str, Any]) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>"
                    for k, v in fields.items())
    return f"<xml>{inner}</xml>"


@dataclass
class Answer:
    status: int
    body: str
    text: str | None = None      # the passive reply's Content, decrypted when needed

    @property
    def success(self) -> bool:
        return self.status == 200 and self.body in ("success", "")


class WeChatUser:
    """One follower writing to the Official Account: builds and signs the callbacks."""

    def __init__(self, client: TestClient, openid: str = "oUser0000000000000000000001", *,
                 safe: bool = False, token: str = TOKEN) -> None:
        self.client, self.openid, self.safe, self.token = client, openid, safe, token
        self.crypto = WeChatCrypto(token, AES_KEY, APPID)
        self._ids = itertools.count(6_000_000_000_000_000_001)
        self.clock = 1_764_000_000

    def message(self, msg_type: str, msg_id: int | None = None, **fields: Any) -> str:
        self.clock += 1
        base: dict[str, Any] = {"ToUserName": ACCOUNT, "FromUserName": self.openid,
                                "CreateTime": self.clock, "MsgType": msg_type, **fields}
        if msg_type != "event":
            base["MsgId"] = msg_id if msg_id is not None else next(self._ids)
        return _cdata(base)

    def text(self, content: str, msg_id: int | None = None) -> str:
        return self.message("text", msg_id, Content=content)

    def event(self, event: str, key: str | None = None) -> str:
        return self.message("event", Event=event, **({"EventKey": key} if key is not None else {}))

    def _query(self) -> dict[str, str]:
        timestamp, nonce = str(int(time.time())), "n" + str(next(self._ids))[-8:]
        return {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp,
                "nonce": nonce, "openid": self.openid}

    async def post_sealed(self, encrypt: str) -> Answer:
        """A safe-mode call whose Encrypt is whatever the test says, correctly signed."""
        query = self._query()
        query |= {"encrypt_type": "aes",
                  "msg_signature": sign(self.token, query["timestamp"], query["nonce"], encrypt)}
        body = _cdata({"ToUserName": ACCOUNT, "Encrypt": encrypt}).encode()
        resp = await self.client.post("/wechat", params=query, data=body)
        return Answer(resp.status, await resp.text())

    async def post(self, xml: str, *, forge: bool = False, raw: bytes | None = None) -> Answer:
        query = self._query()
        timestamp, nonce = query["timestamp"], query["nonce"]
        body = raw if raw is not None else xml.encode()
        if self.safe and raw is None:
            sealed = ET.fromstring(self.crypto.encrypt_message(xml, nonce, timestamp))
            encrypt, msg_signature = sealed.findtext("Encrypt"), sealed.findtext("MsgSignature")
            body = _cdata({"ToUserName": ACCOUNT, "Encrypt": encrypt}).encode()
            query |= {"encrypt_type": "aes", "msg_signature": msg_signature}
        if forge:
            query["signature"] = sign("not-the-token", timestamp, nonce)
            query.pop("msg_signature", None)
        resp = await self.client.post("/wechat", params=query, data=body,
                                      headers={"Content-Type": "text/xml"})
        answer = Answer(resp.status, await resp.text())
        if resp.status == 200 and answer.body.startswith("<xml>"):
            answer.text = self._content(answer.body)
        return answer

    async def say(self, content: str) -> Answer:
        return await self.post(self.text(content))

    def _content(self, body: str) -> str | None:
        root = ET.fromstring(body)
        if root.findtext("Encrypt") is not None:
            assert self.safe, "an encrypted reply to a plaintext call"
            plain = self.crypto.decrypt_message(body, root.findtext("MsgSignature"),
                                                root.findtext("TimeStamp"), root.findtext("Nonce"))
            root = ET.fromstring(plain)
        else:
            assert not self.safe, "a plaintext reply to a safe-mode call"
        assert root.findtext("ToUserName") == self.openid and root.findtext("FromUserName") == ACCOUNT
        return root.findtext("Content")


@dataclass
class FakeWeChatAPI:
    """api.weixin.qq.com/cgi-bin on 127.0.0.1: hands out tokens, records sends, fails on cue."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)   # errcodes for the next sends
    tokens_issued: int = 0
    valid_token: str | None = None
    server: TestServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/cgi-bin/"))

    def sent(self, path: str) -> list[dict[str, Any]]:
        return [body for p, body in self.calls if p == path]

    def expire_token(self) -> None:
        self.valid_token = None

    async def start(self) -> FakeWeChatAPI:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        app.router.add_post("/cgi-bin/message/template/send", self._send)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        self.calls.append(("token", dict(q)))
        if (q.get("appid"), q.get("secret"), q.get("grant_type")) != (APPID, SECRET, "client_credential"):
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        self.tokens_issued += 1
        self.valid_token = f"TOKEN-{self.tokens_issued}"
        return web.json_response({"access_token": self.valid_token, "expires_in": 7200})

    async def _send(self, request: web.Request) -> web.Response:
        path = request.path.removeprefix("/cgi-bin/")
        if request.query.get("access_token") != self.valid_token:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        body = await request.json()
        if self.errors:
            code, msg = self.errors.pop(0)
            self.calls.append((f"{path}!{code}", body))
            return web.json_response({"errcode": code, "errmsg": msg})
        self.calls.append((path, body))
        result: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        if path.endswith("template/send"):
            result["msgid"] = 200228332 + len(self.calls)
        return web.json_response(result)
