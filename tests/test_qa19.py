"""The nineteenth QA pass, as Chinese customers of the trades other than cleaning (repairs,
locksmiths, moves, pest control): "取消修空调那个" said while a second booking (pest control) was
at its summary turned that booking into an air-conditioner repair, which the next "是的" booked,
and the repair meant stayed booked; "取消0001" in the middle of a second booking dropped the
booking under way and answered "这次预约已取消" while order 0001 stayed booked. Each is checked on
what the customer sees and what the orders store."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.pipeline import NluParser
from storage.catalog import demo_catalog
from storage.models import OrderStatus
from tests.test_dialogue import Customer, all_orders

@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


REPAIR = "明天下午3点修空调，西城区新康小区3号楼2单元501，13700001111"
PESTS = "后天上午十点除蟑螂"


async def _repair_booked_and_pests_drafted(app, *, summary: bool) -> Customer:
    """Pest control at its summary ("同一个地址": the address booked before), or asked its address."""
    c = Customer(app)
    await c.say(REPAIR)
    assert "预约成功" in await c.say("确认")
    asked = await c.say(f"{PESTS}，同一个地址" if summary else PESTS)
    assert "除虫灭害" in asked and ("请核对订单" in asked) == summary, asked
    return c


# ----- a cancel of a booked order said mid-booking cancels that order, and the booking goes on --
@pytest.mark.parametrize("said", ["取消修空调那个", "取消0001", "把空调那个单子取消了", "取消明天那个"])
@pytest.mark.parametrize("summary", [True, False])
async def test_cancelling_a_booked_order_while_booking_another(make_app, said: str, summary: bool) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=summary)
    asked = await c.say(said)
    assert "家电维修" in asked and "确定要取消这个订单吗" in asked, asked
    done = await c.say("是的")
    assert "已取消" in done and "除虫灭害" in done, done  # the booking under way is taken up again
    orders = await all_orders(app)
    repair = next(o for o in orders if o.service_id == "appliance_repair")
    assert repair.status == OrderStatus.CANCELLED
    assert [o.service_id for o in orders].count("appliance_repair") == 1  # no repair booked instead
    if not summary:
        assert "请核对订单" in await c.say("1")
    booked = await c.say("确认")
    assert "预约成功" in booked and "除虫灭害" in booked, booked
    orders = await all_orders(app)
    assert {(o.service_id, o.status) for o in orders} == {
        ("appliance_repair", OrderStatus.CANCELLED), ("pest_control", OrderStatus.CONFIRMED)}


async def test_keeping_the_booked_order_takes_the_booking_up_again(make_app) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    await c.say("取消修空调那个")
    kept = await c.say("不了")
    assert "除虫灭害" in kept or "待确认" in kept, kept
    assert "预约成功" in await c.say("确认")
    assert {(o.service_id, o.status) for o in await all_orders(app)} == {
        ("appliance_repair", OrderStatus.CONFIRMED), ("pest_control", OrderStatus.CONFIRMED)}


async def test_cancel_of_the_booking_under_way_still_drops_it(make_app) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    assert "已取消" in await c.say("取消")
    assert {(o.service_id, o.status) for o in await all_orders(app)} == {
        ("appliance_repair", OrderStatus.CONFIRMED), ("pest_control", OrderStatus.CANCELLED)}


# ----- two requests split by a space, as typed on a phone, are two orders --------------------
async def test_two_requests_split_by_a_space_are_two_orders(make_app) -> None:
    """"明天上午修冰箱 下午三点通马桶" was one repair at 15:00 (the drain's time), "马桶" on its note,
    and no drain unclogging at all."""
    app = await make_app()
    c = Customer(app)
    first = await c.say("我要约两个 明天上午修冰箱 下午三点通马桶")
    assert "先约家电维修，确认后再约管道疏通" in first and "上午" in first, first
    summary = await c.say("丰台区马家堡西路嘉园二里3号楼1单元702 +86 18612345678")
    assert "· 时间：11月25日（周三）上午\n" in summary and "马桶" not in summary, summary
    second = await c.say("确认")
    assert "· 服务：管道疏通\n" in second and "· 时间：11月25日（周三）15:00\n" in second, second
    await c.say("确认")
    assert {(o.service_id, o.period, o.time and o.time.hour) for o in await all_orders(app)} == {
        ("appliance_repair", "morning", None), ("drain_unclogging", None, 15)}


# ----- what a customer adds after a space is read as after a comma -----------------------------
@pytest.mark.parametrize(("said", "note"), [
    ("后天上午9点帮我搬个家 一室一厅 东西不多", "一室一厅 东西不多"),  # for the movers: was lost
    ("后天上午9点搬家，一室一厅，东西不多", "一室一厅，东西不多"),
])
async def test_the_size_of_a_move_said_after_spaces_is_on_the_note(make_app, said: str, note: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(said)
    await c.say("从朝阳区花家地北里2号楼301 搬到 海淀区华清嘉园15号楼1203")
    summary = await c.say("13912345678")
    assert f"· 备注：{note}\n" in summary, summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.notes == note


@pytest.mark.parametrize("said", ["明天下午3点 开锁 谢谢 麻烦快点", "明天下午3点开锁，麻烦快点"])
async def test_hurry_is_no_note(make_app, said: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(said)
    summary = await c.say("昌平区龙泽苑东区22号楼3单元202 15811112222")
    assert "请核对订单" in summary and "备注" not in summary, summary


async def test_same_address_said_so_is_the_booked_one_not_a_note(make_app) -> None:
    """"后天上午十点 除蟑螂 同一个地址" asked the address again and put "同一个地址" on the note."""
    app = await make_app()
    c = Customer(app)
    await c.say(REPAIR)
    await c.say("确认")
    summary = await c.say("后天上午十点 除蟑螂 同一个地址")
    assert "· 地址：西城区新康小区3号楼2单元501\n" in summary and "备注" not in summary, summary


@pytest.mark.parametrize(("said", "note"), [
    ("油烟机不转了 修一下", "油烟机不转了"),  # "修一下" is the booking itself, no note
    ("空调不制冷 麻烦来看看", "空调不制冷"),
    ("哈喽 想约个擦玻璃 家里落地窗比较多", "家里落地窗比较多"),  # 窗 names window cleaning: was no note
    ("深夜能上门灭蟑螂吗，厨房全是小强", "厨房全是小强"),
])
async def test_words_about_the_job_are_noted_and_a_plea_to_come_is_not(make_app, said: str, note: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say(said)
    summary = await c.say("后天下午4点 朝阳区十里堡城市房子3号楼802 13366668888")
    assert f"· 备注：{note}\n" in summary, summary


# ----- the pieces of furniture counted for one visit are all noted, none refused as visits ----------
async def test_two_cupboards_and_a_bed_for_one_assembly_visit(make_app) -> None:
    """"对了是两个柜子一个床" at the summary: the bed was lost and the count refused ("没有记成 2 个。
    您是想多约几次上门…")."""
    app = await make_app()
    c = Customer(app)
    await c.say("宜家买的柜子需要安装")
    await c.say("这周六下午3点 通州区梨园云景里12号楼1单元502 18800001111")
    summary = await c.say("对了是两个柜子一个床")
    assert "没有记成" not in summary and "两个柜子、一个床" in summary and "· 参考价：¥150\n" in summary, summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.quantity, order.total) == (None, 150) and "一个床" in order.notes


# ----- another day with the part of the day the hour is in keeps the hour -----------------------
@pytest.mark.parametrize("booked", [True, False])
async def test_moving_to_another_morning_keeps_ten_oclock(make_app, booked: bool) -> None:
    """"改到后天上午" for a repair at 10:00 made it "上午", the hour lost for the technician."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点修洗衣机 海淀区双榆树北里9号楼3单元401 13800001111")
    if booked:
        await c.say("确认")
    reply = await c.say("改到后天上午")
    assert "11月26日（周四）10:00" in reply, reply
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.date, order.time, order.period) == (dt.date(2026, 11, 26), dt.time(10), None)
    later = await c.say("改到后天下午")  # an hour outside the part said goes: its start is asked or set
    assert "10:00" not in later.split("→")[-1], later


# ----- the things a move carries are what is moved, not other services offered ------------------
async def test_a_fridge_and_a_wardrobe_to_move_are_no_repair_nor_assembly(make_app) -> None:
    """A move with "有冰箱洗衣机还有一个大衣柜" listed "家电维修：另算（¥80 上门费起）" on the summary
    and offered to book a repair after it."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("你好，我明天要搬家，大概上午九点吧，从朝阳区望京花家地西里3号楼1单元201搬到顺义区后沙峪"
                          "裕祥花园5号楼，东西有点多有冰箱洗衣机还有一个大衣柜，电话是一八六一二三四五六七八，我姓刘")
    assert "家电维修" not in summary and "家具安装" not in summary, summary
    assert "· 备注：东西有点多有冰箱洗衣机还有一个大衣柜\n" in summary, summary
    done = await c.say("对")
    assert "预约成功" in done and "家电维修" not in done, done
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("moving", "东西有点多有冰箱洗衣机还有一个大衣柜")


# ----- the appliance put right replaces the one noted ------------------------------------------
@pytest.mark.parametrize(("fix", "note"), [
    ("不对 是修冰箱 冰箱不制冷", "冰箱不制冷"),
    ("不是空调 是冰箱", "冰箱"),
    ("改成修洗衣机", "洗衣机"),
])
async def test_the_appliance_put_right_replaces_the_one_noted(make_app, fix: str, note: str) -> None:
    """"明天下午3点修空调…" then "不对 是修冰箱" kept "备注：空调": the technician came for the aircon."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点修空调 东城区香河园小区2号楼603 13811112222")
    summary = await c.say(fix)
    assert f"· 备注：{note}\n" in summary, summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("appliance_repair", note)


async def test_a_remark_stays_when_the_appliance_is_put_right(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点修空调 东城区香河园小区2号楼603 13811112222")
    assert "· 备注：空调；家里有狗，师傅别怕\n" in await c.say("家里有狗，师傅别怕")
    summary = await c.say("不对 是冰箱不制冷")
    assert "· 备注：家里有狗，师傅别怕；冰箱不制冷\n" in summary, summary


async def test_where_the_pests_are_said_while_the_day_is_asked_is_noted(make_app) -> None:
    """"厨房特别多" (cockroaches) to "哪天、几点？" was "抱歉，我没太明白", and the kitchen lost."""
    app = await make_app()
    c = Customer(app)
    await c.say("你好 我想预约灭蟑螂")
    reply = await c.say("厨房特别多")
    assert "没太明白" not in reply and "厨房特别多" in reply and "几点" in reply, reply
    summary = await c.say("下周一早上8点 石景山区鲁谷重聚园7号楼1单元503 010 6888 1234")
    assert "· 备注：厨房特别多\n" in summary, summary


@pytest.mark.parametrize("booked", [True, False])
async def test_nobody_called_about_my_locksmith_is_a_status_question(make_app, booked: bool) -> None:
    """"那个我昨天约的开锁怎么没人联系我" started a new locksmith booking ("请问约哪天、几点？")."""
    app = await make_app()
    c = Customer(app)
    if booked:
        await c.say("明天上午10点开锁 昌平区龙泽苑东区22号楼3单元202 15811112222")
        await c.say("确认")
    reply = await c.say("那个我昨天约的开锁怎么没人联系我")
    assert "请问约哪天" not in reply, reply
    assert ("开锁换锁 · 11月25日（周三）10:00" in reply) if booked else ("您还没有订单" in reply), reply
    assert len(await all_orders(app)) == int(booked)


async def test_a_gas_hob_that_will_not_light_is_noted(make_app) -> None:
    """"打不着火" after "你们修燃气灶吗" was "抱歉，我没太明白", the fault lost."""
    app = await make_app()
    c = Customer(app)
    await c.say("你们修燃气灶吗")
    reply = await c.say("打不着火")
    assert "没太明白" not in reply and "打不着火" in reply, reply
    summary = await c.say("明晚八点 朝阳区团结湖中路南一条3号楼2单元502 18911112222")
    assert "· 备注：燃气灶；打不着火\n" in summary, summary


async def test_where_in_the_home_is_no_part_of_the_address(make_app) -> None:
    """"… 来通下水道 卫生间地漏 朝阳区 南磨房…" booked "地址：卫生间地漏 朝阳区 …"."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天中午十二点半 来通下水道 卫生间地漏 朝阳区 南磨房 百子湾 家园 1号楼 1205 18922223333")
    assert "· 地址：朝阳区 南磨房 百子湾 家园 1号楼 1205\n" in summary and "地漏" in summary, summary


@pytest.mark.parametrize("said", ["空调漏水 滴滴答答的 能修吗", "马桶堵了 能不能通一下"])
async def test_can_you_fix_it_is_the_booking_not_a_question_for_staff(make_app, said: str) -> None:
    """"空调漏水 滴滴答答的 能修吗" put "❓能修吗" on the note, "转给我们的工作人员"."""
    app = await make_app()
    c = Customer(app)
    reply = await c.say(said)
    assert "工作人员" not in reply and "请问约哪天" in reply, reply
    summary = await c.say("明天上午10点 顺义区后沙峪中粮祥云12号楼3单元401 13911113333")
    assert "❓" not in summary, summary


async def test_a_broken_lock_is_noted_for_the_locksmith(make_app) -> None:
    """"我家防盗门锁坏了 钥匙插进去拧不动" noted nothing: the locksmith could not tell a broken lock
    from a lock-out."""
    app = await make_app()
    c = Customer(app)
    await c.say("我家防盗门锁坏了 钥匙插进去拧不动")
    summary = await c.say("明早七点 朝阳区酒仙桥驼房营南里5号楼2门301 1381111 4444")
    assert "· 备注：防盗门锁坏了\n" in summary and "· 电话：13811114444\n" in summary, summary


async def test_how_many_movers_after_booking_is_passed_on(make_app) -> None:
    """"到时候要几个师傅" after a move was booked: "抱歉，我没太明白您的意思。可以说“预约深度保洁”…"."""
    app = await make_app()
    c = Customer(app)
    await c.say("周六上午9点搬家 从丰台六里桥北里4号楼 搬到丰台总部基地18区3号楼 13922223333")
    await c.say("确认")
    reply = await c.say("到时候要几个师傅")
    assert "没太明白" not in reply and "到时候要几个师傅" in reply, reply


async def test_a_detail_of_the_range_hood_is_no_repair(make_app) -> None:
    """"油烟机是侧吸的" at a range-hood cleaning's summary turned it into an appliance repair (¥80)."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午4点清洗油烟机 昌平天通苑东三区5号楼2单元1001 15911112222 谢谢")
    summary = await c.say("油烟机是侧吸的")
    assert "· 服务：家电清洗 × 1\n" in summary and "· 备注：油烟机是侧吸的\n" in summary, summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert (order.service_id, order.notes) == ("appliance_cleaning", "油烟机是侧吸的")


async def test_one_more_aircon_said_as_also_adds_to_the_order_just_booked(make_app) -> None:
    """"对了 还有一台空调也要洗" right after a range hood's cleaning was booked started a new booking
    ("请问约哪天、几点？") instead of adding the aircon to that visit."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午4点清洗油烟机 昌平天通苑东三区5号楼2单元1001 15911112222")
    await c.say("确认")
    proposed = await c.say("对了 还有一台空调也要洗")
    assert "数量：1 → 2" in proposed and "请问约哪天" not in proposed, proposed
    await c.say("好的")
    [order] = await all_orders(app)
    assert (order.quantity, order.total) == (2, 300) and "空调" in order.notes


@pytest.mark.parametrize("said", ["马桶堵塞了 求疏通 在线等 急", "床底下发现臭虫了 要除虫 越快越好"])
def test_a_plea_for_the_service_booked_is_no_note(parser, said: str) -> None:
    note = parser.parse(said).flags.get("note") or ""
    assert "求疏通" not in note and "要除虫" not in note, note


# ----- a booked order moved mid-booking moves, and the booking goes on ------------------------------
@pytest.mark.parametrize("said", ["把修空调那个改到后天", "修空调的单子改到后天下午3点"])
async def test_moving_a_booked_order_while_booking_another(make_app, said: str) -> None:
    """"把通下水道那个改到周二" while an aircon repair was at its summary turned that booking into a drain
    unclogging on Tuesday, and the drain's order stayed where it was."""
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    asked = await c.say(said)
    assert "11月25日（周三）15:00 → 11月26日（周四）15:00" in asked, asked
    done = await c.say("好")
    assert "已改好" in done and "待确认的订单" in done, done
    assert "预约成功" in await c.say("确认")
    orders = {o.service_id: o for o in await all_orders(app)}
    assert orders["appliance_repair"].date == dt.date(2026, 11, 26)
    assert (orders["pest_control"].date, orders["pest_control"].status) == (dt.date(2026, 11, 26),
                                                                           OrderStatus.CONFIRMED)


async def test_a_new_service_and_day_for_the_booking_still_corrects_it(make_app) -> None:
    app = await make_app()
    c = await _repair_booked_and_pests_drafted(app, summary=True)
    summary = await c.say("改成周五修空调")
    assert "· 服务：家电维修\n" in summary and "11月27日（周五）" in summary, summary


async def test_the_appliances_before_the_district_are_counted_not_the_address(make_app) -> None:
    """"…洗两台空调一个油烟机 朝阳区 劲松…" booked "地址：油烟机 朝阳区 …", 2 appliances, ¥300."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("明天上午十点家电清洗 洗两台空调一个油烟机 朝阳区 劲松 八区 806号楼 1单元 502 13612345678")
    assert "· 地址：朝阳区 劲松 八区 806号楼 1单元 502\n" in summary, summary
    assert "· 服务：家电清洗 × 3\n" in summary and "¥450" in summary, summary


@pytest.mark.parametrize("said", ["好的谢谢", "谢谢 👌"])
async def test_thanks_with_an_ok_once_booked_is_thanks(make_app, said: str) -> None:
    """"好的谢谢" after booking got "好的～ 需要预约服务的话，直接告诉我服务、时间和地址就行"."""
    app = await make_app()
    c = Customer(app)
    await c.say(REPAIR)
    assert "预约成功" in await c.say(said)  # to the summary it is a yes
    assert "不客气" in await c.say(said)


async def test_a_question_beside_a_price_is_passed_on_not_lost(make_app) -> None:
    """"疏通马桶一般多少钱 要是没通开收钱吗" got the price and nothing of the second question."""
    app = await make_app()
    c = Customer(app)
    reply = await c.say("下午好 想问下 疏通马桶一般多少钱 要是没通开收钱吗")
    assert "管道疏通：¥120" in reply and "要是没通开收钱吗" in reply, reply
    booking = await c.say("那约一个吧 明天下午五点半")  # the offer still stands
    assert "管道疏通，11月25日（周三）17:30" in booking, booking


async def test_the_thing_priced_goes_on_the_booking_the_price_offers(make_app) -> None:
    """"空调加氟多少钱" then "好 约明天…" booked an appliance repair with no word of the aircon."""
    app = await make_app()
    c = Customer(app)
    assert "需要预约吗" in await c.say("空调加氟多少钱")
    summary = await c.say("好 约明天下午三点半 大兴区亦庄林肯公园C区21号楼2单元601 13900005555")
    assert "· 服务：家电维修\n" in summary and "· 备注：空调\n" in summary, summary


async def test_a_fault_said_before_the_address_leaves_the_address_whole(make_app) -> None:
    """"… 修热水器 不出热水 东城区 安定门 交道口 北二条 15号院 2号楼 3单元 101 …" booked "地址：2号楼"
    (不 made the whole no address, and its best part alone won), the rest on the note."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("周日早上8点半 修热水器 不出热水 东城区 安定门 交道口 北二条 15号院 2号楼 3单元 101 "
                          "电话15000001111 姓孙")
    assert "· 地址：东城区 安定门 交道口 北二条 15号院 2号楼 3单元 101\n" in summary, summary
    assert "· 备注：热水器 不出热水\n" in summary, summary


async def test_a_nickname_after_the_phone_is_the_name_not_a_note(make_app) -> None:
    """"… 18811112222 小周" put "备注：小周" on a move once a space ended a clause."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("搬家 下周日 早上7点 从 昌平 回龙观 龙跃苑 二区 9号楼 搬到 海淀 西二旗 领秀慧谷 C区 5号楼 "
                          "18811112222 小周")
    assert "· 称呼：小周\n" in summary and "备注" not in summary, summary


async def test_the_new_home_put_right_at_a_moves_summary(make_app) -> None:
    """"等等 改成早上8点 然后新家是领秀慧谷B区不是C区" moved the hour and left the move ending at C区."""
    app = await make_app()
    c = Customer(app)
    await c.say("搬家 下周日 早上7点 从 昌平 回龙观 龙跃苑 二区 9号楼 搬到 海淀 西二旗 领秀慧谷 C区 5号楼 18811112222 小周")
    summary = await c.say("等等 改成早上8点 然后新家是领秀慧谷B区不是C区")
    assert "· 搬到：海淀 西二旗 领秀慧谷 B区 5号楼\n" in summary and "08:00" in summary, summary
    assert "· 地址：昌平 回龙观 龙跃苑 二区 9号楼\n" in summary, summary


@pytest.mark.parametrize(("address", "fix", "fixed"), [
    ("海淀 西二旗 领秀慧谷 C区 5号楼", ("C区", "领秀慧谷B区"), "海淀 西二旗 领秀慧谷 B区 5号楼"),
    ("望京SOHO T1-1203", ("T1", "T2"), "望京SOHO T2-1203"),
])
def test_a_part_put_right_does_not_repeat_the_words_before_it(address: str, fix: tuple[str, str],
                                                              fixed: str) -> None:
    from nlu.corrections import fixed_address
    assert fixed_address(address, [fix], None) == fixed
