"""The yardstick: a bare aiohttp app that reads the same requests and answers a constant.

It does what any webhook endpoint must (check the Telegram secret header or
the WeChat signature, parse the JSON or XML body) and nothing else, so the
end-to-end figures can be read as a ratio: our pipeline's cost over the
cheapest possible handler on the same machine, in the same run.

Run: python bench/bare_server.py --port 0 --secret S --token T   (prints "listening on PORT")
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import xml.etree.ElementTree as ET

from aiohttp import web

REPLY = ("<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{frm}]]></FromUserName>"
         "<CreateTime>0</CreateTime><MsgType><![CDATA[text]]></MsgType>"
         "<Content><![CDATA[收到]]></Content></xml>")


def make_app(secret: str, token: str) -> web.Application:
    async def telegram(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != secret:
            return web.Response(status=401)
        update = json.loads(await request.read())
        if "message" not in update:
            return web.Response(status=400)
        return web.json_response({})

    async def wechat(request: web.Request) -> web.Response:
        q = request.query
        expected = hashlib.sha1("".join(sorted([token, q.get("timestamp", ""), q.get("nonce", "")]))
                                .encode()).hexdigest()
        if not hmac.compare_digest(expected, q.get("signature", "")):
            return web.Response(status=403)
        root = ET.fromstring(await request.read())
        xml = REPLY.format(to=root.findtext("FromUserName"), frm=root.findtext("ToUserName"))
        return web.Response(text=xml, content_type="application/xml")

    app = web.Application()
    app.router.add_post("/telegram", telegram)
    app.router.add_post("/wechat", wechat)
    return app


async def main(port: int, secret: str, token: str) -> None:
    runner = web.AppRunner(make_app(secret, token), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"listening on {runner.addresses[0][1]}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--token", required=True)
    a = ap.parse_args()
    asyncio.run(main(a.port, a.secret, a.token))
