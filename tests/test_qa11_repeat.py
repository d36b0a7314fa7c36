"""A returning customer (one with an earlier order) books again without being asked
everything from scratch: the last address is offered with the address question, the
phone on file is said to be the one used, something added right after a booking is
offered for the same visit, and "还是上次那个服务" books the last order's service."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

ADDRESS = "朝阳区建国路88号1号楼101"
EN_ADDRESS = "88 Jianguo Road apt 1203"
PHONE = "13800001111"


async def booked(app, lang: str = "zh", address: str | None = None, when: str | None = None) -> Customer:
    """A customer with one confirmed deep clean, in `lang`."""
    c = Customer(app, lang=lang)
    if lang == "zh":
        await c.say(f"{when or '明天上午10点'}深度保洁，{address or ADDRESS}，{PHONE}")
        assert "预约成功" in await c.say("确认")
    else:
        await c.say(f"deep clean {when or 'tomorrow at 10am'}, {address or EN_ADDRESS}, {PHONE}")
        await c.say("yes")
    return c


# ----- 1. the last address offered with the address question ------------------------------------
@pytest.mark.parametrize(("lang", "book", "asked"), [
    ("zh", "后天下午3点修空调", "上次是“朝阳区建国路88号1号楼101”，还是这里吗？"),
    ("en", "appliance repair the day after tomorrow at 3pm", "Last time it was “88 Jianguo Road apt 1203”: same place?"),
])
async def test_the_address_question_offers_the_last_address(make_app, lang: str, book: str, asked: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    assert asked in await c.say(book)
    assert c.payloads == ["same_address", "deny"]
    assert [ch.label for ch in c.last.choices] == (["就这个地址", "换个地址"] if lang == "zh"
                                                   else ["Same address", "Different address"])


@pytest.mark.parametrize(("lang", "yes"), [
    ("zh", "1"), ("zh", "是的"), ("zh", "还是那里"), ("zh", "就这个地址"), ("zh", "地址跟上次一样"),
    ("en", "1"), ("en", "yes"), ("en", "same as last time"), ("en", "Same address"),
])
async def test_taking_the_offered_address_books_it(make_app, lang: str, yes: str) -> None:
    app = await make_app()
    c = await booked(app, lang)
    await c.say("后天下午3点修空调" if lang == "zh" else "appliance repair the day after tomorrow at 3pm")
    summary = await c.say(yes)
    address = ADDRESS if lang == "zh" else EN_ADDRESS
    assert f"{'地址：' if lang == 'zh' else 'Address: '}{address}" in summary, summary
    # the phone is the one on file, and the summary says so
    assert (f"电话：{PHONE}（沿用您上次留的号码）" if lang == "zh"
            else f"Phone: {PHONE} (the one you gave last time)") in summary
    await c.say("确认" if lang == "zh" else "yes")
    orders = await all_orders(app)
    assert [(o.service_id, o.address, o.phone, o.status) for o in orders][1] == (
        "appliance_repair", address, PHONE, "confirmed")


async def test_a_new_address_instead_is_taken(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天下午3点修空调")
    summary = await c.say("海淀区知春路甲48号盈都大厦C座3单元12A")
    assert "地址：海淀区知春路甲48号盈都大厦C座3单元12A" in summary
    await c.say("确认")
    assert (await all_orders(app))[1].address == "海淀区知春路甲48号盈都大厦C座3单元12A"


@pytest.mark.parametrize("no", ["2", "换个地址", "不是"])
async def test_declining_the_offer_asks_for_the_address_plainly(make_app, no: str) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天下午3点修空调")
    asked = await c.say(no)
    assert "请问服务地址是？请写到门牌号" in asked and "上次是" not in asked and c.payloads == []
    assert "地址：海淀区知春路1号2号楼301" in await c.say("海淀区知春路1号2号楼301")


async def test_the_latest_of_several_addresses_is_offered(make_app) -> None:
    app = await make_app()
    c = await booked(app)
    await c.say("后天上午9点擦玻璃，海淀区知春路1号2号楼301")
    await c.say("确认")
    asked = await c.say("下周一下午3点修空调")
    assert "上次是“海淀区知春路1号2号楼301”" in asked and ADDRESS not in asked


async def test_a_first_time_customer_is_asked_as_before(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    asked = await c.say("后天下午3点修空调")
    assert "请写到门牌号" in asked and "上次" not in asked and c.payloads == []
    await c.say(ADDRESS)
    summary = await c.say(PHONE)
    assert f"电话：{PHONE}\n" in summary and "沿用" not in summary

