"""Work we don't do asked with its reason ("我家刚装修完要除甲醛吗"), and questions passed on to
staff with a staff wish inside them ("能让王师傅来吗？").

Before: "刚装修完" / "新房" / "刚搬进新家" read as a deep clean (or a move) by themselves, so a
question about formaldehyde was declined *and* a deep-cleaning booking started ("好的，深度保洁。
请问约哪天"); "入住前除甲醛多少钱" was quoted the deep clean's price. A booking's question holding a
staff wish reached staff as "❓吗？", the wish's words blanked out of it.
The test clock is Tuesday 2026-11-24 20:00 in Shanghai."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders

ADDRESS_PHONE = "西城区新康小区3号楼2单元501，13700001111"


# ----- a question about work we don't do, with the reason for it: declined, nothing booked ------
@pytest.mark.parametrize("lang,said,what", [
    ("zh", "我家刚装修完要除甲醛吗", "除甲醛"),
    ("zh", "新房要除甲醛", "除甲醛"),
    ("zh", "刚装修完想刷墙", "刷墙"),
    ("zh", "刚搬进新家，能测甲醛吗", "测甲醛"),
    ("zh", "入住前除甲醛多少钱", "除甲醛"),
    ("en", "we just renovated, do you do formaldehyde removal?", "formaldehyde removal"),
    ("en", "we just moved in, can you do formaldehyde testing?", "formaldehyde testing"),
    ("en", "just renovated, can you paint the walls?", "paint the walls"),
])
async def test_work_we_dont_do_asked_with_its_reason_is_only_declined(make_app, lang: str, said: str,
                                                                      what: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert what in reply, reply
    assert ("不提供" if lang == "zh" else "not something we offer") in reply, reply
    assert ("转人工" if lang == "zh" else '"human"') in reply, reply  # a person for the rest
    assert ("家具安装" if lang == "zh" else "Furniture assembly") in reply, reply  # what we do, listed
    # nothing started: no time asked for, no price of a service it was never about
    assert "哪天" not in reply and "几点" not in reply and "¥" not in reply, reply
    assert "what day" not in reply.lower() and "when" not in reply.lower() and "Got it" not in reply, reply
    after = await c.say("明天下午3点" if lang == "zh" else "tomorrow 3pm")
    assert "深度保洁" not in after and "搬家服务" not in after, after
    assert "Deep cleaning" not in after and "Moving" not in after, after
    assert await all_orders(app) == []


@pytest.mark.parametrize("said,service", [
    ("刚装修完，要除甲醛，顺便开荒保洁", "深度保洁"),  # the clean named: booked, the rest declined
    ("新房要打扫，顺便除甲醛", "深度保洁"),
    ("明天灭蟑螂，刚装修完顺便除甲醛", "除虫灭害"),
])
async def test_work_we_do_named_beside_it_is_still_booked(make_app, said: str, service: str) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say(said)
    assert "除甲醛" in reply and "不提供" in reply and "其余的照常" in reply, reply
    assert f"好的，{service}" in reply, reply


# ----- a question passed on to staff: as the customer wrote it -----------------------------------
@pytest.mark.parametrize("said,question,not_asked", [
    # the wish is read as a wish (someone else comes, said so); the question after it goes on whole
    (f"明天下午3点保洁，能让王师傅来吗？需要我在家吗？{ADDRESS_PHONE}", "需要我在家吗", "吗？"),
    # 王师傅 is the technician asked about, not the customer's name, and the question keeps him
    (f"明天下午3点修空调，王师傅上次量的尺寸还留着吗？{ADDRESS_PHONE}", "王师傅上次量的尺寸还留着吗", None),
])
async def test_a_question_beside_a_staff_wish_reaches_staff_as_written(make_app, said: str, question: str,
                                                                       not_asked: str | None) -> None:
    app = await make_app()
    c = Customer(app)
    summary = await c.say(said)
    assert f"❓{question}" in summary, summary
    if not_asked:
        assert f"❓{not_asked}" not in summary and f"“{not_asked}”" not in summary, summary
    assert "称呼：王师傅" not in summary and "姓名：王师傅" not in summary, summary
    await c.say("确认")
    (order,) = await all_orders(app)
    assert f"❓{question}" in (order.notes or ""), order.notes
    assert order.name != "王师傅"


@pytest.mark.parametrize("lang,said,service", [
    ("zh", "明天下午3点修空调，能让王师傅来吗，他上次修得好", "家电维修"),
    ("en", "fix my aircon tomorrow 3pm, can Mr Wang come? he did a great job last time", "Appliance repair"),
])
async def test_a_staff_wish_with_praise_for_last_time_books_the_visit(make_app, lang: str, said: str,
                                                                      service: str) -> None:
    """Praise for last time's person is why they are asked for, no review of an order."""
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert service in reply and "评价" not in reply and "review" not in reply.lower(), reply
    assert ("地址" in reply) if lang == "zh" else ("address" in reply), reply


@pytest.mark.parametrize("lang,said,what", [
    ("zh", "除甲醛多少钱", "除甲醛"),
    ("en", "how much is formaldehyde removal?", "formaldehyde removal"),
])
async def test_the_price_of_work_we_dont_do_is_declined_not_listed(make_app, lang: str, said: str, what: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert what in reply and ("不提供" if lang == "zh" else "not something we offer") in reply, reply
    assert "¥" not in reply, reply  # before: the whole price list, as if it were one of ours


async def test_the_price_of_a_booking_with_work_we_dont_do_says_that_part_is_not_ours(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    reply = await c.say("明天灭蟑螂 顺便除甲醛 多少钱")
    assert "除虫灭害：¥260" in reply and "“除甲醛”我们不提供" in reply, reply


# ----- more of what home-service customers ask for that the demo catalog does not do -------------
@pytest.mark.parametrize("lang,said,what", [
    ("zh", "明天下午想找人遛狗", "遛狗"),
    ("zh", "下周出差，能帮忙喂猫吗", "喂猫"),
    ("zh", "明天修电脑", "修电脑"),
    ("zh", "想找个护工照顾老人", "护工"),
    ("zh", "能帮我洗车吗", "洗车"),
    ("en", "can someone walk my dog tomorrow?", "walk my dog"),
    ("en", "I need a babysitter on saturday night", "babysitter"),
    ("en", "can you fix my laptop tomorrow?", "fix my laptop"),
])
async def test_more_work_we_dont_do_is_declined_not_asked_which_service(make_app, lang: str, said: str,
                                                                        what: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert what in reply and ("不提供" if lang == "zh" else "not something we offer") in reply, reply
    assert "什么服务" not in reply and "which service" not in reply.lower(), reply
    assert await all_orders(app) == []


@pytest.mark.parametrize("text,service", [
    ("deep cleaning tomorrow 10am, please also wash the curtains", "deep_cleaning"),
    ("明天深度保洁，厨房做饭的地方多擦擦", "deep_cleaning"),
    ("clean the cooker hood tomorrow", "appliance_cleaning"),
    ("明天换锁芯", "lock_service"),
    ("明天保洁，顺便把狗窝打扫一下", "daily_cleaning"),
    ("walk-in wardrobe assembly tomorrow", "furniture_assembly"),
])
def test_near_misses_of_work_we_dont_do_stay_ours(text: str, service: str) -> None:
    from tests.test_reviews import NLU
    parsed = NLU.parse(text)
    assert parsed.flags.get("not_offered") is None, parsed
    assert parsed.slots.get("service") == service, parsed


@pytest.mark.parametrize("lang,wish", [
    ("zh", "能让王师傅来吗？他上次做得好"),
    ("en", "can Mr Wang come? he did a great job last time"),
])
async def test_a_staff_wish_with_praise_mid_booking_is_no_review(make_app, lang: str, wish: str) -> None:
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say("明天下午3点日常保洁" if lang == "zh" else "regular cleaning tomorrow 3pm")
    reply = await c.say(wish)
    assert "评价" not in reply and "review" not in reply.lower(), reply
    assert ("地址" in reply) if lang == "zh" else ("address" in reply), reply  # the booking goes on


@pytest.mark.parametrize("lang,booking,said,question", [
    ("en", "regular cleaning tomorrow 3pm, 12 Baker Street, 13700001111", "do I need to be home? also can Mr Wang come?",
     "do I need to be home?"),
    ("zh", f"明天下午3点日常保洁，{ADDRESS_PHONE}", "需要我在家吗？另外能让王师傅来吗", "需要我在家吗"),
])
async def test_a_question_said_with_a_staff_wish_at_the_summary_is_passed_on(make_app, lang: str, booking: str,
                                                                            said: str, question: str) -> None:
    """Before: the wish was read and the question beside it lost, nothing on the note for staff."""
    app = await make_app()
    c = Customer(app, lang=lang)
    await c.say(booking)
    reply = await c.say(said)
    assert question in reply, reply
    await c.say("确认" if lang == "zh" else "yes")
    (order,) = await all_orders(app)
    assert question in (order.notes or ""), order.notes


# ----- the owner's own list of work they don't do (catalog `not_offered:`) -------------------------
def _demo_with(extra: str) -> str:
    from importlib import resources
    return resources.files("storage.data").joinpath("demo_catalog.yaml").read_text(encoding="utf-8") + extra


@pytest.mark.parametrize("lang,said,what", [
    ("zh", "明天下午能来调钢琴吗", "调钢琴"),
    ("en", "do you do piano tuning?", "piano tuning"),
])
async def test_work_the_owner_lists_as_not_offered_is_declined(make_app, tmp_path, lang: str, said: str,
                                                               what: str) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(_demo_with("not_offered: [调钢琴, Piano tuning]\n"), encoding="utf-8")
    app = await make_app(catalog=str(path))
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert what in reply and ("不提供" if lang == "zh" else "not something we offer") in reply, reply
    assert ("转人工" if lang == "zh" else '"human"') in reply, reply
    assert await all_orders(app) == []


def test_the_owners_list_never_declines_what_the_catalog_offers() -> None:
    """An owner's word the catalog also names ("擦玻璃", a service) stays that service."""
    from nlu.backends import make_parser
    from storage.catalog import parse_catalog
    catalog = parse_catalog(_demo_with("not_offered: [擦玻璃, 调钢琴]\n"))
    parsed = make_parser(catalog, "Asia/Shanghai").parse("明天擦玻璃")
    assert parsed.flags.get("not_offered") is None and parsed.slots.get("service") == "window_cleaning", parsed


def test_a_blank_word_in_the_owners_list_is_refused() -> None:
    from storage.catalog import CatalogError, parse_catalog
    with pytest.raises(CatalogError):
        parse_catalog(_demo_with("not_offered: [调钢琴, '  ']\n"))


@pytest.mark.parametrize("lang,booking,said,what,service", [
    ("zh", "明天下午搬家", "明天下午搬家，顺便帮我刷一下墙", "刷一下墙", "搬家服务"),
    ("en", "", "can you paint my bedroom walls and assemble a wardrobe tomorrow?", "paint my bedroom walls",
     "Furniture assembly"),
])
async def test_work_we_dont_do_beside_a_booking_is_said_not_to_be_ours(make_app, lang: str, booking: str, said: str,
                                                                      what: str, service: str) -> None:
    """Before: the booking went on and the words were dropped, the customer none the wiser."""
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert what in reply and ("不提供" if lang == "zh" else "not something we offer") in reply, reply
    assert service in reply, reply


async def test_cooking_asked_mid_booking_is_declined_not_passed_on(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天上午10点保洁")
    reply = await c.say("能不能顺便帮忙做个饭")
    assert "做个饭" in reply and "不提供" in reply and "备注" not in reply, reply
    summary = await c.say(ADDRESS_PHONE)
    assert "饭" not in summary, summary  # nothing on the note for staff to do


@pytest.mark.parametrize("said", [
    "明天上午修马桶，能让上次那个王师傅来吗？他修得挺好",
    "明天下午3点修空调，他上次修得好",
])
async def test_praise_for_last_time_beside_a_visit_to_come_books_it(make_app, said: str) -> None:
    """A day still to come is a visit asked for; a review is of one done."""
    app = await make_app()
    c = Customer(app)
    reply = await c.say(said)
    assert "评价" not in reply and "11月25日" in reply, reply


def test_praise_for_todays_visit_is_still_a_review() -> None:
    from tests.test_reviews import NLU
    assert NLU.parse("今天的深度保洁师傅很专业").intent == "review"


@pytest.mark.parametrize("lang,said", [
    ("zh", "做家政吗"),
    ("zh", "你们有家政服务吗"),
    ("en", "do you do housework?"),
    ("en", "do you do home services?"),
])
async def test_asking_whether_we_do_our_own_trade_gets_what_we_do(make_app, lang: str, said: str) -> None:
    """Before: "抱歉，我们不提供“家政”" from a home-services business."""
    app = await make_app()
    c = Customer(app, lang=lang)
    reply = await c.say(said)
    assert "不提供" not in reply and "not something we offer" not in reply, reply
    assert ("深度保洁" if lang == "zh" else "Deep cleaning") in reply and "¥" in reply, reply  # the list, priced


async def test_plumbing_is_what_the_drain_service_does(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    reply = await c.say("do you guys do plumbing?")
    assert "not something we offer" not in reply and "Drain unclogging" in reply, reply
