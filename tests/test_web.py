"""The web chat channel and the dashboard over HTTP (no browser): auth, CSRF, roles,
order actions telling the customer, reports (page data and API), exports, tags."""

from __future__ import annotations

import csv
import html
import datetime as dt
import io
import json
import re
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from sqlalchemy import select

from bot.server import make_web_app
from bot.web.client import client_address, parse_networks
from handlers import reports as R
from storage import orders as order_repo
from storage import reviews as review_repo
from storage import staff as staff_repo
from storage.models import Customer, Order, ScheduledJob
from tests.conftest import Clock

ADMIN = "admin-secret"
BOOKING = "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@asynccontextmanager
async def client_of(app: Any) -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(make_web_app(app), host="127.0.0.1"))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def _app(make_app: Any, **settings: object) -> Any:
    return await make_app(admin_token=ADMIN, web_cookie_secure=False, **settings)


class Visitor:
    """A customer on the chat page: its cookie lives in the client's jar."""

    def __init__(self, client: TestClient) -> None:
        self.client, self.token, self.last = client, "", 0

    async def open(self) -> None:
        resp = await self.client.get("/chat")
        assert resp.status == 200
        self.token = re.search(r'data-token="([0-9a-f]+)"', await resp.text()).group(1)

    async def say(self, text: str = "", payload: str | None = None, n: list[int] = [0]) -> list[dict]:  # noqa: B006
        n[0] += 1
        resp = await self.client.post("/chat/send", json={"text": text, "payload": payload, "id": f"m{n[0]}",
                                                          "after": self.last},
                                      headers={"X-Chat-Token": self.token})
        assert resp.status == 200, await resp.text()
        return self._seen((await resp.json())["messages"])

    async def poll(self) -> list[dict]:
        resp = await self.client.get(f"/chat/messages?after={self.last}", headers={"X-Chat-Token": self.token})
        assert resp.status == 200
        return self._seen((await resp.json())["messages"])

    def _seen(self, messages: list[dict]) -> list[dict]:
        if messages:
            self.last = messages[-1]["id"]
        return messages


async def _book(client: TestClient) -> tuple[Visitor, str]:
    visitor = Visitor(client)
    await visitor.open()
    summary = await visitor.say(BOOKING)
    assert [c["payload"] for c in summary[-1]["choices"]] == ["affirm", "deny", "cancel"]
    confirmed = await visitor.say("确认下单", payload="affirm")
    text = confirmed[-1]["text"]
    assert "预约成功" in text
    return visitor, re.search(r"\d{8}-\d{4}", text).group(0)


async def _sign_in(client: TestClient, token: str) -> str:
    """Signs in; returns the session's CSRF token."""
    page = await client.get("/admin/login")
    csrf = CSRF.search(await page.text()).group(1)
    resp = await client.post("/admin/login", data={"token": token, "csrf": csrf}, allow_redirects=False)
    assert resp.status == 303, await resp.text()
    board = await client.get("/admin")
    assert board.status == 200
    return CSRF.search(await board.text()).group(1)


async def _order(app: Any, number: str) -> Order:
    async with app.db.sessions() as s:
        order = await order_repo.by_number(s, number)
        assert order is not None
        return order


async def _account(app: Any, name: str, role: str) -> tuple[int, str]:
    async with app.db.sessions.begin() as s:
        staff, token = await staff_repo.add_account(s, name, role)
        return staff.id, token


@asynccontextmanager
async def booked(make_app: Any) -> AsyncIterator[tuple[Any, TestClient, Visitor, Order, str, int]]:
    """An app with staff Li, a web customer's confirmed order, and the owner signed in."""
    app = await _app(make_app)
    li, _ = await _account(app, "Li", "staff")
    async with client_of(app) as client:
        visitor, number = await _book(client)
        order = await _order(app, number)
        csrf = await _sign_in(client, ADMIN)
        yield app, client, visitor, order, csrf, li


async def test_chat_page_books_keeps_the_thread_and_shows_what_staff_do(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    li, _ = await _account(app, "Li", "staff")
    async with client_of(app) as client:
        visitor, number = await _book(client)
        # A reload (a new page with the same cookie) shows the whole conversation.
        again = Visitor(client)
        await again.open()
        history = await again.poll()
        assert [m["dir"] for m in history] == ["in", "out", "in", "out"] and "预约成功" in history[-1]["text"]
        # Without the page's token, or with a forged cookie, nothing is read or sent.
        assert (await client.get("/chat/messages")).status == 403
        assert (await client.post("/chat/send", json={"text": "hi"})).status == 403
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as stranger:
            resp = await stranger.get(client.make_url("/chat/messages"), headers={
                "X-Chat-Token": visitor.token, "Cookie": "jiedan_visitor=someone-else.0000"})
            assert resp.status == 403

        # The dashboard (its cookie is on /admin, the visitor's on /chat) assigns the order.
        csrf = await _sign_in(client, ADMIN)
        order = await _order(app, number)
        resp = await client.post(f"/admin/orders/{order.id}/assign", data={"csrf": csrf, "staff_id": str(li)},
                                 allow_redirects=False)
        assert resp.status == 303 and "result=done&ok=1" in resp.headers["Location"]
        assert await app.worker.run_once() >= 1
        async with app.db.sessions() as s:
            order = await order_repo.get(s, order.id)
            assert order.status == "assigned" and order.assignee_id == li
        # The customer's page picks up the claim message from the log, as for a Telegram claim.
        told = [m["text"] for m in await visitor.poll()]
        assert len(told) == 1 and number in told[0] and "Li" in told[0]
        assert "（深度保洁）" in told[0]  # the service's name, not the template macro's repr


async def test_sign_in_csrf_and_roles(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    li, li_token = await _account(app, "Li", "staff")
    _, wang_token = await _account(app, "Wang", "staff")
    _, disp_token = await _account(app, "Dora", "dispatcher")
    async with client_of(app) as client:
        _, number = await _book(client)
        order = await _order(app, number)
        assert (await client.get("/admin", allow_redirects=False)).status == 303  # signed out
        page = await client.get("/admin/login")
        csrf = CSRF.search(await page.text()).group(1)
        assert (await client.post("/admin/login", data={"token": ADMIN})).status == 403  # no CSRF token
        assert (await client.post("/admin/login", data={"token": "wrong", "csrf": csrf})).status == 401
        csrf = await _sign_in(client, ADMIN)
        # A form without the session's token changes nothing.
        resp = await client.post(f"/admin/orders/{order.id}/cancel", data={"csrf": "forged"})
        assert resp.status == 403
        assert (await _order(app, number)).status == "confirmed"
        board = await (await client.get("/admin?view=unassigned")).text()
        assert number in board and "¥298" in board  # the owner sees money
        assert (await client.get("/admin/reports")).status == 200
        await client.post("/admin/orders/%d/assign" % order.id, data={"csrf": csrf, "staff_id": str(li)})
        await client.post("/admin/logout", data={"csrf": csrf})
        assert (await client.get("/admin", allow_redirects=False)).status == 303

    async with client_of(app) as client:  # staff Li: own orders, no money, no reports or customers
        csrf = await _sign_in(client, li_token)
        assert number in await (await client.get("/admin?view=all")).text()
        page = await client.get(f"/admin/orders/{order.id}")
        assert page.status == 200 and "¥298" not in await page.text()
        assert (await client.get("/admin/reports")).status == 403
        assert (await client.get("/admin/customers")).status == 403
        assert (await client.get("/admin/export?kind=orders")).status == 403
        resp = await client.post(f"/admin/orders/{order.id}/cancel", data={"csrf": csrf}, allow_redirects=False)
        assert "result=forbidden" in resp.headers["Location"]
        assert (await _order(app, number)).status == "assigned"

    async with client_of(app) as client:  # staff Wang: Li's order does not exist for him
        csrf = await _sign_in(client, wang_token)
        assert number not in await (await client.get("/admin?view=all")).text()
        assert (await client.get(f"/admin/orders/{order.id}")).status == 404
        resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf})
        assert resp.status == 404 and (await _order(app, number)).status == "assigned"

    async with client_of(app) as client:  # a dispatcher runs all orders and customers, sees no money
        await _sign_in(client, disp_token)
        board = await (await client.get("/admin?view=all")).text()
        assert number in board and "¥298" not in board
        assert (await client.get("/admin/customers")).status == 200
        assert (await client.get("/admin/reports")).status == 403


async def test_dashboard_actions_tell_the_customer_and_move_the_reminders(make_app, clock: Clock) -> None:
    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        number = order.number
        # Staff may move it outside the opening hours (agreed on the phone): done, with a note.
        late = await client.post(f"/admin/orders/{order.id}/reschedule",
                                 data={"csrf": csrf, "date": "2026-11-26", "time": "23:30"}, allow_redirects=False)
        assert "result=rescheduled&ok=1&warn=closed" in late.headers["Location"]
        assert 'data-warn="closed"' in await (await client.get(late.headers["Location"])).text()
        forged = await (await client.get(f"/admin/orders/{order.id}?warn=<b>x</b>")).text()
        assert "data-warn" not in forged and "<b>x</b>" not in forged
        # Reschedule: the customer is told, the start moves, reminders follow.
        resp = await client.post(f"/admin/orders/{order.id}/reschedule",
                                 data={"csrf": csrf, "date": "2026-11-26", "time": "10:30"}, allow_redirects=False)
        assert "result=rescheduled&ok=1" in resp.headers["Location"]
        past = await client.post(f"/admin/orders/{order.id}/reschedule",
                                 data={"csrf": csrf, "date": "2026-11-20", "time": "10:30"}, allow_redirects=False)
        assert "result=date_past&ok=0" in past.headers["Location"]
        await app.worker.run_once()
        moved = await _order(app, number)
        assert (moved.date, moved.time) == (dt.date(2026, 11, 26), dt.time(10, 30))
        told = [m["text"] for m in await visitor.poll()]
        assert any(number in t and "10:30" in t for t in told), told
        page = await (await client.get(f"/admin/orders/{order.id}")).text()
        assert 'data-kind="rescheduled"' in page and "10:30" in page

        # Complete needs an assignee; then done tells the customer (and invites a review).
        resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf}, allow_redirects=False)
        assert "result=assign_first&ok=0" in resp.headers["Location"]
        await client.post(f"/admin/orders/{order.id}/assign", data={"csrf": csrf, "staff_id": str(li)})
        clock.now = moved.start_at  # the visit (before it, done asks again: test_dashboard_qa)
        resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf}, allow_redirects=False)
        assert "result=done&ok=1" in resp.headers["Location"]
        assert (await _order(app, number)).status == "completed"
        cancel = await client.post(f"/admin/orders/{order.id}/cancel", data={"csrf": csrf}, allow_redirects=False)
        assert "result=not_allowed&ok=0" in cancel.headers["Location"]

        # Cancel a second order: the customer hears it, its reminders are called off.
        second = await visitor.say(BOOKING.replace("明天", "后天"))
        assert second
        confirmed = await visitor.say("确认下单", payload="affirm")
        number2 = re.search(r"\d{8}-\d{4}", confirmed[-1]["text"]).group(0)
        order2 = await _order(app, number2)
        resp = await client.post(f"/admin/orders/{order2.id}/cancel", data={"csrf": csrf}, allow_redirects=False)
        assert "result=cancelled&ok=1" in resp.headers["Location"]
        await app.worker.run_once()
        assert (await _order(app, number2)).status == "cancelled"
        async with app.db.sessions() as s:
            jobs = (await s.execute(select(ScheduledJob.kind, ScheduledJob.status)
                                    .where(ScheduledJob.order_id == order2.id))).all()
        assert jobs and not [kind for kind, status in jobs if status == "pending"], jobs
        texts = [m["text"] for m in await visitor.poll()]
        assert any(number2 in t and "取消" in t for t in texts), texts


async def test_the_dashboard_writes_to_a_customer_once_per_form(make_app, clock: Clock) -> None:
    """A person answers a customer (one who asked for a person, say) from the customer
    page: sent on their channel by the worker, once however often the form is sent."""
    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        url = f"/admin/customers/{order.customer_id}"
        page = await (await client.get(url)).text()
        nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', page).group(1)
        form = {"csrf": csrf, "nonce": nonce, "text": "  您好，明天师傅会提前半小时电话联系您。 "}
        for expected in ("message_sent", "message_already_sent"):  # the form sent twice
            resp = await client.post(f"{url}/message", data=form, allow_redirects=False)
            assert f"result={expected}&ok=1" in resp.headers["Location"]
        await app.worker.run_once()
        got = [m["text"] for m in await visitor.poll()]
        assert got == ["💬 客服：\n您好，明天师傅会提前半小时电话联系您。"], got
        shown = await (await client.get(f"{url}?result=message_sent&ok=1")).text()
        assert 'data-result="message_sent"' in shown and "明天师傅会提前半小时" in shown, "it is in the history"

        empty = await client.post(f"{url}/message", data={**form, "nonce": "n2", "text": " "},
                                  allow_redirects=False)
        assert "result=message_empty&ok=0" in empty.headers["Location"]
        long = await client.post(f"{url}/message", data={**form, "nonce": "n3", "text": "长" * 1001},
                                 allow_redirects=False)
        assert "result=message_too_long&ok=0" in long.headers["Location"]
        assert (await client.post("/admin/customers/999999/message", data={**form, "nonce": "n4"},
                                  allow_redirects=False)).status == 404
        assert (await client.post(f"{url}/message", data={**form, "csrf": "forged"})).status == 403

        # A dispatcher signs with their name; a customer the chat cannot reach is refused.
        _, token = await _account(app, "Wang", "dispatcher")
        async with client_of(app) as other:
            csrf2 = await _sign_in(other, token)
            await other.post(f"{url}/message", data={"csrf": csrf2, "nonce": "d1", "text": "Hello"})
            await app.worker.run_once()
            assert [m["text"] for m in await visitor.poll()] == ["💬 客服（Wang）：\nHello"]
            from storage import customers as customer_repo
            async with app.db.sessions.begin() as s:
                [ident] = await customer_repo.identities_of(s, order.customer_id)
                await customer_repo.mark_unreachable(s, ident.id, "gone", clock.now)
            page = await (await other.get(url)).text()
            assert 'id="message-form"' not in page and "13812345678" in page, "the page says to phone instead"
            resp = await other.post(f"{url}/message", data={"csrf": csrf2, "nonce": "d2", "text": "Hi"},
                                    allow_redirects=False)
            assert "result=message_unreachable&ok=0" in resp.headers["Location"]
        _, staff_token = await _account(app, "Zhao", "staff")
        async with client_of(app) as third:
            csrf3 = await _sign_in(third, staff_token)
            resp = await third.post(f"{url}/message", data={"csrf": csrf3, "nonce": "s1", "text": "hi"})
            assert resp.status == 403, "staff write to customers through their orders' threads"


async def test_reports_api_and_page_agree_and_need_the_token(make_app, clock: Clock) -> None:
    async with booked(make_app) as (app, client, _, order, csrf, li):
        await client.post(f"/admin/orders/{order.id}/assign", data={"csrf": csrf, "staff_id": str(li)})
        clock.advance(days=1)  # the visit day
        await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf})
        assert (await client.get("/api/reports")).status == 401
        assert (await client.get("/api/reports", headers={"Authorization": "Bearer nope"})).status == 401
        auth = {"Authorization": f"Bearer {ADMIN}"}
        assert (await client.get("/api/reports?since=yesterday", headers=auth)).status == 400
        assert (await client.get("/api/reports?group=year", headers=auth)).status == 400
        data = await (await client.get("/api/reports?since=2026-11-01&until=2026-11-30", headers=auth)).json()
        assert data["totals"] == {"orders": 1, "completed": 1, "cancelled": 0, "revenue": 298.0}
        assert data["by_service"] == [{"service": "deep_cleaning", "orders": 1, "completed": 1, "cancelled": 0,
                                       "revenue": 298.0}]
        assert data["by_channel"][0]["channel"] == "web" and data["by_hour"][15] == 1
        assert data["by_weekday"][2] == 1  # Wednesday 2026-11-25
        [staff] = data["staff"]
        assert staff["name"] == "Li" and staff["done"] == 1 and staff["median_minutes_to_claim"] == 0.0
        weekly = await (await client.get("/api/reports?since=2026-11-01&until=2026-11-30&group=week",
                                         headers=auth)).json()
        assert [p["period"] for p in weekly["by_period"]] == ["2026-W48"]
        async with app.db.sessions.begin() as s:  # a comment that tries to end the page's data block
            (await review_repo.rate(s, await s.get(Order, order.id), 2, clock())).comment = "</script><b>x"
        data = await (await client.get("/api/reports?since=2026-11-01&until=2026-11-30", headers=auth)).json()
        assert [(r["rating"], r["comment"]) for r in data["reviews"]] == [(2, "</script><b>x")]
        assert data["staff"][0]["average_rating"] == 2.0
        page = await (await client.get("/admin/reports?since=2026-11-01&until=2026-11-30")).text()
        assert "</script><b>x" not in page
        embedded = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
        assert json.loads(embedded.group(1)) == data


async def test_exports_and_customer_tags(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        _, number = await _book(client)
        order = await _order(app, number)
        csrf = await _sign_in(client, ADMIN)
        resp = await client.get("/admin/export?kind=orders&format=csv&since=2026-11-01&until=2026-11-30")
        assert resp.status == 200 and "attachment" in resp.headers["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO((await resp.read()).decode("utf-8-sig"))))
        assert [r["number"] for r in rows] == [number]
        empty = await client.get("/admin/export?kind=orders&format=csv&since=2026-12-01&until=2026-12-31")
        assert list(csv.DictReader(io.StringIO((await empty.read()).decode("utf-8-sig")))) == []
        xlsx = await client.get("/admin/export?kind=customers&format=xlsx&since=2026-11-01&until=2026-11-30")
        sheet = load_workbook(io.BytesIO(await xlsx.read()))["customers"]
        assert [c.value for c in sheet[1]][:3] == ["id", "name", "phone"] and sheet.max_row == 2
        reviews = await client.get("/admin/export?kind=reviews&format=csv")
        assert (await reviews.read()).decode("utf-8-sig").startswith("order_id,number")
        assert (await client.get("/admin/export?kind=secrets")).status == 400

        resp = await client.post(f"/admin/customers/{order.customer_id}/tags",
                                 data={"csrf": csrf, "tag": ["VIP", "complaint"], "other": "楼下停车, VIP"},
                                 allow_redirects=False)
        assert resp.status == 303
        async with app.db.sessions() as s:
            assert (await s.get(Customer, order.customer_id)).tags == ["VIP", "complaint", "楼下停车"]
        listing = await (await client.get("/admin/customers?tag=VIP")).text()
        assert f'data-customer="{order.customer_id}"' in listing
        assert 'data-customer=' not in await (await client.get("/admin/customers?tag=frequent")).text()
        detail = await (await client.get(f"/admin/customers/{order.customer_id}?lang=en")).text()
        assert number in detail and "complaint" in detail


async def test_cookies_are_secure_httponly_and_samesite(make_app, clock: Clock) -> None:
    app = await make_app(admin_token=ADMIN)  # the default: Secure cookies
    async with client_of(app) as client:
        chat = await client.get("/chat")
        visitor = chat.headers["Set-Cookie"]
        assert "HttpOnly" in visitor and "Secure" in visitor and "SameSite=None" in visitor
        assert "frame-ancestors" not in chat.headers["Content-Security-Policy"]  # embeddable
        login = await client.get("/admin/login")
        session = login.headers["Set-Cookie"]
        assert "HttpOnly" in session and "Secure" in session and "SameSite=Lax" in session
        assert login.headers["X-Frame-Options"] == "DENY"


def test_report_figures_are_pure_aggregation() -> None:
    from types import SimpleNamespace as NS
    from zoneinfo import ZoneInfo

    utc = dt.timezone.utc
    start = dt.datetime(2026, 11, 25, 7, 0, tzinfo=utc)  # 15:00 in Shanghai, a Wednesday
    li = NS(id=1, name="Li")

    def order(i: int, status: str, price: float, rating: int | None, claim_min: float, late_min: float,
              channel: str = "web") -> NS:
        confirmed = start - dt.timedelta(hours=5)
        events = [NS(kind="claim", actor="staff:1", at=confirmed + dt.timedelta(minutes=claim_min)),
                  NS(kind="start", actor="staff:1", at=start + dt.timedelta(minutes=late_min))]
        return NS(id=i, number=f"n{i}", status=status, service_id="deep_cleaning", channel=channel,
                  date=start.date(), start_at=start, total=price, rating=rating, confirmed_at=confirmed,
                  completed_at=start + dt.timedelta(hours=3), assignee=li, events=events)

    orders = [order(1, "completed", 298, 5, 10, 0), order(2, "completed", 100, 2, 30, 40, "telegram"),
              order(3, "completed", 50, None, 20, 5), order(4, "cancelled", 999, None, 1, 0),
              NS(**{**vars(order(5, "pending", 1, None, 0, 0)), "assignee": None})]
    report = R.build(orders, tz=ZoneInfo("Asia/Shanghai"), group="month")
    assert report["totals"] == {"orders": 3, "completed": 3, "cancelled": 1, "revenue": 448.0}
    assert report["by_period"] == [{"period": "2026-11", "orders": 3, "completed": 3, "cancelled": 1,
                                    "revenue": 448.0}]
    assert report["by_hour"][15] == 3 and report["by_weekday"][2] == 3
    assert {r["channel"]: r["orders"] for r in report["by_channel"]} == {"web": 2, "telegram": 1}
    # claimed counts the cancelled order too (owner round 2); its minutes to claim do not
    assert report["staff"] == [{"staff_id": 1, "name": "Li", "claimed": 4, "released": 0, "reassigned": 0, "done": 3,
                                "median_minutes_to_claim": 20.0,
                                "on_time_rate": 0.667, "average_rating": 3.5}]
    no_money = R.build(orders, tz=ZoneInfo("Asia/Shanghai"), money=False)
    assert "revenue" not in no_money["totals"] and all("revenue" not in r for r in no_money["by_service"])
    reviews = R.review_list([(NS(rating=5, comment=None, created_at=start), orders[0]),
                             (NS(rating=2, comment="迟到", created_at=start), orders[1])])
    assert [r["rating"] for r in reviews] == [2, 5]
    assert R.date_range(None, None, dt.date(2026, 11, 24)) == (dt.date(2026, 10, 25), dt.date(2026, 12, 24))


async def test_staff_accounts_from_the_cli_sign_in_until_deactivated(tmp_path, clock: Clock) -> None:  # noqa: ANN001
    import asyncio

    from bot.app import build_app
    from bot.settings import Settings
    from bot.web import auth
    from tests.test_cli import run

    added = await asyncio.to_thread(run, ["staff", "add", "Ann", "--role", "dispatcher"], tmp_path)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert len(token) >= 40 and token not in added.stderr
    listed = await asyncio.to_thread(run, ["staff", "list"], tmp_path)
    assert listed.stdout.split() == ["1", "dispatcher", "web", "active", "Ann"]
    app = await build_app(Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'jiedan.db'}"),
                          clock=clock)
    try:
        assert await auth.sign_in(app, token) == auth.User(1, "Ann", "dispatcher")
        assert await auth.sign_in(app, token[:-1]) is None
        off = await asyncio.to_thread(run, ["staff", "deactivate", "1"], tmp_path)
        assert off.returncode == 0
        assert await auth.sign_in(app, token) is None
    finally:
        await app.close()
    bad = await asyncio.to_thread(run, ["staff", "add", "Bob", "--role", "boss"], tmp_path)
    assert bad.returncode == 2


async def test_chat_page_in_english(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        page = await (await client.get("/chat?lang=en")).text()
        assert ">Send<" in page and 'data-lang="en"' in page
        visitor = Visitor(client)
        visitor.token = re.search(r'data-token="([0-9a-f]+)"', page).group(1)
        resp = await client.post("/chat/send", headers={"X-Chat-Token": visitor.token}, json={
            "text": "I'd like a deep clean tomorrow at 3pm at 12 Baker Street, phone 13812345678",
            "id": "en1", "lang": "en"})
        summary = (await resp.json())["messages"][-1]
        assert [c["label"] for c in summary["choices"]][0] == "Confirm"
        done = await visitor.say("Confirm", payload="affirm")
        assert "Booked!" in done[-1]["text"]
        assert (await client.post("/chat/send", headers={"X-Chat-Token": visitor.token},
                                  data="not json")).status == 400
        assert (await client.post("/chat/send", headers={"X-Chat-Token": visitor.token},
                                  json={"text": "  "})).status == 400


def test_throttle_counts_a_sliding_window_per_key() -> None:
    from storage.ratelimit import Throttle

    now = [0.0]
    throttle = Throttle(3, 60, max_keys=2, clock=lambda: now[0])
    for _ in range(3):
        assert not throttle.blocked("a")
        throttle.hit("a")
    assert throttle.blocked("a") and not throttle.blocked("b")
    now[0] = 61.0
    assert not throttle.blocked("a")  # the window slid past the old attempts
    for key in ("a", "b", "c"):
        throttle.hit(key)
    assert len(throttle._events) == 2  # the oldest key is forgotten, memory stays bounded


def test_client_address_believes_only_trusted_proxies() -> None:
    proxies = parse_networks("10.0.0.1, 172.16.0.0/12")
    assert client_address("10.0.0.1", ["203.0.113.7"], proxies) == "203.0.113.7"
    # a chain of our proxies: the hop before the nearest untrusted one is the client
    assert client_address("172.16.3.4", ["1.1.1.1, 203.0.113.7, 10.0.0.1"], proxies) == "203.0.113.7"
    assert client_address("172.16.3.4", ["1.1.1.1", "203.0.113.7"], proxies) == "203.0.113.7"
    # a client talking to us directly cannot pick its address with the header
    assert client_address("198.51.100.9", ["203.0.113.7"], proxies) == "198.51.100.9"
    assert client_address("10.0.0.1", [], proxies) == "10.0.0.1"  # the proxy itself, e.g. a health check
    assert client_address("10.0.0.1", ["203.0.113.7"], ()) == "10.0.0.1"  # none configured: the peer
    assert client_address(None, ["203.0.113.7"], proxies) == "?"
    with pytest.raises(ValueError, match="'nope'"):
        parse_networks("10.0.0.1, nope")


async def test_sign_in_lockout_is_per_client_behind_a_trusted_proxy(make_app, clock: Clock) -> None:
    """Behind nginx every request comes from the proxy: one guesser must not lock out the owner."""
    app = await _app(make_app, trusted_proxies="127.0.0.1")
    async with client_of(app) as client:
        csrf = CSRF.search(await (await client.get("/admin/login")).text()).group(1)
        guesser, owner = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.9"}
        for _ in range(10):
            resp = await client.post("/admin/login", data={"token": "guess", "csrf": csrf}, headers=guesser)
            assert resp.status == 401
        resp = await client.post("/admin/login", data={"token": ADMIN, "csrf": csrf}, headers=guesser,
                                 allow_redirects=False)
        assert resp.status == 429
        resp = await client.post("/admin/login", data={"token": ADMIN, "csrf": csrf}, headers=owner,
                                 allow_redirects=False)
        assert resp.status == 303


async def test_sign_in_attempts_and_chat_messages_are_limited(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        csrf = CSRF.search(await (await client.get("/admin/login")).text()).group(1)
        for _ in range(10):
            resp = await client.post("/admin/login", data={"token": "guess", "csrf": csrf})
            assert resp.status == 401
        resp = await client.post("/admin/login", data={"token": ADMIN, "csrf": csrf}, allow_redirects=False)
        assert resp.status == 429  # even the right token waits once the address is locked out
        visitor = Visitor(client)
        await visitor.open()
        statuses = []
        for i in range(21):
            resp = await client.post("/chat/send", json={"text": "价格", "id": f"p{i}"},
                                     headers={"X-Chat-Token": visitor.token})
            statuses.append(resp.status)
        assert statuses == [200] * 20 + [429]


async def _event(app: Any, order: Order, event: str, reason: str | None, key: str) -> None:
    """The order's customer leaves or comes back, as a channel reports it (handlers/reach.py)."""
    from handlers import reach
    from handlers.messages import Inbound
    from storage import customers as customer_repo

    async with app.db.sessions() as s:
        [ident] = await customer_repo.identities_of(s, order.customer_id)
    await reach.on_event(app.db, Inbound(channel=ident.channel, user_id=ident.external_id, event=event,
                                         reason=reason, message_id=key), app.conversations.clock())


def _flash(page: str) -> str:
    return re.search(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page, re.S).group(1)


async def test_action_results_say_told_only_when_the_chat_reaches_the_customer(make_app, clock: Clock) -> None:
    from handlers.messages import LEFT

    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        # Reachable: the customer is told, and the page says so.
        resp = await client.post(f"/admin/orders/{order.id}/reschedule",
                                 data={"csrf": csrf, "date": "2026-11-26", "time": "10:30"})
        page = await resp.text()
        assert "已改期：已通知客户。" in _flash(page) and "not-told" not in page
        assert "系统会通知客户" in page

        await _event(app, order, LEFT, "blocked", "left-1")
        for action, data, said in [("assign", {"staff_id": str(li)}, "已完成"),
                                   ("reschedule", {"date": "2026-11-27", "time": "09:00"}, "已改期"),
                                   ("complete", {"early": "1"}, "已完成")]:  # "anyway": before the visit
            page = await (await client.post(f"/admin/orders/{order.id}/{action}", data={"csrf": csrf, **data})).text()
            flash = _flash(page)
            assert "not-told" in page and flash.startswith(said), (action, flash)
            assert "已通知客户" not in flash and "无法通过聊天联系" in flash and "已屏蔽我们" in flash
            assert "自 2026-11-24 20:00 起" in flash and 'href="tel:13812345678"' in flash
        second = await visitor.say(BOOKING.replace("明天", "后天"))
        assert second
        confirmed = await visitor.say("确认下单", payload="affirm")  # writing clears the mark…
        order2 = await _order(app, re.search(r"\d{8}-\d{4}", confirmed[-1]["text"]).group(0))
        await _event(app, order2, LEFT, "blocked", "left-2")        # …and blocking sets it again
        page = await (await client.get(f"/admin/orders/{order2.id}")).text()
        assert "客户无法通过聊天联系，不会收到通知，请电话告知" in page, "the cancel confirmation too"
        page = await (await client.post(f"/admin/orders/{order2.id}/cancel", data={"csrf": csrf})).text()
        assert _flash(page).startswith("已取消，但客户无法通过聊天联系")

        page = await (await client.get(f"/admin/orders/{order2.id}?result=cancelled&ok=1&lang=en")).text()
        flash = _flash(page)
        assert flash.startswith("Cancelled, but the customer cannot be reached by chat (blocked us, since ")
        assert "has not been told" in flash and "13812345678" in flash and "has been told" not in flash
        await visitor.say("你好")  # back: results say "told" again
        page = await (await client.get(f"/admin/orders/{order2.id}?result=cancelled&ok=1")).text()
        assert _flash(page) == "Cancelled: the customer has been told." and "not-told" not in page


async def test_events_and_untyped_messages_are_named_in_the_message_history(make_app, clock: Clock) -> None:
    from handlers.messages import CAME_BACK, LEFT
    from storage import messages as message_repo

    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        await _event(app, order, LEFT, "blocked", "ev-1")
        await _event(app, order, CAME_BACK, None, "ev-2")
        await _event(app, order, LEFT, "unsubscribed", "ev-3")
        await _event(app, order, LEFT, None, "ev-4")  # a channel that does not say why
        async with app.db.sessions.begin() as s:  # the first release's form of an unfollow
            await message_repo.record_inbound(s, channel="wechat", channel_message_id="old-1",
                                              customer_id=order.customer_id, text="",
                                              meta={"event": "unsubscribed"})
            for n, payload in enumerate(("status", "address:望京SOHO T1", "unsupported", "mystery:x")):
                await message_repo.record_inbound(s, channel="wechat", channel_message_id=f"p-{n}",
                                                  customer_id=order.customer_id, text="",
                                                  meta={"payload": payload})
        labels = {"zh": ["屏蔽了机器人", "回来了", "取消关注了公众号", "聊天账号已不可用", "取消关注了公众号",
                         "点了菜单：我的订单", "📍 望京SOHO T1", "发来了图片、语音等无法识别的消息",
                         "点了菜单：mystery:x"],
                  "en": ["blocked the bot", "came back", "unfollowed the Official Account", "chat account gone",
                         "unfollowed the Official Account", "pressed: My orders", "📍 望京SOHO T1",
                         "sent a photo, voice note or other message the bot cannot read", "pressed: mystery:x"]}
        for lang, expected in labels.items():
            for path in (f"/admin/orders/{order.id}", f"/admin/customers/{order.customer_id}"):
                page = await (await client.get(f"{path}?lang={lang}")).text()
                log = re.search(r'<ol class="log"[^>]*>(.*?)</ol>', page, re.S).group(1)
                shown = [html.unescape(x) for x in
                         re.findall(r'<span class="event" data-event="[a-z_]+">([^<]+)</span>', log)]
                assert shown == expected, (lang, path, shown)
                assert '<span class="text"></span>' not in log, "no event is an empty line"
                assert BOOKING in log, "messages still show their text"


async def test_an_open_board_learns_that_something_changed(make_app) -> None:
    """board.js polls /admin/board/stamp and reloads when it differs from the page's."""
    app = await _app(make_app)
    async with client_of(app) as client:
        stamp_url = "/admin/board/stamp"
        signed_out = await client.get(stamp_url, allow_redirects=False)
        assert signed_out.status == 303 and "/admin/login" in signed_out.headers["Location"]
        await _sign_in(client, ADMIN)
        page = await (await client.get("/admin")).text()
        drawn = re.search(r'data-stamp="([0-9a-f]+)"', page).group(1)
        assert 'src="/static/board.js"' in page and 'data-refresh-ms="20000"' in page

        async def stamp() -> str:
            resp = await client.get(stamp_url)
            assert resp.headers["Cache-Control"] == "no-store"
            return (await resp.json())["stamp"]

        assert await stamp() == drawn, "nothing happened: no reload"
        visitor = Visitor(client)
        await visitor.open()
        await visitor.say(BOOKING)
        assert await stamp() == drawn, "a draft the customer has not confirmed is not on the board"
        await visitor.say("确认")
        confirmed = await stamp()
        assert confirmed != drawn, "a new order"
        await visitor.say("转人工")
        assert await stamp() != confirmed, "a customer waiting for a person"
        js = await client.get("/static/board.js")
        assert js.status == 200 and "board/stamp" in await js.text()
