"""What every JSON endpoint shares: readable UTF-8 JSON, counted errors, and the
admin bearer-token check (`/api/orders`, `/api/reports`)."""

from __future__ import annotations

import hmac
import json
from typing import Any

from aiohttp import web

from bot.metrics import HTTP_ERRORS


def dumps(obj: Any) -> str:
    """Chinese stays Chinese in our JSON (names, addresses, messages)."""
    return json.dumps(obj, ensure_ascii=False)


def json_ok(obj: Any, **kwargs: Any) -> web.Response:
    return web.json_response(obj, dumps=dumps, **kwargs)


def api_error(status: int, message: str, path: str) -> web.Response:
    HTTP_ERRORS.labels(path=path, status=str(status)).inc()
    return web.json_response({"error": message}, status=status)


def bearer_ok(request: web.Request, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    # aiohttp keeps undecodable header bytes as surrogates: encode them back, never raise on them
    given_bytes = given.strip().encode("utf-8", "surrogateescape")
    return scheme.lower() == "bearer" and hmac.compare_digest(given_bytes, token.encode())


def admin_denied(request: web.Request, token: str | None, path: str) -> web.Response | None:
    """The refusal for an admin API call, or None when it may go on."""
    if not token:
        return api_error(403, "the admin API is disabled: set JIEDAN_ADMIN_TOKEN", path)
    if not bearer_ok(request, token):
        return api_error(401, "missing or wrong bearer token", path)
    return None
