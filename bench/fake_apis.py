"""The Telegram Bot API and WeChat API on 127.0.0.1, for benchmarks: answer, count, keep nothing.

tests/fake_telegram.py keeps every call for assertions; under load that would
grow without bound and cost the service's own CPU share, so this one answers
with a constant-shaped message and only counts.

Run: python bench/fake_apis.py --port 0   (prints "listening on PORT")
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from collections import Counter

from aiohttp import web

BOT_USER = {"id": 42, "is_bot": True, "first_name": "Jiedan", "username": "jiedan_bot"}
COUNTS: Counter[str] = Counter()
IDS = itertools.count(1)


async def telegram(request: web.Request) -> web.Response:
    method = request.match_info["method"]
    COUNTS[method] += 1
    if method == "sendMessage":
        form = await request.post()
        chat_id = int(str(form.get("chat_id", "0")))
        chat = ({"id": chat_id, "type": "private", "first_name": "U"} if chat_id > 0
                else {"id": chat_id, "type": "supergroup", "title": "Staff"})
        result: object = {"message_id": next(IDS), "date": int(time.time()), "from": BOT_USER,
                          "chat": chat, "text": str(form.get("text", ""))}
    elif method == "getMe":
        result = BOT_USER
    else:
        result = True
    return web.json_response({"ok": True, "result": result})


async def wechat_token(_request: web.Request) -> web.Response:
    COUNTS["wechat_token"] += 1
    return web.json_response({"access_token": "BENCH-TOKEN", "expires_in": 7200})


async def wechat_send(request: web.Request) -> web.Response:
    COUNTS["wechat_send"] += 1
    await request.read()
    return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": next(IDS)})


async def counts(_request: web.Request) -> web.Response:
    return web.json_response(dict(COUNTS))


async def main(port: int) -> None:
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", telegram)
    app.router.add_get("/cgi-bin/token", wechat_token)
    app.router.add_post("/cgi-bin/message/custom/send", wechat_send)
    app.router.add_post("/cgi-bin/message/template/send", wechat_send)
    app.router.add_get("/counts", counts)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"listening on {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    asyncio.run(main(ap.parse_args().port))
