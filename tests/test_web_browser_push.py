"""The web chat page's push in Chromium (see tests/test_multiproc.py for the rest).

Its own file: Playwright's sync API keeps an event loop running for the module's
browser, which async tests in the same module cannot share.
"""

from __future__ import annotations

from typing import Any

from tests import test_web_browser as in_browser
from tests.test_web_browser import ADMIN_TOKEN, WAIT_MS, _sign_in
from tests.test_web_browser import _book as _browser_book

server, browser = in_browser.server, in_browser.browser  # `jiedan serve` and Chromium, as there


def test_an_open_chat_page_waits_for_news_instead_of_polling(server: Any, browser: Any) -> None:
    """In Chromium: the idle page holds one request open rather than asking every 2 s, and a
    person's answer from the dashboard arrives as that request's answer, without a reload."""
    from playwright.sync_api import expect

    customer = browser.new_context(locale="zh-CN").new_page()
    asked: list[str] = []
    customer.on("request", lambda r: asked.append(r.url) if "/chat/messages" in r.url else None)
    customer.goto(server.base + "/chat")
    number = _browser_book(customer, "后天上午9点来做个日常保洁，地址朝阳区建国路88号，电话13712345678")
    customer.wait_for_timeout(1000)  # the page settles into its wait (events are seen meanwhile)
    before = len(asked)
    customer.wait_for_timeout(5000)  # polling every 2 s would ask twice or three times meanwhile
    assert len(asked) - before == 0, asked[before:]
    assert "wait=" in asked[-1]

    order = next(o for o in server.api("/api/orders") if o["number"] == number)
    admin = _sign_in(browser, server, ADMIN_TOKEN, locale="zh-CN")
    admin.goto(f"{server.base}/admin/customers/{order['customer_id']}")
    with customer.expect_response(lambda r: "/chat/messages" in r.url and "wait=" in r.url,
                                  timeout=WAIT_MS) as answered:
        admin.fill("#message-form textarea[name=text]", "师傅九点前到，请留门")
        admin.click("#message-form button[type=submit]")
    assert "师傅九点前到" in answered.value.text()
    expect(customer.locator(".bubble.out", has_text="师傅九点前到，请留门")).to_be_visible()

