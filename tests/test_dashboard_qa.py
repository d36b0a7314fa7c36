"""The dashboard as each role reads it (QA of `jiedan serve`'s /admin): what a
dispatcher and staff may not see (money), how the history reads (local times, names),
the customer named the same everywhere, honest report labels, one "done" message,
completing before the appointment, and the board's cancelled orders."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from aiohttp.test_utils import TestClient

from bot.web.pages import hide_money
from handlers.backoffice import history_value
from storage.models import Order
from tests.conftest import SHANGHAI, Clock
from tests.test_web import ADMIN, BOOKING, CSRF, _account, _app, _book, _order, _sign_in, booked, client_of

PRICE = "298"  # the deep cleaning's guide price in the demo catalog


def visible(page: str) -> str:
    """What a person reads on a page: its text, without tags, attributes (the CSRF
    token is random and may hold any digits) or scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def history_of(page: str) -> str:
    """The text of the order page's History section."""
    return visible(re.search(r'<ol class="history" id="history">(.*?)</ol>', page, re.S).group(1))


@asynccontextmanager
async def three_roles(make_app: Any) -> AsyncIterator[tuple[Any, dict[str, str], Any, int]]:
    """An app with an owner (the admin token), dispatcher Dora and staff Li, and a web
    customer's order assigned to Li: (app, role -> token, order, Li's id)."""
    app = await _app(make_app)
    li, li_token = await _account(app, "Li", "staff")
    _, dora_token = await _account(app, "Dora", "dispatcher")
    async with client_of(app) as client:
        _, number = await _book(client)
        order = await _order(app, number)
        csrf = await _sign_in(client, ADMIN)
        resp = await client.post(f"/admin/orders/{order.id}/assign", data={"csrf": csrf, "staff_id": str(li)},
                                 allow_redirects=False)
        assert "ok=1" in resp.headers["Location"]
    yield app, {"owner": ADMIN, "dispatcher": dora_token, "staff": li_token}, order, li


@asynccontextmanager
async def signed_in(app: Any, token: str) -> AsyncIterator[TestClient]:
    async with client_of(app) as client:
        await _sign_in(client, token)
        yield client


async def test_only_the_owner_reads_money_on_an_order_page(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        async with signed_in(app, tokens["owner"]) as client:
            page = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
            assert PRICE in history_of(page) and f"¥{PRICE}" in visible(page)
        for role in ("dispatcher", "staff"):
            async with signed_in(app, tokens[role]) as client:
                for lang in ("en", "zh"):
                    page = await (await client.get(f"/admin/orders/{order.id}?lang={lang}")).text()
                    assert PRICE not in visible(page), (role, lang)
                    history = history_of(page)
                    assert "price" not in history and "total" not in history, (role, history)
        # The dispatcher still reads the conversation (to answer the customer), with the
        # guide price the bot quoted masked; staff do not see the customer's messages.
        async with signed_in(app, tokens["dispatcher"]) as client:
            page = visible(await (await client.get(f"/admin/orders/{order.id}")).text())
            assert "参考价：¥•••" in page and "深度保洁" in page
            customer = visible(await (await client.get(f"/admin/customers/{order.customer_id}")).text())
            assert "参考价：¥•••" in customer and PRICE not in customer
        async with signed_in(app, tokens["staff"]) as client:
            page = visible(await (await client.get(f"/admin/orders/{order.id}")).text())
            assert "参考价" not in page


async def test_the_json_endpoints_give_no_money_to_dispatchers_or_staff(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        for role in ("dispatcher", "staff"):
            async with signed_in(app, tokens[role]) as client:
                # A dashboard session is no key to the owner's API.
                for path in ("/api/orders", "/api/reports"):
                    resp = await client.get(path)
                    body = await resp.text()
                    assert resp.status == 401 and PRICE not in body, (role, path, body)
                stamp = await client.get("/admin/board/stamp")
                assert stamp.status == 200 and set(await stamp.json()) == {"stamp"}
        async with client_of(app) as client:  # the owner's token reads the prices
            rows = await (await client.get("/api/orders", headers={"Authorization": f"Bearer {ADMIN}"})).json()
            assert [r["number"] for r in rows] == [order.number] and PRICE in str(rows[0])


def test_amounts_of_money_are_masked_in_any_currency() -> None:
    assert hide_money("参考价：¥298\n¥150 × 3 = ¥450，电话13812345678", "•••", currency="CNY") \
        == "参考价：¥•••\n¥••• × 3 = ¥•••，电话13812345678"
    assert hide_money("Guide price: USD 1,299.50 (2 hours)", "•••", currency="USD") \
        == "Guide price: USD ••• (2 hours)"


async def test_the_history_reads_in_local_time_and_names_who_acted(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        async with signed_in(app, tokens["owner"]) as client:
            csrf = CSRF.search(await (await client.get("/admin")).text()).group(1)
            resp = await client.post(f"/admin/orders/{order.id}/reschedule",
                                     data={"csrf": csrf, "date": "2026-11-29", "time": "16:00"}, allow_redirects=False)
            assert "ok=1" in resp.headers["Location"]
            for lang, created, claimed, moved in (
                    ("en", "created by customer 13812345678", "claimed by Li", "rescheduled by the owner"),
                    ("zh", "创建 操作人 客户 13812345678", "接单 操作人 Li", "改期 操作人 店主")):
                history = " ".join(history_of(await (await client.get(f"/admin/orders/{order.id}?lang={lang}")).text())
                                   .split())
                assert created in history and claimed in history and moved in history, history
                # The start before (stored UTC) and after (as typed, +08:00) both in Shanghai time.
                assert "2026-11-25 15:00 → 2026-11-29 16:00" in history, history
                assert "15:00 → 16:00" in history and "2026-11-25 → 2026-11-29" in history
                assert not re.search(r"\d{2}:\d{2}:\d{2}|T\d{2}:|\+0[08]:00|customer:|staff:", history), history


def test_history_values_come_back_as_what_they_are() -> None:
    utc = history_value("start_at", "2026-11-28T07:00:00+00:00")
    assert utc == dt.datetime(2026, 11, 28, 15, 0, tzinfo=SHANGHAI)
    assert history_value("start_at", "2026-11-28T07:00:00") == utc  # stored naive: UTC
    assert history_value("time", "16:00:00") == dt.time(16, 0)
    assert history_value("total", "260.0") == Decimal("260")
    assert history_value("start_at", "soon") == "soon" and history_value("address", "1 Main St") == "1 Main St"


def customer_cells(page: str) -> list[str]:
    """The board's Customer cells, or the order page's Customer detail, as read."""
    cells = re.findall(r'<td data-label="Customer">(.*?)</td>', page, re.S) \
        or re.findall(r"<dt>Customer</dt><dd>(.*?)</dd>", page, re.S)
    return [" ".join(visible(c).split()) for c in cells]


async def test_a_customer_without_a_name_is_their_phone_everywhere(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        for role in ("owner", "dispatcher", "staff"):
            async with signed_in(app, tokens[role]) as client:
                board = await (await client.get("/admin?view=all&lang=en")).text()
                page = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
                assert customer_cells(board) == ["13812345678"], role
                assert customer_cells(page) == ["13812345678"], role
                assert f"Customer {order.customer_id}" not in visible(page)
        async with signed_in(app, tokens["owner"]) as client:
            heading = visible(await (await client.get(f"/admin/customers/{order.customer_id}?lang=en")).text())
            assert "Customer: 13812345678" in heading
        async with app.db.sessions.begin() as s:
            (await s.get(Order, order.id)).name = "王女士"
        async with signed_in(app, tokens["owner"]) as client:
            board = await (await client.get("/admin?view=all&lang=en")).text()
            page = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
            assert customer_cells(board) == ["王女士 13812345678"] and customer_cells(page) == ["王女士"]


def kpis(page: str) -> dict[str, str]:
    """The reports' totals as read: label -> figure."""
    return {" ".join(visible(label).split()): visible(value).strip() for label, value in
            re.findall(r"<div><dt>(.*?)</dt><dd data-kpi=\"\w+\">(.*?)</dd></div>", page, re.S)}


async def test_report_totals_say_what_they_count(make_app, clock: Clock) -> None:
    app = await _app(make_app)
    async with client_of(app) as client:
        visitor, first = await _book(client)
        await visitor.say(BOOKING.replace("明天", "后天"))
        second = re.search(r"\d{8}-\d{4}", (await visitor.say("确认下单", payload="affirm"))[-1]["text"]).group(0)
        csrf = await _sign_in(client, ADMIN)
        resp = await client.post(f"/admin/orders/{(await _order(app, second)).id}/cancel", data={"csrf": csrf},
                                 allow_redirects=False)
        assert "ok=1" in resp.headers["Location"]
        assert kpis(await (await client.get("/admin/reports?lang=en")).text()) == {
            "Orders (excl. cancelled)": "1", "Completed": "0", "Cancelled": "1", "Revenue": "¥0"}
        assert kpis(await (await client.get("/admin/reports?lang=zh")).text())["订单（不含已取消）"] == "1"
        assert first != second


async def test_done_on_the_dashboard_is_one_message_with_the_rating_invitation(make_app, clock: Clock) -> None:
    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        await client.post(f"/admin/orders/{order.id}/assign", data={"csrf": csrf, "staff_id": str(li)})
        await app.worker.run_once()
        await visitor.poll()
        clock.now = order.start_at  # the visit
        resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf}, allow_redirects=False)
        assert "result=done&ok=1" in resp.headers["Location"]
        await app.worker.run_once()
        [told] = await visitor.poll()
        assert "已完成" in told["text"] and "打个分" in told["text"], told
        assert [c["payload"] for c in told["choices"]] == [f"rate:{n}:{order.id}" for n in range(1, 6)]


async def test_completing_before_the_visit_asks_once_more(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        assert clock() < order.start_at  # booked for tomorrow 15:00
        for role in ("owner", "staff"):
            async with signed_in(app, tokens[role]) as client:
                csrf = CSRF.search(await (await client.get("/admin")).text()).group(1)
                resp = await client.post(f"/admin/orders/{order.id}/complete?lang=en", data={"csrf": csrf},
                                         allow_redirects=False)
                assert "result=not_yet&ok=0" in resp.headers["Location"], role
                page = await (await client.get(resp.headers["Location"] + "&lang=en")).text()
                assert (await _order(app, order.number)).status == "assigned"
                assert ("this visit is booked for 2026-11-25 15:00 and has not started yet"
                        in " ".join(visible(page).split())), role
                form = re.search(r'<form[^>]*id="complete-form".*?</form>', page, re.S).group(0)
                assert 'name="early" value="1"' in form and "Mark completed anyway" in visible(form)
        # Pressed again ("anyway"): done, the customer told.
        async with signed_in(app, tokens["staff"]) as client:
            csrf = CSRF.search(await (await client.get("/admin")).text()).group(1)
            resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf, "early": "1"},
                                     allow_redirects=False)
            assert "result=done&ok=1" in resp.headers["Location"]
            assert (await _order(app, order.number)).status == "completed"


async def test_completing_at_or_after_the_visit_needs_no_second_press(make_app, clock: Clock) -> None:
    async with three_roles(make_app) as (app, tokens, order, _):
        async with signed_in(app, tokens["owner"]) as client:
            page = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
            assert "Mark completed anyway" not in page and 'name="early"' not in page
            clock.now = order.start_at
            csrf = CSRF.search(page).group(1)
            resp = await client.post(f"/admin/orders/{order.id}/complete", data={"csrf": csrf}, allow_redirects=False)
            assert "result=done&ok=1" in resp.headers["Location"]


def assignee_cells(page: str) -> list[str]:
    """The board's Assignee cells, or the order page's Assignee detail, as read."""
    cells = re.findall(r'<td data-label="Assignee">(.*?)</td>', page, re.S) \
        or re.findall(r'<dd id="assignee">(.*?)</dd>', page, re.S)
    return [visible(c).strip() for c in cells]


async def test_a_cancelled_order_nobody_took_has_no_assignee_to_wait_for(make_app, clock: Clock) -> None:
    async with booked(make_app) as (app, client, visitor, order, csrf, li):
        board = await (await client.get("/admin?view=all&lang=en")).text()
        assert assignee_cells(board) == ["nobody yet"]
        resp = await client.post(f"/admin/orders/{order.id}/cancel", data={"csrf": csrf}, allow_redirects=False)
        assert "result=cancelled&ok=1" in resp.headers["Location"]
        board = await (await client.get("/admin?view=all&lang=en")).text()
        page = await (await client.get(f"/admin/orders/{order.id}?lang=en")).text()
        assert assignee_cells(board) == ["—"] and assignee_cells(page) == ["—"]
