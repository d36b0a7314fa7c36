"""Every slot of the contract: service, phone, address, name, quantity, rating, order_ref."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from nlu.pipeline import NluParser
from nlu.services import ServiceMatcher
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def slots(parser: NluParser, text: str, expected: str | None = None) -> dict:
    return parser.parse(text, now=NOW, expected=expected).slots


# ------------------------------------------------------------------ service
@pytest.mark.parametrize("text, service", [
    # names and synonyms, longest match wins
    ("深度保洁", "deep_cleaning"), ("我想做个深度保洁", "deep_cleaning"), ("日常保洁", "daily_cleaning"),
    ("保洁", "daily_cleaning"), ("大扫除", "deep_cleaning"), ("deep clean", "deep_cleaning"),
    ("deep cleaning please", "deep_cleaning"), ("house cleaning", "daily_cleaning"), ("Locksmith", "lock_service"),
    ("开锁", "lock_service"), ("搬家", "moving"), ("擦玻璃", "window_cleaning"), ("家具安装", "furniture_assembly"),
    ("除虫", "pest_control"), ("灭蟑螂", "pest_control"), ("洗油烟机", "appliance_cleaning"), ("修冰箱", "appliance_repair"),
    ("深度清潔", "deep_cleaning"),
    # paraphrases
    ("马桶堵了", "drain_unclogging"), ("马桶又堵了", "drain_unclogging"), ("厨房水槽堵了", "drain_unclogging"),
    ("下水道反水", "drain_unclogging"), ("空调不制冷", "appliance_repair"), ("冰箱坏了", "appliance_repair"),
    ("我家空调坏了，能来修一下吗", "appliance_repair"), ("热水器不出热水", "appliance_repair"),
    ("电视打不开", "appliance_repair"), ("家里太脏了想彻底打扫", "deep_cleaning"), ("新房开荒", "deep_cleaning"),
    ("钥匙丢了进不去家", "lock_service"), ("我被锁在门外了", "lock_service"), ("换个锁芯", "lock_service"),
    ("家里有蟑螂", "pest_control"), ("想擦一下窗户", "window_cleaning"), ("帮我装个衣柜", "furniture_assembly"),
    ("要搬到海淀", "moving"), ("搬个冰箱", "moving"), ("油烟机太脏了", "appliance_cleaning"),
    ("洗衣机有异味", "appliance_cleaning"),
    # an appliance and 洗 (but 洗衣机 / 洗碗机 are appliances, not washing)
    ("两台空调能一块洗吗", "appliance_cleaning"), ("油烟机洗一次多少钱", "appliance_cleaning"),
    ("冰箱跟洗衣机都坏了", "appliance_repair"),
    # English words inside Chinese text
    ("厨房的sink又堵了", "drain_unclogging"), ("楼上toilet冲不下去", "drain_unclogging"),
    ("我们家fridge坏了", "appliance_repair"), ("客厅aircon好脏", "appliance_cleaning"),
    ("my toilet is clogged", "drain_unclogging"), ("my fridge is broken", "appliance_repair"),
    ("I'm locked out", "lock_service"), ("we have cockroaches", "pest_control"),
    ("can you clean the windows", "window_cleaning"), ("assemble an ikea wardrobe", "furniture_assembly"),
    ("we're moving house", "moving"), ("a thorough clean of the whole flat", "deep_cleaning"),
    # typos (fuzzy)
    ("预约深度宝洁", "deep_cleaning"), ("deep cleen tomorrow", "deep_cleaning"), ("locksmth please", "lock_service"),
    ("need a plumer", "drain_unclogging"),
    # round 2: Hong Kong words, code-switching, the appliance before the verb, "a move"
    ("想約師傅上門通渠", "drain_unclogging"), ("廚房渠塞咗", "drain_unclogging"), ("洗冷氣機", "appliance_cleaning"),
    ("冷氣唔凍 壞咗", "appliance_repair"), ("洗手池clogged了", "drain_unclogging"),
    ("下午清洗washing machine", "appliance_cleaning"), ("I need my dryer repaired", "appliance_repair"),
    ("can someone fix the lock on my front door", "lock_service"), ("the lock is jammed", "lock_service"),
    ("钥匙落屋里了", "lock_service"), ("help us with a move on Sunday", "moving"),
    ("装个宜家的衣柜", "furniture_assembly"), ("the man who assembled our bed", "furniture_assembly"),
    ("get the flat cleaned thoroughly", "deep_cleaning"),
    ("need the place cleaned before we move out", "deep_cleaning"),
])
def test_service(parser: NluParser, text: str, service: str | None) -> None:
    assert slots(parser, text).get("service") == service


@pytest.mark.parametrize("text", [
    "你好", "我的订单呢", "明天下午3点", "谢谢", "多少钱", "电话13812345678", "家政服务", "where is my order",
    "I want to leave", "我想问一下", "这个价格可以", "你们几点上班",
    "we need to move the appointment", "the clock is fixed now", "blockchain", "装修得不错",
])
def test_service_does_not_fire_on_unrelated_text(parser: NluParser, text: str) -> None:
    assert "service" not in slots(parser, text)


@dataclass
class _Svc:
    id: str
    names: dict[str, str]
    synonyms: list[str] = field(default_factory=list)


@dataclass
class _Catalog:
    services: list[_Svc]


def test_any_catalog_like_object_works() -> None:
    cat = _Catalog([
        _Svc("plumbing", {"zh": "水管维修", "en": "Plumbing"}, ["疏通", "drain"]),
        _Svc("piano", {"zh": "钢琴调音", "en": "Piano tuning"}, []),
    ])
    p = NluParser(cat)
    assert p.parse("钢琴调音", now=NOW).slots["service"] == "piano"
    # the paraphrase for blocked drains finds this catalog's own 疏通 term
    assert p.parse("马桶堵了", now=NOW).slots["service"] == "plumbing"
    # a paraphrase whose concept the catalog lacks does not invent a service
    assert "service" not in p.parse("冰箱坏了", now=NOW).slots
    assert ServiceMatcher(cat).find("钢琴调因") is not None  # typo within one edit


# ------------------------------------------------------------------ phone
@pytest.mark.parametrize("text, phone", [
    ("13812345678", "13812345678"), ("电话13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("+8613812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("電話：１３８ １２３４ ５６７８", "13812345678"),
    ("+44 7700 900123", "+447700900123"), ("my number is +1 415 555 2671", "+14155552671"),
    ("电话 010-12345678", "01012345678"),
])
def test_phone(parser: NluParser, text: str, phone: str) -> None:
    assert slots(parser, text)["phone"] == phone


@pytest.mark.parametrize("text", ["12345", "1381234567", "20261124-0007", "2026-11-24", "3点"])
def test_not_a_phone(parser: NluParser, text: str) -> None:
    assert "phone" not in slots(parser, text)


# ------------------------------------------------------------------ address
@pytest.mark.parametrize("text, address", [
    ("来望京SOHO T1-1203做个深度保洁", "望京SOHO T1-1203"),
    ("地址：海淀区中关村大街27号", "海淀区中关村大街27号"),
    ("地址是北京市海淀区中关村大街27号，电话 138-1234-5678", "北京市海淀区中关村大街27号"),
    ("我住在朝阳区建国路88号5号楼1203室，明天下午两点来", "朝阳区建国路88号5号楼1203室"),
    ("我在上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"),
    ("送到北京市朝阳区三里屯SOHO 3号楼", "北京市朝阳区三里屯SOHO 3号楼"),
    ("地址改成朝阳区望京西园三区", "朝阳区望京西园三区"),
    ("地址：台北市信義區松仁路100號", "台北市信義區松仁路100號"),
    ("at 12 Baker Street, Flat 3", "12 Baker Street, Flat 3"),
    ("I live at 221B Baker Street, London", "221B Baker Street, London"),
    ("address is 5 Main St, Apt 4", "5 Main St, Apt 4"),
    ("deep clean at 12 Baker Street tomorrow at 3pm", "12 Baker Street"),
    # a labelled address in parts, in mixed text: the commas between its parts stay
    ("上门地址：Flat 2, Block C, 华润公寓，周六上午", "Flat 2, Block C, 华润公寓"),
    ("地址是 Suite 902, Tower A, 银泰中心", "Suite 902, Tower A, 银泰中心"),
    ("地址：望京SOHO，麻烦快点", "望京SOHO"), ("地址：望京SOHO，楼下等你", "望京SOHO"),
    ("地址写错了，是朝阳区建国路88号", "朝阳区建国路88号"),
    ("我在中山路上", "中山路"),
    # units after the district of an English address
    ("address: 16 Dongzhimen Street, Dongcheng District, Flat 7B", "16 Dongzhimen Street, Dongcheng District, Flat 7B"),
    ("7 Elm Road, Bristol, unitless flats", "7 Elm Road, Bristol"),
    # Shanghai lanes: 弄 after a number is part of the address, not the verb 弄
    ("周日上午来打扫 地址是长宁区武夷路200弄3号101室", "长宁区武夷路200弄3号101室"),
    ("徐汇区天钥桥路55弄", "徐汇区天钥桥路55弄"),
    # an estate named after a lake or hill, then a building number (not the 1st of the month)
    ("地址：南山区翠竹山2号3栋1单元402，谢谢", "南山区翠竹山2号3栋1单元402"),
    # WeChat style: a single space separates the address from a question before it
    ("明天能来修空调吗 我家在丰台区方庄芳城园一区5号楼", "丰台区方庄芳城园一区5号楼"),
    ("锁坏了不 海淀区五道口华清嘉园7号楼", "海淀区五道口华清嘉园7号楼"),
    # "where I am now" and "on X road"
    ("我现在在解放西路上", "解放西路"), ("我人在长江路上", "长江路"), ("我在人民南路", "人民南路"),
    ("急!! 在国贸三期B座1801", "国贸三期B座1801"),
    # a street word inside the name, a three-word district
    ("locksmith to 9 Hill Road please", "9 Hill Road"),
    ("7 Garden Road, Mid Levels", "7 Garden Road, Mid Levels"),
    ("3 Nathan Road, Yau Ma Tei", "3 Nathan Road, Yau Ma Tei"),
    ("12 Baker Street, London SW1A 1AA", "12 Baker Street, London SW1A 1AA"),
])
def test_address(parser: NluParser, text: str, address: str) -> None:
    assert slots(parser, text)["address"] == address


def test_a_given_name_after_the_street_signs_the_message(parser: NluParser) -> None:
    s = slots(parser, "Saturday 9am, 3 hours, 40 Mill Road, Sophie")
    assert (s["address"], s["name"]) == ("40 Mill Road", "Sophie")
    s = slots(parser, "come to 8 Rose Lane, Leeds on Monday")
    assert s["address"] == "8 Rose Lane, Leeds" and "name" not in s


def test_a_name_after_the_district_is_not_part_of_it(parser: NluParser) -> None:
    s = slots(parser, "10 Park Lane, Mayfair Emma Stone")
    assert s["address"] == "10 Park Lane, Mayfair"


@pytest.mark.parametrize("text", ["能不能明天来弄一下", "帮我弄弄 马桶", "这个怎么弄 说一下", "在路上了吗 师傅",
                                  "我在上班 晚点回复", "好的 我在家等"])
def test_not_an_address_round2(parser: NluParser, text: str) -> None:
    assert "address" not in slots(parser, text)


def test_address_does_not_swallow_other_slots(parser: NluParser) -> None:
    s = slots(parser, "明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678")
    assert s == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00",
                 "address": "望京SOHO T1-1203", "phone": "13812345678"}
    s = slots(parser, "deep clean at 12 Baker Street tomorrow at 3pm")
    assert s["date"] == "2026-11-25" and s["time"] == "15:00"


@pytest.mark.parametrize("text", ["在吗", "到了吗", "来我家", "改到后天", "家里太脏了", "我在家", "门打不开", "卧室很脏",
                                  "三室一厅", "我们在等",
                                  # words with an address character that name no place
                                  "保洁阿姨已经在路上了", "最近股市怎么样", "师傅半路上堵车了", "两种套餐区别大吗"])
def test_not_an_address(parser: NluParser, text: str) -> None:
    assert "address" not in slots(parser, text)


def test_expected_address_takes_the_answer_as_written(parser: NluParser) -> None:
    assert slots(parser, "朝阳区望京SOHO T1 1203", expected="address") == {"address": "朝阳区望京SOHO T1 1203"}
    assert slots(parser, "  望京SOHO  ", expected="address") == {"address": "望京SOHO"}
    assert slots(parser, "幸福小区5号院2单元301", expected="address") == {"address": "幸福小区5号院2单元301"}
    assert slots(parser, "Flat 3, Rose Court", expected="address") == {"address": "Flat 3, Rose Court"}
    # a phone answer or a yes is not an address
    assert "address" not in slots(parser, "13812345678", expected="address")
    assert "address" not in slots(parser, "好的", expected="address")
    assert "address" not in slots(parser, "地址是什么意思？", expected="address")


# ------------------------------------------------------------------ name
@pytest.mark.parametrize("text, name", [
    ("王女士", "王女士"), ("李先生，13912345678", "李先生"), ("张师傅", "张师傅"), ("我姓王", "王"), ("免贵姓欧阳", "欧阳"),
    ("我叫张三", "张三"), ("我叫张三，明天来", "张三"), ("我是王小明", "王小明"), ("联系人王女士", "王女士"),
    ("联系人：张三", "张三"), ("叫我小王", "小王"), ("名字写错了，我叫李四", "李四"), ("我叫陳大文", "陳大文"),
    ("my name is Alice Chen", "Alice Chen"), ("I'm Bob", "Bob"), ("this is Mr. Smith", "Mr. Smith"),
    ("Hi, I'm Bob, I need a cleaner", "Bob"), ("name: Carol", "Carol"),
    # "that will do" after the name is not part of it
    ("叫我阿强就好了", "阿强"), ("叫我老周即可", "老周"), ("我叫李明就可以", "李明"), ("叫我小可", "小可"),
    # a Latin name as a segment of its own, with no intro phrase (a sign-off)
    ("window cleaning on Saturday morning, Emma Walsh, 07700900456", "Emma Walsh"),
    ("Could someone fix my fridge this week? Thanks, Daniel", "Daniel"),
    ("Is 4pm on Monday possible? Tom O'Brien +447700900789", "Tom O'Brien"),
    ("Priya Sharma +447700900321", "Priya Sharma"), ("周六上午擦玻璃，Lucy，13912345678", "Lucy"),
    ("收件人 Emma Walsh 13912345678", "Emma Walsh"),
    # who to ask for on arrival
    ("到了联系孙先生", "孙先生"), ("明天搬家 到楼下联系郑女士就行", "郑女士"), ("由王阿姨开门", "王阿姨"),
])
def test_name(parser: NluParser, text: str, name: str) -> None:
    assert slots(parser, text)["name"] == name


@pytest.mark.parametrize("text", ["这位先生", "师傅什么时候到", "我是来问一下的", "I'm looking for a cleaner",
                                  "I am free tomorrow", "修车师傅", "名字写错了",
                                  # capitalised segments that are not names
                                  "Thanks, Sarah", "Hi, Mike, is the cleaner coming?", "Friday, 3pm",
                                  "Sunday. Cheers", "Emma wants to know the price", "Hong Kong +85291234567",
                                  "Flat 2, 8 Rose Lane, Leeds", "Wangjing Soho, Chaoyang District",
                                  "OK, London"])
def test_not_a_name(parser: NluParser, text: str) -> None:
    assert "name" not in slots(parser, text)


def test_expected_name(parser: NluParser) -> None:
    assert slots(parser, "王", expected="name") == {"name": "王"}
    assert slots(parser, "王女士", expected="name") == {"name": "王女士"}
    assert slots(parser, "Alice", expected="name") == {"name": "Alice"}
    assert slots(parser, "张三 13812345678", expected="name") == {"name": "张三", "phone": "13812345678"}
    assert "name" not in slots(parser, "不对", expected="name")
    assert "name" not in slots(parser, "明天", expected="name")


# ------------------------------------------------------------------ quantity
@pytest.mark.parametrize("text, quantity", [
    ("两个房间", 2), ("3小时", 3), ("三个小时", 3), ("2 rooms", 2), ("三台空调", 3), ("需要清洗2台空调", 2),
    ("两个人", 2), ("3 hours", 3), ("two bedrooms", 2), ("擦3扇窗户", 3), ("一间卧室", 1), ("十个小时", 10),
    # describing words between the count and the item
    ("put together 3 white IKEA wardrobes", 3), ("two large sash windows to clean", 2), ("4 more chairs", 4),
    # WeChat style: a space ends the clause after the item and its count
    ("装床 两张 周六", 2), ("擦窗户 5扇 明天", 5), ("柜子 三个 下午来", 3),
    # an order quantity with a duration word still counts
    ("保洁 等下午来 4小时", 4), ("book a cleaner for 4 hours", 4),
])
def test_quantity(parser: NluParser, text: str, quantity: int) -> None:
    assert slots(parser, text)["quantity"] == quantity


@pytest.mark.parametrize("text", [
    "明天下午3点", "5号", "13812345678", "中关村大街27号", "做个保洁", "我想问一个问题", "我一个人在家", "3天后",
    "给5星", "1.5小时", "at 3",
    "I have 2 questions about the beds", "3 days of cleaning in the rooms", "5 star service, rooms spotless",
    # time already spent is not ordered
    "等了快一个小时 人怎么还没来", "都等了两个钟头了", "师傅迟到了半小时", "修了两个小时还没修好",
    "waited 2 hours and nobody came", "he was 2 hours late", "took them 3 hours",
    # a counter before a space counts only an item named right before it
    "有三个 问题想问", "我两个 明天都在",
])
def test_not_a_quantity(parser: NluParser, text: str) -> None:
    assert "quantity" not in slots(parser, text)


def test_quantity_leaves_the_item_to_the_service(parser: NluParser) -> None:
    s = slots(parser, "could you assemble 2 IKEA desks next week")
    assert (s["quantity"], s["service"]) == (2, "furniture_assembly")


def test_expected_quantity(parser: NluParser) -> None:
    assert slots(parser, "两个", expected="quantity") == {"quantity": 2}
    assert slots(parser, "3", expected="quantity") == {"quantity": 3}
    assert slots(parser, "三", expected="quantity") == {"quantity": 3}
    assert slots(parser, "two", expected="quantity") == {"quantity": 2}


# ------------------------------------------------------------------ rating
@pytest.mark.parametrize("text, rating", [
    ("五星", 5), ("给个五星", 5), ("5星", 5), ("五星好评", 5), ("一星差评", 1), ("4分", 4), ("服务很好 5分", 5),
    ("10分", 5), ("打9分", 5), ("打8分", 4), ("满分100分，给90分", 5), ("5 stars", 5), ("4 stars, great", 4),
    ("rate 3", 3), ("8/10", 4), ("4/5", 4), ("⭐⭐⭐⭐", 4), ("⭐️⭐️⭐️⭐️⭐️", 5), ("★★★", 3),
    # a score after a label, without a unit; full marks
    ("打分：3", 3), ("星级是五", 5), ("评分 8，师傅很准时", 4), ("我给满分", 5), ("师傅人很好，满分", 5),
    ("full marks for the cleaner", 5), ("3 out of 5", 3), ("给个4星吧", 4),
])
def test_rating(parser: NluParser, text: str, rating: int) -> None:
    assert slots(parser, text)["rating"] == rating


@pytest.mark.parametrize("text", ["十分满意", "三星冰箱坏了", "5分钟后到", "10点20分", "三星期后", "7 stars",
                                  "评分怎么打", "满分是几分", "差一点就满分了", "不算满分", "评分3天后再说",
                                  "not full marks", "not quite full marks"])
def test_not_a_rating(parser: NluParser, text: str) -> None:
    assert "rating" not in slots(parser, text)


def test_expected_rating(parser: NluParser) -> None:
    r = parser.parse("5", now=NOW, expected="rating")
    assert r.slots == {"rating": 5}
    assert r.intent == "review"
    assert slots(parser, "10", expected="rating") == {"rating": 5}


# ------------------------------------------------------------------ order_ref
@pytest.mark.parametrize("text, ref", [
    ("20261124-0007", "20261124-0007"), ("订单号 20261124-0007", "20261124-0007"),
    ("order #20261124-0007", "20261124-0007"), ("订单20261124-0007什么时候到", "20261124-0007"),
    ("订单号：A12345", "A12345"),
])
def test_order_ref(parser: NluParser, text: str, ref: str) -> None:
    s = slots(parser, text)
    assert s["order_ref"] == ref
    assert "phone" not in s and "date" not in s


def test_order_ref_is_not_guessed(parser: NluParser) -> None:
    assert "order_ref" not in slots(parser, "order cleaning")
    assert "order_ref" not in slots(parser, "我的订单呢")


def test_slots_come_in_contract_order(parser: NluParser) -> None:
    s = slots(parser, "电话13812345678，王女士，明天上午，深度保洁，两个房间")
    assert list(s) == ["service", "date", "period", "phone", "name", "quantity"]
