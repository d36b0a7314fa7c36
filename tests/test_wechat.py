"""The WeChat Official Account channel, end to end: callbacks signed (and encrypted) as
WeChat sends them, against the running aiohttp app, and a fake WeChat API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import re
import uuid
from typing import Any, AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from wechatpy.exceptions import WeChatClientException

from bot.wechat import WECHAT_KEY, WeChatCallback, menu_payload
from bot.wechat_client import WeChatSender, make_client, parse_templates, template_data
from bot.settings import Settings
from handlers.messages import Reply
from handlers.outbox import Address, Outgoing, RetryLater, Undeliverable, notify
from storage import jobs
from storage.models import ChannelIdentity, Customer, MessageLog, Order, ScheduledJob
from tests.conftest import REDIS_URL, Clock
from tests.fake_wechat import AES_KEY, APPID, SECRET, TOKEN, FakeWeChatAPI, WeChatUser
from tests.reminder_helpers import Sent, local, run_until
from tests.test_web import ADMIN, _sign_in

NUMBER = re.compile(r"\d{8}-\d{4}")
BOOKING = ["你好", "我想明天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678"]


class GatedNlu:
    """The real NLU behind a gate the test opens: makes "still processing" deterministic."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.gate, self.entered = inner, asyncio.Event(), 0

    async def parse_async(self, *args: Any, **kwargs: Any) -> Any:
        self.entered += 1
        await self.gate.wait()
        return await self.inner.parse_async(*args, **kwargs)


class Harness:
    def __init__(self, app: Any, client: TestClient, api: FakeWeChatAPI) -> None:
        self.app, self.client, self.api = app, client, api
        self.callback: WeChatCallback = client.server.app[WECHAT_KEY]

    def user(self, **kw: Any) -> WeChatUser:
        return WeChatUser(self.client, **kw)

    def gate(self) -> GatedNlu:
        gated = GatedNlu(self.app.conversations.nlu)
        self.app.conversations.nlu = gated
        return gated

    async def count(self, model: Any, *where: Any) -> int:
        async with self.app.db.sessions() as s:
            return (await s.execute(select(func.count()).select_from(model).where(*where))).scalar_one()

    async def orders(self) -> list[Order]:
        async with self.app.db.sessions() as s:
            return list((await s.execute(select(Order).order_by(Order.id))).scalars())


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeWeChatAPI]:
    api = await FakeWeChatAPI().start()
    yield api
    await api.close()


@pytest.fixture
async def wechat(make_app, fake_api: FakeWeChatAPI, serve_http) -> Any:
    async def start(**overrides: Any) -> Harness:
        settings: dict[str, Any] = dict(
            wechat_token=TOKEN, wechat_appid=APPID, wechat_secret=SECRET, wechat_aes_key=AES_KEY,
            wechat_api_base=fake_api.base, wechat_reply_deadline=4.5)
        app = await make_app(**(settings | overrides))
        return Harness(app, await serve_http(app), fake_api)

    return start


# ----------------------------------------------------------------- booking
async def _text(h: Harness, answer: Any) -> str:
    """The answer's text: its passive reply, or, where a loaded machine made the turn miss the
    deadline, the customer-service message it became (the answer is late, never lost)."""
    assert answer.status == 200, answer
    if answer.text:
        return answer.text
    await h.callback.inflight.drain()
    assert await h.app.worker.run_once() == 1, "a late answer goes out through the API"
    return h.api.sent("message/custom/send")[-1]["text"]["content"]


@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe-mode"])
async def test_a_full_booking_by_passive_replies(wechat, safe: bool) -> None:
    h = await wechat()
    user = h.user(safe=safe)
    answers = [await user.say(line) for line in BOOKING]
    texts = [await _text(h, a) for a in answers]
    assert "预约" in texts[0] and "地址" in texts[1] and "电话" in texts[2]
    assert "[1] 确认下单  [2] 修改  [3] 取消" in texts[3], "choices become numbered options"
    done = await user.say("1")
    answers.append(done)
    [order] = await h.orders()
    assert (order.status, order.channel, order.address, order.phone) == (
        "confirmed", "wechat", "朝阳区望京SOHO T1 1203", "13812345678")
    assert order.number in await _text(h, done) and NUMBER.fullmatch(order.number)
    late = sum(1 for a in answers if not a.text)  # none on a quiet machine
    assert len(h.api.sent("message/custom/send")) == late, "every answer in time went back passively"


async def test_confirming_by_word_in_safe_mode(wechat) -> None:
    h = await wechat()
    user = h.user(safe=True)
    for line in BOOKING:
        await user.say(line)
    assert NUMBER.search((await user.say("确认")).text)
    assert [o.status for o in await h.orders()] == ["confirmed"]


# ----------------------------------------------------------------- retries and the 5-second rule
async def test_three_deliveries_of_one_message_book_once_and_answer_once(wechat) -> None:
    h = await wechat()
    user = h.user()
    for line in BOOKING:
        await user.say(line)
    gated = h.gate()
    confirm = user.text("确认")
    dedupe = re.search(r"<MsgId>(\d+)</MsgId>", confirm).group(1)
    tries = []
    for n in range(1, 4):  # WeChat retries while the first delivery is still being processed
        tries.append(asyncio.create_task(user.post(confirm)))
        while h.callback.inflight.deliveries(dedupe) < n:
            await asyncio.sleep(0.005)
        while gated.entered < 1:  # on a loaded machine the first turn reaches the NLU late
            await asyncio.sleep(0.005)
    assert gated.entered == 1, "one processing"
    gated.gate.set()
    answers = await asyncio.gather(*tries)
    assert [a.success for a in answers] == [True, True, False], "the newest delivery carries the answer"
    assert NUMBER.search(answers[2].text)
    again = await user.post(confirm)  # WeChat only retries when our answer did not reach it
    assert again.text == answers[2].text
    assert [o.status for o in await h.orders()] == ["confirmed"]
    assert await h.count(MessageLog, MessageLog.direction == "in", MessageLog.text == "确认") == 1
    assert h.api.calls == []


async def test_a_slow_answer_goes_out_through_the_customer_service_api_once(wechat, clock: Clock) -> None:
    h = await wechat(wechat_reply_deadline=0.05)
    user = h.user()
    gated = h.gate()
    hello = user.text("你好")
    assert (await user.post(hello)).success, "success at once when the answer is not ready"
    assert (await user.post(hello)).success, "a retry while it is still running waits, then says success"
    gated.gate.set()
    await h.callback.inflight.drain()
    assert (await user.post(hello)).success, "a retry after a late answer is not answered again"
    assert await h.app.worker.run_once() == 1
    [sent] = h.api.sent("message/custom/send")
    assert sent["touser"] == user.openid and sent["msgtype"] == "text"
    assert "预约" in sent["text"]["content"]
    assert await h.app.worker.run_once() == 0
    assert await h.count(MessageLog, MessageLog.direction == "out") == 1, "logged once, by the turn"


# ----------------------------------------------------------------- signatures and hostile input
async def test_the_url_check_echoes_only_to_a_correct_signature(wechat) -> None:
    h = await wechat()
    from tests.fake_wechat import sign
    good = {"signature": sign(TOKEN, "1764000000", "42"), "timestamp": "1764000000", "nonce": "42",
            "echostr": "8467103012345"}
    resp = await h.client.get("/wechat", params=good)
    assert resp.status == 200 and await resp.text() == "8467103012345"
    resp = await h.client.get("/wechat", params=good | {"signature": "0" * 40})
    assert resp.status == 403
    assert (await h.client.get("/wechat", params={"echostr": "1"})).status == 403


async def test_forged_or_missing_signatures_are_refused_and_nothing_is_processed(wechat) -> None:
    h = await wechat()
    plain, safe = h.user(), h.user(safe=True)
    assert (await plain.post(plain.text("你好"), forge=True)).status == 403
    assert (await safe.post(safe.text("你好"), forge=True)).status == 403
    forger = h.user(token="guessed-token")
    assert (await forger.post(forger.text("你好"))).status == 403
    unsigned = await h.client.post("/wechat", data=plain.text("你好").encode())
    assert unsigned.status == 403
    # a correct outer signature but an encrypted body signed with another token
    stranger = h.user(safe=True)
    stranger.crypto = type(stranger.crypto)("other-token", AES_KEY, APPID)
    assert (await stranger.post(stranger.text("你好"))).status == 403
    assert await h.count(Customer) == 0 and await h.count(MessageLog) == 0


BOMB = """<?xml version="1.0"?>
<!DOCTYPE xml [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<xml><ToUserName>gh_x</ToUserName><FromUserName>oBomb</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&h;</Content><MsgId>1</MsgId></xml>"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh_x</ToUserName><FromUserName>oXxe</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&secret;</Content><MsgId>2</MsgId></xml>"""


@pytest.mark.parametrize("safe", [False, True], ids=["plaintext", "safe-mode"])
async def test_xml_bombs_external_entities_and_garbage_are_rejected(wechat, safe: bool) -> None:
    h = await wechat()
    user = h.user(safe=safe)
    for hostile in (BOMB, EXTERNAL):
        answer = await user.post(hostile)
        assert answer.status == 400 and "root:" not in answer.body and "aaaa" not in answer.body
    for garbage in ("<xml><MsgType>text", "not xml at all", "<xml><MsgType>text</MsgType></xml>",
                    '{"MsgType": "text"}', user.text("hi").replace("6000000", "x6000000")):
        assert (await user.post(garbage)).status == 400, garbage
    assert (await user.post("", raw=b"<xml>" + b"a" * 70_000 + b"</xml>")).status == 413
    assert (await user.post("", raw=b"\xff\xfe<xml/>")).status == 400
    assert await h.count(MessageLog) == 0
    assert (await user.say("你好")).text, "and the next real message is answered"


async def test_signed_but_undecryptable_safe_mode_bodies_are_400(wechat) -> None:
    h = await wechat()
    user = h.user(safe=True)
    for encrypt in ("", "abc", base64.b64encode(bytes(32)).decode(), base64.b64encode(bytes(33)).decode()):
        assert (await user.post_sealed(encrypt)).status == 400, encrypt
    assert await h.count(MessageLog) == 0


# ----------------------------------------------------------------- message kinds and events
async def test_voice_location_media_and_menu_events(wechat) -> None:
    h = await wechat()
    user = h.user()
    subscribe = user.event("subscribe")
    welcome = await user.post(subscribe)
    assert "感谢关注" in welcome.text and "我可以帮您" in welcome.text
    assert (await user.post(subscribe)).text == welcome.text, "an event retry is the same event"
    assert "地址" in (await user.post(user.message(
        "voice", MediaId="m1", Format="amr", Recognition="我想明天下午3点做个深度保洁"))).text
    located = await user.post(user.message(
        "location", Location_X="39.99", Location_Y="116.47", Scale=15, Label="北京市朝阳区望京SOHO塔1"))
    assert "电话" in located.text
    photo = await user.post(user.message("image", PicUrl="http://x/y.jpg", MediaId="m2"))
    assert "文字" in photo.text
    summary = await user.say("13812345678")
    assert "北京市朝阳区望京SOHO塔1" in summary.text
    await user.say("1")
    [order] = await h.orders()
    assert order.number in (await user.post(user.event("CLICK", "my_orders"))).text
    assert "我可以帮您" in (await user.post(user.event("CLICK", "help"))).text
    assert "直接告诉我" in (await user.post(user.event("CLICK", "book"))).text
    assert (await user.post(user.event("unsubscribe"))).success
    assert (await user.post(user.event("TEMPLATESENDJOBFINISH"))).success
    assert (await user.post(user.event("SomethingNew"))).success
    assert (order.status, order.address) == ("confirmed", "北京市朝阳区望京SOHO塔1")


# ----------------------------------------------------------------- unfollowing and coming back
async def _identity(h: Harness) -> ChannelIdentity:
    async with h.app.db.sessions() as s:
        return (await s.execute(select(ChannelIdentity))).scalar_one()


async def _admin_page(h: Harness, path: str) -> str:
    resp = await h.client.get(path)
    assert resp.status == 200
    return await resp.text()


async def test_an_unfollower_gets_nothing_until_they_follow_again(wechat, clock: Clock) -> None:
    h = await wechat(admin_token=ADMIN, web_cookie_secure=False)
    staff = Sent(clock)
    h.app.worker.set_staff_sender(staff)
    user = h.user()
    for line in ["你好", "我想后天下午3点做个深度保洁", "朝阳区望京SOHO T1 1203", "13812345678", "1"]:
        await user.say(line)  # Thursday 26th 15:00: reminders on the 25th 15:00 and the 26th 13:00
    [order] = await h.orders()

    unsubscribe = user.event("unsubscribe")
    assert (await user.post(unsubscribe)).success, "no answer: WeChat could not deliver one"
    ident = await _identity(h)
    assert (ident.unreachable_reason, ident.unreachable_since) == ("unsubscribed", clock.now)
    await h.app.worker.run_once()
    [(_, to, alert)] = staff.staff
    assert to.is_group and alert.template == "staff_customer_unreachable"
    assert order.number in alert.reply.text and "取消关注" in alert.reply.text

    await run_until(h.app, clock, local(25, 15))
    assert h.api.calls == [], "the due reminder was not even tried: no token, no send"
    assert [m.template for _, _, m in staff.staff][-1] == "staff_escalation", "staff jobs still go out"
    async with h.app.db.sessions() as s:
        reminder = (await s.execute(select(ScheduledJob).where(
            ScheduledJob.kind == "remind_customer", ScheduledJob.status != jobs.PENDING))).scalar_one()
    assert reminder.status == jobs.SKIPPED and "unsubscribed" in reminder.last_error
    assert (await user.post(unsubscribe)).success, "WeChat's retry of the same event"
    assert (await _identity(h)).unreachable_since == ident.unreachable_since

    await _sign_in(h.client, ADMIN)  # staff see it wherever the customer shows
    for path in ("/admin?view=all", f"/admin/orders/{order.id}", "/admin/customers",
                 f"/admin/customers/{order.customer_id}"):
        page = await _admin_page(h, path)
        assert 'class="unreachable" data-reason="unsubscribed"' in page and "请电话联系" in page, path
        assert "13812345678" in page or "customers" in path, "the phone is still there"
    assert "Unfollowed us" in await _admin_page(h, f"/admin/orders/{order.id}?lang=en")

    clock.now = local(25, 16)
    assert "感谢关注" in (await user.post(user.event("subscribe"))).text
    assert (await _identity(h)).unreachable_since is None
    assert "unreachable" not in await _admin_page(h, f"/admin/orders/{order.id}")
    await run_until(h.app, clock, local(26, 13))
    [reminded] = h.api.sent("message/custom/send")
    assert reminded["touser"] == user.openid and order.number in reminded["text"]["content"]
    assert (await h.orders())[0].status == "confirmed", "the order itself never changed"


def test_menu_keys() -> None:
    assert [menu_payload(k) for k in ("book", "BOOK", "my orders", "my_orders", "My-Orders", "help", "?")] == [
        "greet", "greet", "status", "status", "status", "help", "help"]


# ----------------------------------------------------------------- messages the service starts
async def test_inside_the_window_a_customer_service_message_outside_a_template(wechat, clock: Clock) -> None:
    h = await wechat(wechat_templates={"default": "TPL-DEFAULT", "help": {
        "id": "TPL-HELP", "fields": {"first": "text", "keyword1": "number"}}})
    user = h.user()
    await user.say("你好")
    async with h.app.db.sessions() as s:
        cid = (await s.execute(select(Customer.id))).scalar_one()

    async def queue(template: str, key: str, **data: Any) -> None:
        async with h.app.db.sessions.begin() as s:
            await notify(s, customer_id=cid, template=template, key=key, data=data, due_at=clock.now)

    await queue("help", "k-in")
    assert await h.app.worker.run_once() == 1
    [cs] = h.api.sent("message/custom/send")
    assert cs["touser"] == user.openid and "我可以帮您" in cs["text"]["content"]

    clock.advance(hours=49)
    await queue("help", "k-out", number="20261125-0001")
    await queue("greet", "k-default", returning=False)
    assert await h.app.worker.run_once() == 2
    t_help, t_default = h.api.sent("message/template/send")
    assert (t_help["touser"], t_help["template_id"], t_help["client_msg_id"]) == (user.openid, "TPL-HELP", "k-out")
    assert "我可以帮您" in t_help["data"]["first"]["value"]
    assert t_help["data"]["keyword1"] == {"value": "20261125-0001"}
    assert (t_default["template_id"], t_default["client_msg_id"]) == ("TPL-DEFAULT", "k-default")
    assert len(h.api.sent("message/custom/send")) == 1
    async with h.app.db.sessions() as s:
        statuses = (await s.execute(select(ScheduledJob.status))).scalars().all()
    assert statuses == [jobs.DONE] * 3


def _sender(h: Harness, templates: dict[str, Any] | None = None) -> WeChatSender:
    return WeChatSender(make_client(h.app.settings), parse_templates(templates or {}), h.app.worker.clock)


def _out(template: str = "help", key: str = "k1") -> Outgoing:
    return Outgoing(reply=Reply("您的订单已确认"), template=template, data={}, lang="zh", key=key)


async def test_an_expired_token_is_refreshed_once(wechat, clock: Clock) -> None:
    h = await wechat()
    sender = _sender(h)
    to = Address("wechat", "oUser", last_inbound_at=clock.now)
    await sender.send(to, _out())
    h.api.expire_token()
    await sender.send(to, _out(key="k2"))
    assert [p for p, _ in h.api.calls] == ["token", "message/custom/send", "token", "message/custom/send"]
    h.api.errors = [(40001, "invalid credential"), (40001, "invalid credential")]
    with pytest.raises(WeChatClientException):
        await sender.send(to, _out(key="k3"))
    assert [p for p, _ in h.api.calls].count("token") == 3, "one refresh, not a loop"


async def test_api_errors_map_to_retry_give_up_or_fall_back(wechat, clock: Clock) -> None:
    h = await wechat()
    to = Address("wechat", "oUser", last_inbound_at=clock.now)
    sender = _sender(h, {"default": "TPL"})
    h.api.errors = [(45015, "response out of time limit")]
    assert await sender.send(to, _out()) is not None, "window closed early: the template goes instead"
    assert len(h.api.sent("message/template/send")) == 1
    h.api.errors = [(45009, "api freq out of limit")]
    with pytest.raises(RetryLater):
        await sender.send(to, _out())
    h.api.errors = [(43004, "require subscribe")]
    with pytest.raises(Undeliverable):
        await sender.send(to, _out())
    with pytest.raises(Undeliverable, match="no template"):
        await _sender(h).send(Address("wechat", "oUser", last_inbound_at=None), _out())


async def test_the_access_token_is_shared_through_redis(wechat, fake_api: FakeWeChatAPI) -> None:
    await wechat()
    settings = Settings(_env_file=None, redis_url=REDIS_URL, wechat_appid=APPID, wechat_secret=SECRET,
                        wechat_api_base=fake_api.base)
    prefix = f"jiedan-test:{uuid.uuid4().hex}"
    first, second = make_client(settings, redis_prefix=prefix), make_client(settings, redis_prefix=prefix)
    try:
        assert await asyncio.to_thread(lambda: first.access_token) == "TOKEN-1"
        assert await asyncio.to_thread(lambda: second.access_token) == "TOKEN-1"
        assert fake_api.tokens_issued == 1
        # Both were refused TOKEN-1; the first fetches a new one, the second takes it.
        await asyncio.to_thread(first.fetch_access_token)

        def refused_then_refresh() -> None:  # as wechatpy does after a 40001 on TOKEN-1
            second._retrying.token = "TOKEN-1"
            second.fetch_access_token()

        await asyncio.to_thread(refused_then_refresh)
        assert fake_api.tokens_issued == 2
        assert await asyncio.to_thread(lambda: second.access_token) == "TOKEN-2"
    finally:
        first.session.delete(first.access_token_key)


def test_template_data_defaults_and_mapping() -> None:
    out = Outgoing(reply=Reply("x" * 500), template="t", data={"number": "N1", "order": {"id": 1}, "n": 2},
                   lang="zh", key="k")
    [plain] = parse_templates({"t": "TPL"}).values()
    assert template_data(plain, out) == {"number": {"value": "N1"}, "n": {"value": "2"},
                                         "first": {"value": "x" * 200}}
    [mapped] = parse_templates({"t": {"id": "TPL", "fields": {"thing1": "number", "remark": "missing"}}}).values()
    assert template_data(mapped, out) == {"thing1": {"value": "N1"}, "remark": {"value": ""}}


def test_settings_reject_a_malformed_aes_key_and_templates() -> None:
    from pydantic import ValidationError
    with pytest.raises(ValidationError, match="EncodingAESKey"):
        Settings(_env_file=None, wechat_aes_key="short")
    with pytest.raises(ValidationError, match="template id"):
        Settings(_env_file=None, wechat_templates={"default": 42})
    assert Settings(_env_file=None, wechat_aes_key=" ").wechat_aes_key is None


async def test_a_retry_waiting_when_a_timed_out_answer_is_ready_carries_it() -> None:
    """The first delivery said `success` at its deadline; WeChat never got that and retried:
    the retry is waiting when the answer is ready, so it answers, and nothing goes out late."""
    from bot.wechat import InFlight

    ready, late = asyncio.Event(), []

    async def work() -> list[Reply]:
        await ready.wait()
        return [Reply("好的")]

    async def send_late(replies: list[Reply]) -> None:
        late.append(replies)

    flight = InFlight()
    assert await flight.answer("m1", work, 0.01, send_late) is None
    retry = asyncio.create_task(flight.answer("m1", work, 4.0, send_late))
    while flight.deliveries("m1") < 2:
        await asyncio.sleep(0.001)
    ready.set()
    assert await retry == [Reply("好的")]
    await flight.drain()
    assert late == [] and await flight.answer("m1", work, 0.01, send_late) == [Reply("好的")]
