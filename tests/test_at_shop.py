"""Services done at the business's own place (catalog `business.address` and `at_shop`).

Before, every booking asked the customer's address: a salon's "周六下午两点做美甲" was asked
"请问服务地址是？", and the summary, the confirmation and the reminders showed whatever
was typed as where the visit was. Now a service done at the shop asks no address, the
order keeps the shop's (so the staff, the dashboard and the exports show where it is), and
the customer reads "到店地址：…" / "At our place: …"; a home visit of the same business
is asked and offered its address as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers import staff as staff_logic
from handlers.slots import next_missing
from storage import export
from storage import orders as order_repo
from storage.catalog import CatalogError, demo_catalog, parse_catalog
from tests.conftest import Clock
from tests.reminder_helpers import run_until, wire
from tests.test_dialogue import Customer, all_orders

SHOP_ZH = "朝阳区建国路88号3层305"
SHOP_EN = "Room 305, 88 Jianguo Rd"
HOME = "海淀区上地东里5号楼2单元301"

SALON = f"""
business:
  name: {{zh: 小美美甲, en: Xiaomei Nails}}
  address: {{zh: {SHOP_ZH}, en: "{SHOP_EN}"}}
  at_shop: true
services:
  - {{id: manicure, name: {{zh: 美甲, en: Manicure}}, synonyms: [做指甲, nails], price: 168}}
  - {{id: bridal_makeup, name: {{zh: 新娘跟妆, en: Bridal make-up}}, synonyms: [跟妆], price: 1280, at_shop: false}}
"""


async def _app_with(make_app, tmp_path: Path, catalog: str, **settings: object):  # noqa: ANN001, ANN202
    """An app serving `catalog` (YAML text), as JIEDAN_CATALOG would."""
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog, encoding="utf-8")
    return await make_app(catalog=str(path), **settings)


async def _salon(make_app, tmp_path: Path):  # noqa: ANN001, ANN202
    return await _app_with(make_app, tmp_path, SALON)


async def _booked_manicure(app) -> Customer:  # noqa: ANN001
    """A customer of `app` with Saturday's 14:00 manicure booked and confirmed."""
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    assert "预约成功" in await c.say("确认")
    return c


# ----- the catalog -------------------------------------------------------------------


def test_the_business_default_and_a_service_of_its_own() -> None:
    c = parse_catalog(SALON)
    assert c.at_shop("manicure") and not c.at_shop("bridal_makeup")
    assert c.shop_services() == {"manicure"}
    assert c.business.address_in("en") == SHOP_EN and c.business.address_in("fr") == SHOP_ZH
    mostly_out = parse_catalog("""
business: {name: 小王家政, address: 朝阳区建国路88号}
services:
  - {id: cleaning, name: {zh: 保洁}}
  - {id: key_copy, name: {zh: 配钥匙}, at_shop: true}
""")
    assert mostly_out.shop_services() == {"key_copy"}, "a service's own at_shop beats the default (false)"
    assert mostly_out.business.address_in("en") == "朝阳区建国路88号", "one string serves every language"
    assert not demo_catalog().shop_services() and demo_catalog().business.address is None


@pytest.mark.parametrize(("yaml_text", "says"), [
    ("business: {name: B}\nservices: [{id: nails, name: {zh: 美甲}, at_shop: true}]",
     "services done at the shop (nails) need the business address"),
    ("business: {name: B, at_shop: true}\nservices: [{id: nails, name: {zh: 美甲}}]",
     "services done at the shop (nails) need the business address"),
    ('business: {name: B, address: "  "}\nservices: [{id: nails, name: {zh: 美甲}}]',
     "the business address is blank"),
    ("business: {name: B, address: X路1号}\n"
     "services: [{id: moving, name: {zh: 搬家}, needs_destination: true, at_shop: true}]",
     "a move cannot be done at the shop (moving)"),
])
def test_a_wrong_shop_setting_says_what_to_write(yaml_text: str, says: str) -> None:
    with pytest.raises(CatalogError, match=r"shop\.yaml") as e:
        parse_catalog(yaml_text, "shop.yaml")
    assert says in str(e.value), str(e.value)


def test_no_address_is_missing_at_the_shop() -> None:
    draft = {"service": "manicure", "date": "2026-11-28", "time": "14:00"}
    assert next_missing(draft) == "address"
    assert next_missing(draft, at_shop=True) == "phone"
    assert next_missing({**draft, "phone": "13812345678"}, at_shop=True) is None


# ----- booking -----------------------------------------------------------------------


async def test_a_manicure_is_booked_without_an_address(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    summary = await c.say("周六下午两点做美甲，13812345678")
    assert "请核对订单" in summary and f"· 到店地址：{SHOP_ZH}" in summary, summary
    assert "服务地址" not in summary and "· 地址" not in summary
    confirmed = await c.say("确认")
    assert f"11月28日（周六）14:00，到店地址：{SHOP_ZH}。" in confirmed, confirmed
    [order] = await all_orders(app)
    assert (order.status, order.service_id, order.address) == ("confirmed", "manicure", SHOP_ZH)
    assert f"到店地址：{SHOP_ZH}" in await c.say("我的订单")


async def test_an_address_said_anyway_is_neither_asked_nor_kept(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app, user="e1", lang="en")
    summary = await c.say("Manicure on Saturday at 3pm, my address is 5 Baker Street, phone 13812345678")
    assert f"· At our place: {SHOP_EN}" in summary and "Baker" not in summary, summary
    assert f"No address needed for manicure: you come to us, at {SHOP_EN}." in summary, "said why it is not there"
    assert "address" not in [ch.label.lower() for ch in c.last.choices]
    changes = await c.say("change")
    assert "Address" not in changes and "address" not in str([ch.payload for ch in c.last.choices]), changes
    await c.say("", payload="change:time")
    await c.say("4pm")
    confirmed = await c.say("yes")
    assert f"at our place: {SHOP_EN}." in confirmed and "Baker" not in confirmed, confirmed
    [order] = await all_orders(app)
    # kept in the business's language (shown in the reader's): one place, one spelling in exports
    assert (order.address, order.at_shop, order.time) == (SHOP_ZH, True, dt.time(16, 0))
    assert "Baker" not in (order.notes or "")


async def test_a_new_address_at_the_summary_is_answered_not_taken(make_app, tmp_path: Path) -> None:
    """Before, the summary came back unchanged with no word about the address said."""
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    await c.say("周六下午两点做美甲，13812345678")
    answer = await c.say(f"地址改成{HOME}")
    assert f"美甲是到店服务，不用您的地址，到店地址：{SHOP_ZH}。" in answer and HOME not in answer, answer
    assert f"· 到店地址：{SHOP_ZH}" in answer
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.address == SHOP_ZH


async def test_booking_a_shop_visit_again_carries_no_address(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    again = await c.say("再约一次，下周六下午两点")
    assert f"· 到店地址：{SHOP_ZH}" in again and "不用您的地址" not in again, again


async def test_a_home_visit_of_the_same_salon_still_asks_where(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    asked = await c.say("周六上午10点新娘跟妆")
    assert "请问服务地址是" in asked
    await c.say(HOME)
    summary = await c.say("13812345678")
    assert f"· 地址：{HOME}" in summary and "到店" not in summary, summary


async def test_a_shop_visit_in_between_keeps_the_home_address_on_offer(make_app, tmp_path: Path) -> None:
    """Home visit first, then a manicure later in time (the latest booked order): a new
    home visit is offered the home address, never the shop's."""
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    await c.say(f"周六上午10点新娘跟妆，{HOME}，13812345678")
    assert "预约成功" in await c.say("确认")
    await c.say("下周五下午两点做美甲")
    assert "到店地址" in await c.say("确认")
    offered = await c.say("12月20号上午10点新娘跟妆")
    assert f"上次是“{HOME}”" in offered and SHOP_ZH not in offered, offered
    other = Customer(app, user="u1")  # the same customer, saying it in so many words
    await other.say("算了")
    summary = await other.say("12月21号上午10点新娘跟妆，地址跟上次一样")
    assert f"· 地址：{HOME}" in summary, summary


async def test_only_shop_visits_before_means_no_address_to_offer(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    asked = await c.say("12月20号上午10点新娘跟妆")
    assert "请问服务地址是" in asked and "上次" not in asked and SHOP_ZH not in asked, asked


# ----- reminders, staff, exports ----------------------------------------------------------


@pytest.mark.parametrize(("lang", "text", "says", "not_says"), [
    ("zh", "后天下午三点做美甲，13812345678", f"将于明天 11月26日（周四）15:00开始。\n到店地址：{SHOP_ZH}", "上门"),
    ("en", "manicure on Thursday at 3pm, 13812345678", f"At our place: {SHOP_EN}, order", "Address"),
])
async def test_reminders_say_where_to_come(make_app, clock: Clock, tmp_path: Path, lang: str, text: str,
                                          says: str, not_says: str) -> None:
    app = await _salon(make_app, tmp_path)
    sent = wire(app, clock)
    c = Customer(app, lang=lang)
    await c.say(text)
    await c.say("", payload="affirm")
    [order] = await all_orders(app)
    await run_until(app, clock, order.start_at - dt.timedelta(hours=24))
    [reminder] = [m.reply.text for _, _, m in sent.customer if m.template == "reminder"]
    assert says in reminder and not_says not in reminder, reminder


async def test_staff_card_and_export_show_the_shop(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    await c.say("周六下午两点做美甲，王女士，13812345678")
    await c.say("确认")
    await c.say(f"下周一上午10点新娘跟妆，{HOME}")
    await c.say("确认")
    tz = ZoneInfo(app.timezone)
    async with app.db.sessions() as s:
        order, home = await order_repo.listing(s)
        card = app.worker.renderer.text("staff_card", "zh", **staff_logic.card_data(order, tz))
        card_en = app.worker.renderer.text("staff_card", "en", **staff_logic.card_data(order, tz))
        home_card = app.worker.renderer.text("staff_card", "zh", **staff_logic.card_data(home, tz))
        row = export.order_row(order)
    assert "· 地址：海淀区上地东里*号楼*单元***" in home_card, "a customer's home stays masked"
    assert f"· 到店地址：{SHOP_ZH}" in card and "· 地址" not in card and "美甲" in card, "the shop's is no secret"
    assert "138****5678" in card and "13812345678" not in card, "the customer's phone still is"
    assert f"· At our place: {SHOP_EN}" in card_en, card_en  # ours as the catalog writes it in English
    assert row["address"] == SHOP_ZH and row["service"] == "manicure"
    assert SHOP_ZH in export.to_csv([row])


# ----- after booking ------------------------------------------------------------------


async def test_a_new_address_for_a_shop_visit_is_answered_where_to_come(make_app, tmp_path: Path) -> None:
    """Before, "地址改成…" after booking a manicure replaced the shop's address with the
    customer's, and the order read "到店地址：<their home>"."""
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    answer = await c.say(f"地址改成{HOME}")
    assert f"是到店服务，不用填您的地址，到时请到：{SHOP_ZH}" in answer and "转人工" in answer, answer
    assert "确定修改吗" not in answer
    [order] = await all_orders(app)
    assert order.address == SHOP_ZH
    en = Customer(app, user="e1", lang="en")
    await en.say("Manicure on Saturday at 3pm, 13812345678")
    await en.say("yes")
    assert f"at our place, so it needs no address of yours: please come to {SHOP_EN}" \
        in await en.say("change my address to 5 Baker Street")


async def test_a_new_address_goes_to_the_home_visit_beside_a_shop_visit(make_app, tmp_path: Path) -> None:
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    await c.say(f"下周一上午10点新娘跟妆，{HOME}")
    await c.say("确认")
    asked = await c.say("地址改成海淀区上地东里6号楼")
    assert f"地址：{HOME} → 海淀区上地东里6号楼" in asked and "哪个订单" not in asked, asked
    await c.say("确认修改")
    manicure, bridal = await all_orders(app)
    assert manicure.address == SHOP_ZH and bridal.address == "海淀区上地东里6号楼"


async def test_a_home_service_added_to_a_shop_visit_asks_where(make_app, tmp_path: Path) -> None:
    """Before, "加个新娘跟妆" after a manicure was offered "同一地址" and booked the bride's
    make-up at the shop's address as if it were hers, unasked."""
    app = await _salon(make_app, tmp_path)
    c = Customer(app)
    asked_phone = await c.say("周六下午两点做美甲")
    assert "有变动时方便联系您" in asked_phone and "上门" not in asked_phone, asked_phone
    await c.say("13812345678")
    await c.say("确认")
    offer = await c.say("加个新娘跟妆")
    assert "也约在11月28日（周六）14:00吗" in offer and "同一地址" not in offer, offer
    assert "请问服务地址是" in await c.say("好的")
    summary = await c.say(HOME)
    assert f"· 地址：{HOME}" in summary, summary
    await c.say("确认")
    manicure, bridal = await all_orders(app)
    assert (manicure.address, bridal.address) == (SHOP_ZH, HOME)


async def test_a_business_done_all_at_its_place_greets_without_asking_an_address(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, f"""
business: {{name: 小美摄影, address: {{zh: {SHOP_ZH}, en: "{SHOP_EN}"}}, at_shop: true}}
services:
  - {{id: id_photo, name: {{zh: 证件照, en: ID photo}}, price: 60}}
""")
    greeting = await Customer(app).say("你好")
    assert "什么服务、什么时间和电话" in greeting and "周六下午两点证件照" in greeting, greeting
    assert f"到店地址：{SHOP_ZH}" in greeting and "望京" not in greeting
    hello = await Customer(app, user="e1", lang="en").say("hi")
    assert "when and your phone" in hello and f"At our place: {SHOP_EN}" in hello and "Baker" not in hello, hello


async def test_the_dashboard_order_page_says_the_visit_is_at_our_place(make_app, tmp_path: Path) -> None:
    from tests.test_dashboard_qa import visible
    from tests.test_web import ADMIN, _sign_in, client_of

    app = await _app_with(make_app, tmp_path, SALON, admin_token=ADMIN, web_cookie_secure=False)
    await _booked_manicure(app)
    [order] = await all_orders(app)
    async with client_of(app) as client:
        await _sign_in(client, ADMIN)
        zh = visible(await (await client.get(f"/admin/orders/{order.id}?lang=zh")).text())
        en = visible(await (await client.get(f"/admin/orders/{order.id}?lang=en")).text())
        board = visible(await (await client.get("/admin?view=all&lang=zh")).text())
    assert f"到店地址 {SHOP_ZH}" in " ".join(zh.split()), zh
    assert f"At our place {SHOP_EN}" in " ".join(en.split()), "ours in the reader's language"
    assert SHOP_ZH in board


async def test_a_wrong_address_said_of_a_shop_visit_is_answered_where_to_come(make_app, tmp_path: Path) -> None:
    """Before, "地址写错了" after booking a manicure asked for the order's new address."""
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    answer = await c.say("地址写错了")
    assert f"是到店服务，不用填您的地址，到时请到：{SHOP_ZH}" in answer and "新地址" not in answer, answer
    assert "新联系电话" in await c.say("电话写错了"), "the phone is still the customer's to put right"


async def test_a_shop_visit_named_by_its_number_keeps_the_shops_address(make_app, tmp_path: Path) -> None:
    """Before, "订单…地址改成…" (the order named, so no order was picked for it) put the
    customer's home on a manicure; the phone said with it still changes."""
    app = await _salon(make_app, tmp_path)
    c = await _booked_manicure(app)
    [order] = await all_orders(app)
    answer = await c.say(f"订单{order.number}地址改成{HOME}")
    assert f"是到店服务，不用填您的地址，到时请到：{SHOP_ZH}" in answer and "确定修改吗" not in answer, answer
    both = await c.say(f"订单{order.number}地址改成{HOME}，电话换成13900001111")
    assert "电话：13812345678 → 13900001111" in both and f"→ {HOME}" not in both, both
    await c.say("确认修改")
    [order] = await all_orders(app)
    assert (order.address, order.phone) == (SHOP_ZH, "13900001111")
