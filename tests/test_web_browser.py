"""The web chat page and the dashboard in a real browser (Debian's headless Chromium).

`jiedan serve` runs as a user runs it; Playwright drives /usr/bin/chromium
(never a downloaded browser). Without Chromium these tests fail with the
command that installs it: a browser test that silently skipped would prove nothing.
Screenshots of the board and the reports page go to `artifacts/` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

JIEDAN = [sys.executable, "-m", "bot"]
CHROMIUM = os.environ.get("JIEDAN_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ADMIN_TOKEN = "browser-admin-token"
WAIT_MS = 20_000


class Server:
    def __init__(self, base: str, tokens: dict[str, str], proc: subprocess.Popen, log: Path) -> None:
        self.base, self.tokens, self.proc, self.log = base, tokens, proc, log

    def api(self, path: str) -> object:
        req = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`jiedan serve` on SQLite with the admin token and two staff accounts."""
    root = tmp_path_factory.mktemp("web")
    env = {**os.environ, "JIEDAN_DATABASE_URL": f"sqlite:///{root / 'jiedan.db'}",
           "JIEDAN_ADMIN_TOKEN": ADMIN_TOKEN,
           "JIEDAN_WEB_SECRET": "uhxqMES3C3waMwnnI4WzKbDio__7m1xsQh38Zs8XobE=",
           "JIEDAN_BOARD_REFRESH_SECONDS": "1"}
    for key in ("JIEDAN_REDIS_URL", "JIEDAN_TELEGRAM_TOKEN", "JIEDAN_WECHAT_TOKEN"):
        env.pop(key, None)
    tokens = {}
    for name in ("Li", "Wang"):
        out = subprocess.run(JIEDAN + ["staff", "add", name, "--role", "staff"], cwd=root, env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        tokens[name] = out.stdout.strip()
    log = root / "serve.log"
    with log.open("w") as err:
        proc = subprocess.Popen(JIEDAN + ["serve", "--port", "0"], cwd=root, env=env,
                                stdout=subprocess.PIPE, stderr=err, text=True)
    line = proc.stdout.readline()
    assert line.startswith("listening on http://127.0.0.1:"), line + log.read_text()
    yield Server(line.split()[-1], tokens, proc, log)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is needed at {CHROMIUM} for the browser tests: "
                    "run `make test` as root, or `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _sign_in(browser, server: Server, token: str, **context_args):  # noqa: ANN001, ANN202
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.goto(server.base + "/admin")
    assert "/admin/login" in page.url  # signed out: sent to sign in
    page.fill("input[name=token]", token)
    page.click("#login button[type=submit]")
    page.wait_for_url(re.compile(r"/admin$|/admin\?"))
    return page


def _book(customer, text: str) -> str:  # noqa: ANN001 - a Playwright page on /chat
    """Book in one message, press the summary's confirm button; returns the order number."""
    from playwright.sync_api import expect

    done = customer.locator(".bubble.out", has_text="预约成功")
    before = done.count()
    customer.fill("#text", text)
    customer.press("#text", "Enter")
    customer.get_by_role("button", name="确认下单").last.click(timeout=WAIT_MS)
    expect(done).to_have_count(before + 1, timeout=WAIT_MS)
    return re.search(r"\d{8}-\d{4}", done.last.inner_text()).group(0)


def test_book_in_chat_then_assign_from_the_dashboard_and_the_customer_is_told(server: Server, browser) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    # A customer books on the chat page (a phone-sized screen), pressing the quick reply.
    customer = browser.new_context(viewport={"width": 390, "height": 760}, locale="zh-CN").new_page()
    customer.goto(server.base + "/chat")
    number = _book(customer, "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")

    # The conversation survives a reload (cookie + the server's message log).
    customer.reload()
    expect(customer.locator(".bubble.out", has_text="预约成功")).to_be_visible(timeout=WAIT_MS)

    # The owner signs in with the admin token and sees the booking on the board.
    admin = _sign_in(browser, server, ADMIN_TOKEN, locale="en-US")
    admin.goto(server.base + "/admin?view=unassigned")
    row = admin.locator(f"tr[data-number='{number}']")
    expect(row).to_be_visible()
    admin.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
    admin.fill("input[name=q]", "13812345678")
    admin.click("form.search button")
    expect(admin.locator(f"tr[data-number='{number}']")).to_be_visible()

    # …assigns it to Li from the order's page…
    row.get_by_role("link", name=number).click() if row.count() else admin.click(f"text={number}")
    expect(admin.locator("#order-number")).to_have_text(number)
    admin.select_option("#assign-form select[name=staff_id]", label="Li (staff)")
    admin.click("#assign-form button[type=submit]")
    expect(admin.locator(".flash[data-result=done]")).to_be_visible()
    expect(admin.locator("#assignee")).to_have_text("Li")
    expect(admin.locator("#history li[data-kind=claim]")).to_have_count(1)
    order_url = admin.url.split("?")[0]

    # …and the customer is told on the chat page, as when staff claim in the group chat.
    expect(customer.locator(".bubble.out", has_text="Li")).to_be_visible(timeout=WAIT_MS)
    expect(customer.locator(".bubble.out", has_text=number).last).to_contain_text("师傅")
    expect(customer.locator(".bubble.out", has_text=number).last).to_contain_text("深度保洁")
    customer.screenshot(path=str(ARTIFACTS / "chat-phone.png"), full_page=True)

    # The reports page draws the same figures the API returns.
    admin.goto(server.base + "/admin/reports")
    admin.wait_for_function("() => window.Chart && Chart.getChart('chart-service')")
    chart = admin.evaluate("""() => { const c = Chart.getChart('chart-service');
        return {labels: c.data.labels, data: c.data.datasets[0].data}; }""")
    channels = admin.evaluate("() => Chart.getChart('chart-channel').data.datasets[0].data")
    hours = admin.evaluate("() => Chart.getChart('chart-hour').data.datasets[0].data")
    api = server.api("/api/reports")
    assert chart["data"] == [r["orders"] for r in api["by_service"]] == [1]
    assert chart["labels"] == ["Deep cleaning"]
    assert channels == [r["orders"] for r in api["by_channel"]] and api["by_channel"][0]["channel"] == "web"
    assert hours == api["by_hour"] and hours[15] == 1
    admin.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)

    # Staff see their own orders only, and no money.
    li = _sign_in(browser, server, server.tokens["Li"])
    li.goto(server.base + "/admin?view=all")
    expect(li.locator(f"tr[data-number='{number}']")).to_be_visible()
    li.set_viewport_size({"width": 390, "height": 760})  # the board on a phone: rows become cards
    li.screenshot(path=str(ARTIFACTS / "board-phone.png"), full_page=True)
    assert li.evaluate("() => document.documentElement.scrollWidth") <= 400
    li.goto(order_url)
    expect(li.locator("#order-number")).to_have_text(number)
    assert li.locator(".money").count() == 0
    wang = _sign_in(browser, server, server.tokens["Wang"])
    wang.goto(server.base + "/admin?view=all")
    expect(wang.locator("tr[data-number]")).to_have_count(0)
    response = wang.goto(order_url)
    assert response is not None and response.status == 404
    response = wang.goto(server.base + "/admin/reports")
    assert response is not None and response.status == 403
    assert wang.locator("a[href='/admin/reports']").count() == 0


def test_an_open_board_shows_a_new_order_by_itself(server: Server, browser) -> None:  # noqa: ANN001
    """A shop working from the dashboard alone sees a booking without reloading (board.js)."""
    from playwright.sync_api import expect

    admin = _sign_in(browser, server, ADMIN_TOKEN, locale="zh-CN")
    admin.goto(server.base + "/admin?view=all")
    admin.wait_for_load_state("load")
    customer = browser.new_context(locale="zh-CN").new_page()
    customer.goto(server.base + "/chat")
    number = _book(customer, "后天上午10点来通下水道，地址海淀区中关村大街27号，电话13912345678")
    expect(admin.locator(f"tr[data-number='{number}']")).to_be_visible(timeout=WAIT_MS)

    # Someone typing in the search box is not interrupted: the page says so instead.
    admin.fill("input[name=q]", "中关村")
    _book(customer, "大后天下午3点来开锁，地址海淀区中关村大街27号")
    expect(admin.locator("#board-changed")).to_be_visible(timeout=WAIT_MS)
    assert admin.input_value("input[name=q]") == "中关村"
