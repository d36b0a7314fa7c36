"""A QA pass as Chinese-speaking customers, with the demo catalog and the example salon
(examples/salon_catalog.yaml). Before it: "搬家后的保洁" started a move; "一家三口" / "两个大人一个小孩"
counted nobody at the salon, and "两个人做美甲" was told "两个人算一次" (one manicure's price for
two); "一整天的钟点工" booked the usual 2 hours; "再约一次" after a 4-hour cleaning booked 2;
"美睫两天就掉了好几根" started a lash booking and "指甲做完第二天就翘了" was not understood;
"补个睫毛" / "再做个睫毛" found no service and "剪个短发" at a nail salon got "没太明白".
The test clock is Tuesday 2026-11-24 20:00 in Shanghai."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.backends import make_parser
from storage.catalog import demo_catalog, parse_catalog
from tests.test_at_shop import _app_with
from tests.test_dialogue import Customer, all_orders

SALON = (Path(__file__).parent.parent / "examples" / "salon_catalog.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def demo_parser():  # noqa: ANN201
    return make_parser(demo_catalog(), "Asia/Shanghai")


@pytest.fixture(scope="module")
def salon_parser():  # noqa: ANN201
    return make_parser(parse_catalog(SALON), "Asia/Shanghai")


# ----- 1. the cleaning after a move is a cleaning ----------------------------------------------

@pytest.mark.parametrize("said,service", [
    ("搬家后的保洁", "deep_cleaning"),
    ("搬完家想做个保洁", "deep_cleaning"),
    ("搬完家，想做个保洁", "deep_cleaning"),
    ("搬进新家之前想打扫一下", "deep_cleaning"),
    ("明天搬家", "moving"),
    ("搬家", "moving"),
    ("从望京搬到回龙观", "moving"),
])
def test_the_cleaning_after_a_move_is_a_cleaning(demo_parser, said: str, service: str) -> None:
    assert demo_parser.parse(said).slots.get("service") == service


async def test_the_cleaning_after_a_move_is_booked_as_a_deep_clean(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("搬完家想做个保洁，周六上午9点")
    assert "深度保洁" in reply and "搬家服务" not in reply and "搬到哪" not in reply, reply


# ----- 2. how many people ----------------------------------------------------------------------

@pytest.mark.parametrize("said,n", [
    ("一家三口明天做美甲", 3),
    ("两个大人一个小孩做美甲", 3),
    ("我们一家三口都想做美甲", 3),
    ("我和闺蜜两个人做美甲", 2),
    ("manicure for me and my 2 kids", 3),
])
def test_people_are_counted_at_the_salon(salon_parser, said: str, n: int) -> None:
    r = salon_parser.parse(said)
    assert r.slots.get("service") == "manicure" and r.slots.get("quantity") == n, r


async def test_several_people_at_the_salon_are_priced_each(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    reply = await c.say("两个大人一个小孩周六下午两点做美甲，13812345678")
    assert "算一次" not in reply and "3位" in reply and "504" in reply, reply
    assert "预约成功" in await c.say("确认")
    (order,) = await all_orders(app)
    assert order.service_id == "manicure" and "两个大人一个小孩" in (order.notes or ""), order.notes


async def test_a_household_is_no_hours_of_cleaning(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("我们一家三口住两室一厅，周六上午9点日常保洁")
    await c.say("朝阳区建国路88号1号楼101")
    summary = await c.say("13812345678")
    assert "3小时" in summary and "× 3小时" in summary, summary  # two bedrooms: the catalog's 3 hours
    assert "一家三口" not in summary.split("参考价")[1], summary
    assert "预约成功" in await c.say("确认")
    (order,) = await all_orders(app)
    assert order.quantity == 3


async def test_a_household_for_a_visit_priced_once_says_no_count(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("一家三口刚搬来，周六上午9点深度保洁")
    assert "一次上门" not in reply and "算一次" not in reply, reply


# ----- 3. a whole day of an hourly service -----------------------------------------------------

@pytest.mark.parametrize("said", ["明天上午九点约个一整天的钟点工", "明天上午九点全天的小时工", "all day cleaner tomorrow 9am"])
async def test_a_whole_day_books_a_working_day(make_app, said: str) -> None:
    app = await make_app()
    c = Customer(app, lang="en" if said.isascii() else None)
    reply = await c.say(said)
    assert ("8小时" in reply or "8 hours" in reply), reply
    await c.say("朝阳区建国路88号1号楼101")
    summary = await c.say("13812345678")
    assert "× 8" in summary, summary
    await c.say("确认" if not said.isascii() else "yes")
    (order,) = await all_orders(app)
    assert order.quantity == 8


@pytest.mark.parametrize("said", ["明天我全天都在家，钟点工上午九点来", "我一整天都有空，明天上午九点钟点工"])
async def test_home_all_day_is_no_length(demo_parser, said: str) -> None:
    r = demo_parser.parse(said)
    assert "length" not in r.flags, r


# ----- 4. the same again -----------------------------------------------------------------------

@pytest.mark.parametrize("again", ["再约一次", "再来一次", "再约一次，下周三上午9点"])
async def test_booking_again_carries_the_hours(make_app, again: str) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午9点钟点工4小时，朝阳区建国路88号1号楼101，13812345678")
    assert "预约成功" in await c.say("确认")
    reply = await c.say(again)
    if "下周三" not in again:
        assert "哪天" in reply and "日常保洁" in reply, reply
        reply = await c.say("下周三上午9点")
    assert "× 4小时" in reply and "按常规" not in reply, reply
    assert "预约成功" in await c.say("确认")
    assert [o.quantity for o in await all_orders(app)] == [4, 4]


async def test_booking_again_another_service_takes_its_own_length(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午9点钟点工4小时，朝阳区建国路88号1号楼101，13812345678")
    assert "预约成功" in await c.say("确认")
    reply = await c.say("再约一次，下周三上午9点擦玻璃")
    assert "擦玻璃" in reply and "4小时" not in reply, reply


# ----- 5. the salon: after-care complaints and its customers' words ----------------------------

@pytest.mark.parametrize("said", ["美睫两天就掉了好几根", "指甲做完第二天就翘了", "我上周做的美甲掉了一个", "接的睫毛没几天就掉光了"])
def test_work_that_did_not_last_is_a_complaint(salon_parser, said: str) -> None:
    r = salon_parser.parse(said)
    assert r.intent == "human" and r.flags.get("complaint"), r


@pytest.mark.parametrize("said", ["美睫一般能保持多久", "做的美甲多久会掉", "明天下午三点做美甲", "指甲断了想做个美甲"])
def test_no_complaint_in_a_question_or_a_booking(salon_parser, said: str) -> None:
    r = salon_parser.parse(said)
    assert not r.flags.get("complaint"), r


async def test_an_after_care_complaint_goes_to_a_person(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    reply = await c.say("美睫两天就掉了好几根")
    assert "抱歉" in reply and "客服" in reply and "哪天" not in reply, reply
    assert await all_orders(app) == []


@pytest.mark.parametrize("said,service", [
    ("补个睫毛", "lash_extension"),
    ("再做个睫毛", "lash_extension"),
    ("想补睫毛", "lash_extension"),
    ("明天下午做睫毛", "lash_extension"),
    ("补个甲", "manicure"),
])
def test_salon_words_find_the_listed_service(salon_parser, said: str, service: str) -> None:
    assert salon_parser.parse(said).slots.get("service") == service


async def test_a_haircut_at_a_nail_salon_is_declined_kindly(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    reply = await c.say("剪个短发")
    assert "不提供" in reply and "美甲" in reply, reply


def test_a_haircut_at_a_hair_salon_is_its_haircut() -> None:
    hair = parse_catalog("business: {name: 发廊}\nservices:\n  - id: haircut\n    name: {zh: 剪发, en: Haircut}\n"
                         "    synonyms: [理发, 剪头]\n    price: 58\n")
    r = make_parser(hair, "Asia/Shanghai").parse("明天下午剪个短发")
    assert r.slots.get("service") == "haircut" and "not_offered" not in r.flags, r


async def test_a_whole_day_is_no_longer_than_the_hours_of_business(make_app, tmp_path: Path) -> None:
    """A tutor open 18:00-22:00 has a four-hour day: "一整天" books 4 hours, and says why."""
    tutor = ("business: {name: 家教中心, hours: \"18:00-22:00\"}\nservices:\n  - id: tutoring\n"
             "    name: {zh: 家教, en: Tutoring}\n    price: 200\n    price_per: hour\n    duration_minutes: 120\n")
    app = await _app_with(make_app, tmp_path, tutor)
    c = Customer(app)
    reply = await c.say("明天晚上六点家教一整天")
    assert "按4小时预约" in reply and "18:00–22:00" in reply, reply


# ----- QA round: spoken Chinese ----------------------------------------------------------------

@pytest.mark.parametrize("said,service", [
    ("帮我约个阿姨", "daily_cleaning"),
    ("找个保洁阿姨明天上午来", "daily_cleaning"),
    ("约个阿姨擦玻璃", "window_cleaning"),
])
def test_an_ayi_is_a_regular_cleaning(demo_parser, said: str, service: str) -> None:
    assert demo_parser.parse(said).slots.get("service") == service


async def test_an_ayi_asked_for_books_a_regular_cleaning(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("帮我约个阿姨")
    assert "日常保洁" in reply and "哪天" in reply, reply


async def test_an_ayi_to_mind_the_children_is_declined(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("想找个阿姨带孩子")
    assert "不提供" in reply and "带孩子" in reply, reply


async def test_a_voice_message_without_stops_is_booked_as_said(make_app) -> None:
    """Voice input runs the clauses together: the address ended "…401我" (from "我电话是") and the
    note "下水道堵了你们"."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("喂你好我想问一下就是我家那个厨房的下水道堵了你们明天下午能不能派个师傅过来看一下"
                          "我家在海淀区中关村南大街5号院3号楼2单元401我电话是13612345678我姓李")
    assert "管道疏通" in summary and "2单元401\n" in summary and "401我" not in summary, summary
    assert "你们" not in summary, summary
    assert "预约成功" in await c.say("确认")
    (order,) = await all_orders(app)
    assert order.address == "海淀区中关村南大街5号院3号楼2单元401" and order.phone == "13612345678"


@pytest.mark.parametrize("said", ["卸甲要钱吗", "上门要钱吗", "开锁要不要钱"])
def test_whether_it_costs_money_asks_the_price(salon_parser, demo_parser, said: str) -> None:
    for parser in (salon_parser, demo_parser):
        r = parser.parse(said)
        assert r.intent == "price", r
    assert salon_parser.parse("卸甲要钱吗").slots.get("service") is None  # a removal is no manicure


async def test_booking_again_at_the_time_already_booked_says_so(make_app, tmp_path: Path) -> None:
    """"再约一次" answered with the day and hour of the lash appointment just booked made a second
    one then, unremarked."""
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    await c.say("周一下午两点接睫毛 13812345678")
    assert "预约成功" in await c.say("确认")
    await c.say("再约一次")
    summary = await c.say("11月30日下午两点")
    assert "已经约了美睫" in summary, summary
    other = await c.say("12月7日下午两点")
    assert "已经约了" not in other, other


@pytest.mark.parametrize("said,service", [("约个宝洁", "daily_cleaning"), ("明天要个钟点公", "daily_cleaning")])
def test_a_same_sounding_character_in_a_short_word_is_the_word(demo_parser, said: str, service: str) -> None:
    assert demo_parser.parse(said).slots.get("service") == service


@pytest.mark.parametrize("said,service", [("美夹多少钱", "manicure"), ("想接捷毛", "lash_extension"),
                                          ("明天做美家", "manicure")])
def test_a_salon_word_typed_by_its_sound_is_the_word(salon_parser, said: str, service: str) -> None:
    assert salon_parser.parse(said).slots.get("service") == service


@pytest.mark.parametrize("said", ["我家里有点乱", "明天宝宝在家", "公司地址"])
def test_ordinary_words_sound_like_no_service(demo_parser, said: str) -> None:
    assert "service" not in demo_parser.parse(said).slots


async def test_feet_done_is_a_pedicure_and_brows_are_declined_aside(make_app, tmp_path: Path) -> None:
    app = await _app_with(make_app, tmp_path, SALON)
    c = Customer(app)
    reply = await c.say("后天想做个脚")
    assert "足部护理" in reply, reply
    c2 = Customer(app, user="u2")
    reply = await c2.say("我想要做美甲顺便修个眉毛")
    assert "美甲" in reply and "不提供" in reply and "修个眉毛" in reply, reply


async def test_the_cleaning_after_a_move_offers_the_new_home(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("周六上午10点搬家，从望京西园三区312号楼602搬到回龙观龙泽苑东区5号楼301，13812345678")
    assert "预约成功" in await c.say("确认")
    asked = await c.say("搬完家想做个保洁，周日上午9点")
    assert "深度保洁" in asked and "龙泽苑东区5号楼301" in asked and "望京西园" not in asked, asked
    c2 = Customer(app, user="u2")
    await c2.say("周六上午10点搬家，从望京西园三区312号楼602搬到回龙观龙泽苑东区5号楼301，13912345678")
    assert "预约成功" in await c2.say("确认")
    asked = await c2.say("搬家前想把老房子打扫一下，周五上午9点")
    assert "望京西园三区312号楼602" in asked, asked


@pytest.mark.parametrize("said", ["我们住两室一厅，周六上午9点日常保洁", "我家住三居室 明天保洁"])
def test_the_home_size_lived_in_is_no_address(demo_parser, said: str) -> None:
    r = demo_parser.parse(said)
    assert "address" not in r.slots and r.flags.get("bedrooms"), r
