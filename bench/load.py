"""The load generator: simulated customers booking over HTTP, in a process of its own.

Each virtual customer plays whole conversations (a five-line Chinese booking,
an English one, a one-message booking then "好的"), one message at a time,
waiting for each answer as a person would, then starts over as a new user.
Requests go to `POST /telegram` (an Update with the webhook secret header) or
`POST /wechat` (a signed plaintext callback), spread over the targets given.

Prints one JSON object: messages, errors, seconds, latency percentiles (ms).
Run by bench/e2e_bench.py; alone:
  python bench/load.py --target http://127.0.0.1:8080 --duration 10 --concurrency 64
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import random
import statistics
import time

import aiohttp

CONVERSATIONS = [
    ["你好", "我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678", "确认"],
    ["hi", "I'd like a deep clean tomorrow at 3pm", "12 Baker Street, Flat 3", "13812345678", "yes"],
    ["明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678", "好的"],
    ["马桶堵了，今晚能来吗", "海淀区中关村大街27号", "13912345678", "确认", "我的订单呢"],
]
ACCOUNT = "gh_0123456789ab"


class Load:
    def __init__(self, targets: list[str], channels: list[str], secret: str, token: str,
                 user_base: int, think: float = 0.0) -> None:
        self.targets, self.channels, self.secret, self.token = targets, channels, secret, token
        self.think = think  # seconds a customer waits between answer and next message
        self.users = itertools.count(user_base)
        # Message ids unique across load levels too (a WeChat MsgId seen before is a
        # redelivery, answered with "success"): each level's users, and so its ids, are apart.
        self.ids = itertools.count(user_base * 1_000 + 1)
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.measuring = False
        self.stop = False

    def _error(self, what: str) -> None:
        if self.measuring:
            self.errors[what] = self.errors.get(what, 0) + 1

    async def customer(self, http: aiohttp.ClientSession, n: int) -> None:
        rng = random.Random(n)
        if self.think:  # spread the customers over one think time, not all at once in waves
            await asyncio.sleep(rng.random() * self.think)
        while not self.stop:
            uid = next(self.users)
            target = self.targets[uid % len(self.targets)]
            # Not `uid % len(channels)` as for the target: with two of each, every Telegram
            # customer would land on the first server and every WeChat one on the second.
            channel = self.channels[uid // len(self.targets) % len(self.channels)]
            for text in rng.choice(CONVERSATIONS):
                if self.stop:
                    return
                if self.think:
                    await asyncio.sleep(self.think)
                started = time.perf_counter()
                try:
                    ok = await (self.telegram(http, target, uid, text) if channel == "telegram"
                                else self.wechat(http, target, uid, text))
                except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                    self._error(type(e).__name__)
                    continue
                if ok and self.measuring:
                    self.latencies.append((time.perf_counter() - started) * 1000)

    async def telegram(self, http: aiohttp.ClientSession, target: str, uid: int, text: str) -> bool:
        mid = next(self.ids)
        user = {"id": uid, "is_bot": False, "first_name": f"U{uid}",
                "language_code": "en" if text.isascii() else "zh-hans"}
        update = {"update_id": mid, "message": {
            "message_id": mid, "date": int(time.time()), "from": user,
            "chat": {"id": uid, "type": "private", "first_name": user["first_name"]}, "text": text}}
        async with http.post(f"{target}/telegram", json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": self.secret}) as r:
            await r.read()
            if r.status != 200:
                self._error(f"telegram HTTP {r.status}")
                return False
        return True

    async def wechat(self, http: aiohttp.ClientSession, target: str, uid: int, text: str) -> bool:
        mid = next(self.ids)
        openid = f"oBench{uid:020d}"
        ts, nonce = str(int(time.time())), f"n{mid}"
        signature = hashlib.sha1("".join(sorted([self.token, ts, nonce])).encode()).hexdigest()
        xml = (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
               f"<FromUserName><![CDATA[{openid}]]></FromUserName><CreateTime>{ts}</CreateTime>"
               f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
               f"<MsgId>{7_000_000_000_000_000_000 + mid}</MsgId></xml>")
        async with http.post(f"{target}/wechat", data=xml.encode(),
                             params={"signature": signature, "timestamp": ts, "nonce": nonce,
                                     "openid": openid},
                             headers={"Content-Type": "text/xml"}) as r:
            body = await r.text()
            if r.status != 200:
                self._error(f"wechat HTTP {r.status}")
                return False
            if not body.startswith("<xml>"):  # "success": the answer missed the passive deadline
                self._error("wechat answer late")
                return False
        return True


async def run(a: argparse.Namespace) -> dict:
    load = Load(a.target, a.channels.split(","), a.secret, a.token, a.user_base, a.think)
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        tasks = [asyncio.create_task(load.customer(http, n)) for n in range(a.concurrency)]
        await asyncio.sleep(a.warmup)
        load.measuring = True
        started = time.perf_counter()
        await asyncio.sleep(a.duration)
        load.measuring = False
        seconds = time.perf_counter() - started
        load.stop = True
        await asyncio.wait(tasks, timeout=35)
    lat = sorted(load.latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    return {"messages": len(lat), "seconds": seconds, "per_second": len(lat) / seconds,
            "errors": sum(load.errors.values()), "error_kinds": load.errors,
            "p50_ms": q[49], "p90_ms": q[89], "p99_ms": q[98], "max_ms": lat[-1] if lat else None,
            "customers": next(load.users) - a.user_base}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", action="append", required=True, help="base URL; repeat to split the load")
    ap.add_argument("--channels", default="telegram,wechat")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--secret", default="bench-secret")
    ap.add_argument("--token", default="bench-token")
    ap.add_argument("--user-base", type=int, default=1_000_000)
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds between a customer's answer and their next message (0: at once)")
    print(json.dumps(asyncio.run(run(ap.parse_args()))), flush=True)
