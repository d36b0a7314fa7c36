"""The owner dashboard, `/admin`: sign-in, orders board, order page and its actions,
customers and their tags, reports with charts, and exports.

Only routing, access checks and form parsing live here; what an action does
is `handlers.backoffice`, what a report says is `handlers.reports`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import logging
import uuid
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp_session import get_session
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.web import auth
from bot.web.auth import DISPATCHER, OWNER, User
from bot.web.client import client_address
from bot.web.pages import Pages, pick_lang
from storage.ratelimit import Throttle
from handlers import backoffice
from handlers import reports as R
from storage import customers as customer_repo
from storage import messages as message_repo
from storage import orders as order_repo
from storage import reviews as review_repo
from storage import staff as staff_repo
from storage.export import (
    COLUMNS, CUSTOMER_COLUMNS, REVIEW_COLUMNS, customer_row, order_row, review_row, to_csv, to_xlsx,
)
from storage.models import Customer, Staff

log = logging.getLogger(__name__)

Page = Callable[[web.Request, User], Awaitable[web.StreamResponse]]
KNOWN_TAGS: tuple[str, ...] = ("VIP", "frequent", "complaint")
EXPORT_KINDS: tuple[str, ...] = ("orders", "customers", "reviews")


class Dashboard:
    def __init__(self, app: App, pages: Pages) -> None:
        self.app = app
        self.pages = pages
        self.tz = ZoneInfo(app.timezone)
        # Failed sign-ins per client address: 10 in 10 minutes, then wait.
        self.failed_sign_ins = Throttle(10, 600)

    def add_routes(self, r: web.UrlDispatcher) -> None:
        r.add_get("/admin", self._page(self.board))
        r.add_get("/admin/login", self.login_form)
        r.add_post("/admin/login", self.login)
        r.add_post("/admin/logout", self._form(self.logout))
        r.add_get("/admin/board/stamp", self._page(self.board_stamp))
        r.add_get("/admin/orders/{id:\\d+}", self._page(self.order))
        r.add_post("/admin/orders/{id:\\d+}/{action:assign|reschedule|cancel|complete}",
                   self._form(self.order_action))
        r.add_get("/admin/customers", self._page(self.customers, OWNER, DISPATCHER))
        r.add_get("/admin/customers/{id:\\d+}", self._page(self.customer, OWNER, DISPATCHER))
        r.add_post("/admin/customers/{id:\\d+}/tags", self._form(self.customer_tags, OWNER, DISPATCHER))
        r.add_post("/admin/customers/{id:\\d+}/message", self._form(self.customer_message, OWNER, DISPATCHER))
        r.add_get("/admin/reports", self._page(self.reports, OWNER))
        r.add_get("/admin/export", self._page(self.export, OWNER))

    # ------------------------------------------------------------ access
    def _page(self, handler: Page, *roles: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A GET page for signed-in users with one of `roles` (all roles when none given)."""
        @functools.wraps(handler)
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await auth.current_user(request, self.app)
            if user is None:
                raise web.HTTPSeeOther(f"/admin/login?next={request.rel_url.path}")
            if roles and user.role not in roles:
                return await self._render(request, user, "error.html", status=403, code="forbidden")
            return await handler(request, user)
        return wrapped

    def _form(self, handler: Page, *roles: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A POST: signed in, allowed, and carrying the session's CSRF token."""
        @functools.wraps(handler)
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await auth.current_user(request, self.app)
            if user is None:
                raise web.HTTPSeeOther("/admin/login")
            form = await request.post()
            request["form"] = form
            if not auth.csrf_ok(await get_session(request), form.get("csrf")):  # type: ignore[arg-type]
                return await self._render(request, user, "error.html", status=403, code="csrf")
            if roles and user.role not in roles:
                return await self._render(request, user, "error.html", status=403, code="forbidden")
            return await handler(request, user)
        return wrapped

    async def _render(self, request: web.Request, user: User | None, name: str, *, status: int = 200,
                      **ctx: Any) -> web.Response:
        session = await get_session(request)
        lang = pick_lang(request, session.get("lang"))
        if request.query.get("lang") in ("zh", "en"):
            session["lang"] = lang
        response = self.pages.render(name, lang, status=status, user=user, csrf=await auth.csrf_token(request),
                                     path=request.rel_url.path, **ctx)
        response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------ sign-in
    async def login_form(self, request: web.Request) -> web.Response:
        return await self._render(request, None, "login.html", error=None,
                                  next=_safe_next(request.query.get("next")))

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        session = await get_session(request)
        if not auth.csrf_ok(session, form.get("csrf")):  # type: ignore[arg-type]
            return await self._render(request, None, "login.html", status=403, error="csrf", next="/admin")
        client = client_address(request.remote, request.headers.getall("X-Forwarded-For", []),
                                self.app.settings.trusted_proxies)
        if self.failed_sign_ins.blocked(client):
            return await self._render(request, None, "login.html", status=429, error="too_many", next="/admin")
        user = await auth.sign_in(self.app, str(form.get("token") or ""))
        if user is None:
            self.failed_sign_ins.hit(client)
            return await self._render(request, None, "login.html", status=401, error="bad_token",
                                      next=_safe_next(str(form.get("next") or "")))
        await auth.start_session(request, user, pick_lang(request, session.get("lang")))
        raise web.HTTPSeeOther(_safe_next(str(form.get("next") or "")))

    async def logout(self, request: web.Request, user: User) -> web.StreamResponse:
        (await get_session(request)).invalidate()
        raise web.HTTPSeeOther("/admin/login")

    # ------------------------------------------------------------ board and orders
    async def board(self, request: web.Request, user: User) -> web.Response:
        view = request.query.get("view", "today")
        view = view if view in order_repo.BOARD_VIEWS else "today"
        search = request.query.get("q", "").strip()
        now = self.app.conversations.clock()
        async with self.app.db.sessions() as s:
            orders = await order_repo.board(s, view, today=now.astimezone(self.tz).date(), now=now,
                                            search=search or None,
                                            assignee_id=None if user.sees_all else user.id)
            waiting = await backoffice.people_waiting(s, now) if user.sees_all else []
            stamp = await backoffice.board_stamp(s)
        return await self._render(request, user, "board.html", orders=orders, view=view, q=search,
                                  views=order_repo.BOARD_VIEWS, waiting=waiting, stamp=stamp,
                                  refresh_ms=int(self.app.settings.board_refresh_seconds * 1000))

    async def board_stamp(self, request: web.Request, user: User) -> web.Response:
        """What `board.js` polls: the board's fingerprint (`backoffice.board_stamp`)."""
        async with self.app.db.sessions() as s:
            stamp = await backoffice.board_stamp(s)
        return web.json_response({"stamp": stamp}, headers={"Cache-Control": "no-store"})

    async def _visible_order(self, s: AsyncSession, order_id: int, user: User) -> Any:
        order = await order_repo.detail(s, order_id)
        if order is None or (not user.sees_all and order.assignee_id != user.id):
            return None  # another's order is as absent as a missing one
        return order

    async def order(self, request: web.Request, user: User) -> web.Response:
        order_id = int(request.match_info["id"])
        async with self.app.db.sessions() as s:
            order = await self._visible_order(s, order_id, user)
            if order is None:
                return await self._render(request, user, "error.html", status=404, code="not_found")
            log = await message_repo.after(s, order.customer_id, 0, limit=100) if user.sees_all else []
            staff = await staff_repo.active_members(s) if user.sees_all else []
            review = await review_repo.of_order(s, order.id)
            history = await backoffice.order_history(s, order, money=user.sees_money)
        local = order.start_at.astimezone(self.tz)
        # Whether an action's result may say the customer was told (templates/web/order.html).
        unreached = customer_repo.out_of_reach(order.customer.identities)
        return await self._render(request, user, "order.html", order=order, history=history, messages=log,
                                  staff=staff,
                                  review=review, unreached=unreached, result=request.query.get("result"),
                                  warn=request.query.get("warn"),
                                  ok=request.query.get("ok") == "1",
                                  start_date=local.date().isoformat(),
                                  start_time=order.time.strftime("%H:%M") if order.time else "")

    async def order_action(self, request: web.Request, user: User) -> web.StreamResponse:
        order_id, action = int(request.match_info["id"]), request.match_info["action"]
        form = request["form"]
        now = self.app.conversations.clock()
        catalog, tz = self.app.catalog, self.tz
        actor = f"staff:{user.id}" if user.staff_id else "admin"
        async with self.app.db.sessions.begin() as s:
            order = await self._visible_order(s, order_id, user)
            if order is None:
                return await self._render(request, user, "error.html", status=404, code="not_found")
            me = await s.get(Staff, user.id) if user.staff_id else None
            if action == "complete":
                result = await backoffice.complete(s, order_id, catalog, now, tz,
                                                   by=None if user.sees_all else me,
                                                   early=form.get("early") == "1")
            elif not user.sees_all:
                result = backoffice.Result(False, "forbidden")
            elif action == "assign":
                target = await s.get(Staff, _int(form.get("staff_id")))
                result = (await backoffice.assign(s, order_id, target, catalog, now, tz, actor=actor)
                          if target is not None and target.active else backoffice.Result(False, "no_staff"))
            elif action == "cancel":
                result = await backoffice.cancel(s, order_id, catalog, now, tz, actor=actor)
            else:
                time = str(form.get("time") or "").strip() or None
                result = await backoffice.reschedule(s, order_id, str(form.get("date") or ""), time,
                                                     catalog, now, tz, actor=actor)
            if result.ok:
                await self.app.conversations.publish_in_transaction(s, result.events, now)
            else:
                await s.rollback()
        if result.ok:
            await self.app.conversations.publish(result.events)
            self.app.worker.wake()
        warn = f"&warn={result.warning}" if result.ok and result.warning else ""
        raise web.HTTPSeeOther(f"/admin/orders/{order_id}?result={result.reason}&ok={int(result.ok)}{warn}")

    # ------------------------------------------------------------ customers
    async def customers(self, request: web.Request, user: User) -> web.Response:
        search, tag = request.query.get("q", "").strip(), request.query.get("tag", "").strip()
        async with self.app.db.sessions() as s:
            rows = await customer_repo.listing(s, search=search or None, tag=tag or None)
        return await self._render(request, user, "customers.html", rows=rows, q=search, tag=tag,
                                  known_tags=KNOWN_TAGS)

    async def customer(self, request: web.Request, user: User) -> web.Response:
        customer_id = int(request.match_info["id"])
        async with self.app.db.sessions() as s:
            customer = await s.get(Customer, customer_id)
            if customer is None:
                return await self._render(request, user, "error.html", status=404, code="not_found")
            orders = await order_repo.for_customer(s, customer_id, limit=100)
            idents = await customer_repo.identities_of(s, customer_id)
            log = await message_repo.after(s, customer_id, 0, limit=100)
        return await self._render(request, user, "customer.html", customer=customer, orders=orders,
                                  idents=idents, messages=log, known_tags=KNOWN_TAGS,
                                  waiting=backoffice.waits_for_person(customer, self.app.conversations.clock()),
                                  unreached=customer_repo.out_of_reach(idents), nonce=uuid.uuid4().hex,
                                  max_message=backoffice.MAX_MESSAGE, result=request.query.get("result"),
                                  ok=request.query.get("ok") == "1")

    async def customer_message(self, request: web.Request, user: User) -> web.StreamResponse:
        customer_id = int(request.match_info["id"])
        form = request["form"]
        nonce = str(form.get("nonce") or "") or uuid.uuid4().hex
        now = self.app.conversations.clock()
        async with self.app.db.sessions.begin() as s:
            result = await backoffice.message_customer(
                s, customer_id, str(form.get("text") or ""), now,
                sender=user.name if user.staff_id else None, key=f"{user.id}:{nonce}")
        if result.reason == "not_found":
            return await self._render(request, user, "error.html", status=404, code="not_found")
        if result.ok:
            self.app.worker.wake()
        raise web.HTTPSeeOther(f"/admin/customers/{customer_id}?result={result.reason}&ok={int(result.ok)}")

    async def customer_tags(self, request: web.Request, user: User) -> web.StreamResponse:
        customer_id = int(request.match_info["id"])
        form = request["form"]
        tags = [str(t) for t in form.getall("tag", [])] + str(form.get("other") or "").split(",")
        async with self.app.db.sessions.begin() as s:
            customer = await s.get(Customer, customer_id)
            if customer is None:
                return await self._render(request, user, "error.html", status=404, code="not_found")
            customer_repo.set_tags(customer, tags)
        raise web.HTTPSeeOther(f"/admin/customers/{customer_id}")

    # ------------------------------------------------------------ reports and exports
    def report_range(self, query: Any) -> tuple[dt.date, dt.date, str]:
        """(first day, last day, grouping) from `since`/`until`/`group`; ValueError when malformed."""
        today = self.app.conversations.clock().astimezone(self.tz).date()
        since = dt.date.fromisoformat(query["since"]) if query.get("since") else None
        until = dt.date.fromisoformat(query["until"]) if query.get("until") else None
        group = query.get("group") or "day"
        if group not in R.GROUPS:
            raise ValueError(f"group must be one of {', '.join(R.GROUPS)}")
        first, last = R.date_range(since, until, today)
        return first, last, group

    async def report_data(self, first: dt.date, last: dt.date, group: str, *, money: bool) -> dict[str, Any]:
        """The figures of the reports page and of `GET /api/reports` (one function: they agree)."""
        async with self.app.db.sessions() as s:
            orders = await order_repo.between(s, first, last)
            reviews = await review_repo.between(s, first, last)
            names = await staff_repo.names(s, R.claimers(orders))  # those who gave an order back too
        data = R.build(orders, tz=self.tz, group=group, money=money, names=names)
        data.update(since=first.isoformat(), until=last.isoformat(), reviews=R.review_list(reviews, self.tz))
        return data

    async def reports(self, request: web.Request, user: User) -> web.Response:
        try:
            first, last, group = self.report_range(request.query)
        except ValueError:
            return await self._render(request, user, "error.html", status=400, code="bad_range")
        data = await self.report_data(first, last, group, money=user.sees_money)
        return await self._render(request, user, "reports.html", data=data, groups=R.GROUPS)

    async def export(self, request: web.Request, user: User) -> web.StreamResponse:
        kind, fmt = request.query.get("kind", "orders"), request.query.get("format", "csv")
        if kind not in EXPORT_KINDS or fmt not in ("csv", "xlsx"):
            return await self._render(request, user, "error.html", status=400, code="bad_export")
        try:
            first, last, _ = self.report_range(request.query)
        except ValueError:
            return await self._render(request, user, "error.html", status=400, code="bad_range")
        async with self.app.db.sessions() as s:
            if kind == "orders":
                orders = await order_repo.between(s, first, last, with_customer=True)
                rows, columns = [order_row(o, self.tz, self.app.catalog.business) for o in orders], COLUMNS
            elif kind == "reviews":
                rows = [review_row(r, o, self.tz) for r, o in await review_repo.between(s, first, last)]
                columns = REVIEW_COLUMNS
            else:
                rows = [customer_row(c, n, d, self.tz) for c, n, d in
                        await customer_repo.listing(s, last_between=(first, last), limit=None)]
                columns = CUSTOMER_COLUMNS
        name = f"{kind}-{first.isoformat()}-{last.isoformat()}.{fmt}"
        # A year of orders is seconds of CPU for openpyxl: off the event loop.
        currency = self.app.catalog.business.currency  # money to its decimals
        if fmt == "csv":
            text = await asyncio.to_thread(functools.partial(to_csv, rows, columns, currency=currency))
            body: bytes = text.encode("utf-8-sig")  # the BOM makes Excel read UTF-8
            ctype = "text/csv"
        else:
            body = await asyncio.to_thread(functools.partial(to_xlsx, rows, columns, kind, currency=currency))
            ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return web.Response(body=body, headers={"Content-Type": ctype,
                                                "Content-Disposition": f'attachment; filename="{name}"'})


def _safe_next(value: str | None) -> str:
    """Only a path of this dashboard: never an open redirect to another site."""
    if value and value.startswith("/admin") and "//" not in value and "\\" not in value:
        return value
    return "/admin"


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return -1
