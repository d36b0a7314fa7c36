"""Dashboard sign-in, roles and CSRF.

Design (the simplest that is secure): nobody has a password. The owner signs
in with `JIEDAN_ADMIN_TOKEN`; every other account is a `Staff` row on channel
"web" made by `jiedan staff add NAME --role owner|dispatcher|staff`, which
prints a random 256-bit token once and stores only its SHA-256. The session
is an encrypted, authenticated cookie (aiohttp-session's
EncryptedCookieStorage: Fernet), HttpOnly, SameSite=Lax and Secure. Each
request re-reads the account, so deactivating it or changing its role takes
effect at once. Every form carries the session's CSRF token, compared in
constant time.

Roles: owner sees everything and money; dispatcher sees and runs all orders
but no money; staff see and complete only the orders assigned to them.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from aiohttp import web
from aiohttp_session import Session, get_session, new_session

from bot.app import App
from storage import staff as staff_repo
from storage.models import Staff

OWNER, DISPATCHER, STAFF = "owner", "dispatcher", "staff"
ADMIN_ID = 0  # the session user id of whoever signed in with JIEDAN_ADMIN_TOKEN
SESSION_HOURS = 12


@dataclass(frozen=True, slots=True)
class User:
    """Who is signed in, as the pages need it."""

    id: int            # Staff.id, or ADMIN_ID for the admin token
    name: str
    role: str

    @property
    def sees_money(self) -> bool:
        return self.role == OWNER

    @property
    def sees_all(self) -> bool:
        """Owner and dispatcher see every order; staff only their own."""
        return self.role in (OWNER, DISPATCHER)

    @property
    def staff_id(self) -> int | None:
        return self.id if self.id != ADMIN_ID else None


async def sign_in(app: App, token: str) -> User | None:
    """The user a token signs in as: the admin token, or a dashboard account's."""
    token = token.strip()
    if not token:
        return None
    admin = app.settings.admin_token
    if admin and hmac.compare_digest(token.encode(), admin.encode()):
        return User(ADMIN_ID, "admin", OWNER)
    async with app.db.sessions() as s:
        staff = await staff_repo.by_token(s, token)
    return User(staff.id, staff.name, staff.role) if staff is not None else None


async def start_session(request: web.Request, user: User, lang: str) -> None:
    """A fresh session (a new cookie, so a session fixed before sign-in is useless)."""
    session = await new_session(request)
    session["uid"], session["csrf"], session["lang"] = user.id, secrets.token_urlsafe(32), lang
    session.max_age = SESSION_HOURS * 3600


async def current_user(request: web.Request, app: App) -> User | None:
    """The signed-in user, re-checked against the database on every request."""
    session = await get_session(request)
    uid = session.get("uid")
    if uid is None:
        return None
    if uid == ADMIN_ID:
        return User(ADMIN_ID, "admin", OWNER) if app.settings.admin_token else None
    async with app.db.sessions() as s:
        staff = await s.get(Staff, int(uid))
    if staff is None or not staff.active or staff.role not in staff_repo.ROLES:
        return None
    return User(staff.id, staff.name, staff.role)


async def csrf_token(request: web.Request) -> str:
    """The session's CSRF token, made on first use (the sign-in form needs one too)."""
    session = await get_session(request)
    if not session.get("csrf"):
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def csrf_ok(session: Session, given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected).encode(), str(given).encode())

