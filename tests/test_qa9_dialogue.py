"""QA round 9: a booking after a price keeps the priced service; a run-on asking for someone to
come is a booking, not a handoff; a fault of the chosen service's object stays on that service;
an hourly service booked without hours gets its default length, said and priced."""

from __future__ import annotations

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from tests.test_dialogue import Customer, all_orders
from tests.test_qa6_dates import NOW

ADDRESS = "朝阳区建国路88号1号楼101"
EN_ADDRESS = "88 Jianguo Road apt 1203"


async def test_a_booking_with_a_day_after_a_price_keeps_the_priced_service_zh(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("灭蟑螂多少钱")
    reply = await c.say("好 约一个 明天下午3点")
    assert "除虫灭害" in reply and "什么服务" not in reply
    await c.say(ADDRESS)
    summary = await c.say("13800001111")
    assert "· 服务：除虫灭害" in summary and "11月25日" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.status, order.phone) == ("pest_control", "confirmed", "13800001111")


async def test_a_booking_with_a_day_after_a_price_keeps_the_priced_service_en(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("Do you do deep cleaning? how much")
    reply = await c.say("ok book it for sunday 2pm")
    assert "Deep cleaning" in reply and "Which service" not in reply
    await c.say(EN_ADDRESS)
    summary = await c.say("13800001111")
    assert "Service: Deep cleaning" in summary and "Sun 29 Nov, 14:00" in summary
    assert "Booked" in await c.say("confirm")
    [order] = await all_orders(app)
    assert (order.service_id, order.status) == ("deep_cleaning", "confirmed")


RUN_ON = ("额那个就是我家厨房那个油烟机特别脏了想找人来洗一下然后时间的话明天下午吧大概三点左右"
          "地址是东城区东直门内大街18号院2号楼303电话是13522223333")


async def test_a_run_on_asking_for_someone_to_come_is_booked_not_handed_off(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(RUN_ON)
    assert "人工" not in summary
    assert "· 服务：家电清洗" in summary and "11月25日（周三）15:00" in summary
    assert "东城区东直门内大街18号院2号楼303" in summary and "13522223333" in summary
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.status, order.phone) == ("appliance_cleaning", "confirmed", "13522223333")


@pytest.mark.parametrize("text", ["想找人来修一下热水器", "叫个人来通下水道", "I need someone to come clean my range hood"])
def test_someone_to_come_and_do_the_job_is_a_booking(text: str) -> None:
    assert NluParser(demo_catalog()).parse(text, now=NOW).intent == "book"


@pytest.mark.parametrize("text", ["转人工", "找人工客服", "找个真人来跟我说", "叫个人来聊", "I want to talk to a person"])
def test_asking_for_a_person_is_still_a_handoff(text: str) -> None:
    assert NluParser(demo_catalog()).parse(text, now=NOW).intent == "human"


async def test_a_fault_of_the_thing_being_booked_is_a_note_not_another_service_zh(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("洗衣机坏了 周六来修")
    reply = await c.say("不排水")
    assert "管道疏通" not in reply and "没太明白" not in reply
    await c.say("下午3点")
    await c.say(ADDRESS)
    summary = await c.say("13800001111")
    assert "· 服务：家电维修" in summary and "· 备注：洗衣机坏了；不排水" in summary  # the thing, then its fault
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes, order.status) == ("appliance_repair", "洗衣机坏了；不排水", "confirmed")


async def test_a_fault_of_the_thing_being_booked_is_a_note_not_another_service_en(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("ok can someone fix my washing machine saturday")
    assert "Drain unclogging" not in await c.say("it wont drain")
    await c.say("3pm")
    await c.say(EN_ADDRESS)
    summary = await c.say("13800001111")
    assert "Service: Appliance repair" in summary and "it wont drain" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("appliance_repair", "washing machine; it wont drain")


async def test_an_explicit_change_of_service_still_switches(make_app) -> None:
    app = await make_app()
    zh = Customer(app)
    await zh.say("洗衣机坏了 周六来修")
    assert "管道疏通" in await zh.say("不要这个了，换成疏通")
    en = Customer(app, user="u2", lang="en")
    await en.say("ok can someone fix my washing machine saturday")
    assert "Drain unclogging" in await en.say("actually I need a plumber")


async def test_an_hourly_cleaning_without_hours_is_booked_for_its_usual_length_zh(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天上午10点日常保洁，朝阳区望京SOHO T1-1203，13812345678")
    assert "· 服务：日常保洁（2小时）" in summary and "¥45 每小时 × 2小时 = ¥90" in summary
    assert "改成3小时" in summary
    changed = await c.say("改成3小时")
    assert "日常保洁（3小时）" in changed and "= ¥135" in changed
    assert "预约成功" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.quantity, order.price, order.total, order.duration_minutes) == (3, 45, 135, 180)


async def test_an_hourly_cleaning_without_hours_is_booked_for_its_usual_length_en(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("regular cleaning tomorrow at 10am, 88 Jianguo Road apt 1203, 13812345678")
    assert "Regular cleaning (2 hours)" in summary and "× 2 hours = ¥90" in summary
    assert "Booked" in await c.say("yes")
    [order] = await all_orders(app)
    assert (order.quantity, order.price, order.total, order.duration_minutes) == (2, 45, 90, 120)
