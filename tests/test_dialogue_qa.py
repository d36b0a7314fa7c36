"""Conversations found wanting in hands-on QA through the console channel, kept as tests."""

from __future__ import annotations

from handlers import slots as S
from handlers.reading import labelled_choice
from tests.reminder_helpers import wire
from tests.test_dialogue import Customer, all_orders

BOOKING = "明天下午3点来望京SOHO T1-1203做个深度保洁 13812345678"


async def at_summary(app, user: str = "u1") -> Customer:
    """A customer shown the summary of a booking (deep cleaning tomorrow at 15:00)."""
    c = Customer(app, user=user)
    assert "请核对订单" in await c.say(BOOKING)
    return c


async def booked(app, user: str = "u1") -> Customer:
    """A customer with that booking confirmed."""
    c = await at_summary(app, user)
    assert "预约成功" in await c.say("确认")
    return c


async def test_offer_of_a_person_is_its_own_sentence_in_english(make_app) -> None:
    """Jinja's trim_blocks eats the newline after `{% endif %}`: the offer was glued on ("much".Reply)."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("blah")
    second = await c.say("qwerty")
    assert 'or "how much". Reply "human"' in second


async def test_asking_the_day_acknowledges_once(make_app) -> None:
    """The day question said "好的，深度保洁。" on its own, after the noted line had said it
    already, and again each time it was repeated after a side question."""
    app = await make_app()
    c = Customer(app)
    first = await c.say("来朝阳区建国路88号做深度保洁")
    assert first.count("好的") == 1 and "朝阳区建国路88号" in first and "哪天" in first
    again = await c.say("多少钱")
    assert "哪天" in again and "好的" not in again


async def test_english_day_question_is_not_repeated_with_its_got_it(make_app) -> None:
    app = await make_app()
    c = Customer(app, lang="en")
    assert "Deep cleaning" in await c.say("book a deep clean")
    again = await c.say("asdf")
    assert "Which day" in again and "got it" not in again.lower()


async def test_yes_to_shall_i_book_it_starts_that_booking(make_app) -> None:
    """"深度保洁多少钱" ends "需要预约吗？"; the "好的" that answered it got "需要预约服务的话，直接告诉我…"."""
    app = await make_app()
    c = Customer(app)
    assert "需要预约吗" in await c.say("深度保洁多少钱")
    started = await c.say("好的")
    assert "深度保洁" in started and "哪天" in started
    en = Customer(app, user="u2", lang="en")
    assert "Shall I book it?" in await en.say("how much is a deep clean")
    assert "Which day" in await en.say("yes please")


async def test_the_offer_lasts_one_message(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("深度保洁多少钱")
    await c.say("我的订单")
    assert "哪天" not in await c.say("好的")


async def test_price_during_a_booking_does_not_offer_to_book(make_app) -> None:
    """Mid-booking, "需要预约吗？" contradicted the booking's own question that follows it."""
    app = await make_app()
    c = await at_summary(app)
    answer = await c.say("多少钱")
    assert "¥298" in answer and "需要预约吗" not in answer and "待确认" in answer
    en = Customer(app, user="u2", lang="en")
    await en.say("I'd like a deep clean tomorrow at 3pm")
    answer = await en.say("how much is it")
    assert "¥298" in answer and "Shall I book" not in answer and "address" in answer


async def test_summary_price_keeps_its_unit(make_app) -> None:
    """Regular cleaning is ¥45 an hour; the summary said "参考价：¥45", as if that were the whole visit."""
    app = await make_app()
    c = Customer(app)
    summary = await c.say("周五上午10点来建国路88号打扫卫生3个小时，电话13812345678")
    assert "参考价：¥45 每小时" in summary
    en = Customer(app, user="u2", lang="en")
    summary = await en.say("a cleaner on Friday at 10am to 22 Rose Street, 2 hours, phone 13812345678")
    assert "¥45 per hour" in summary


async def test_a_bare_ok_does_not_switch_a_chinese_chat_to_english(make_app) -> None:
    """A Chinese booking confirmed with "ok" was answered "✅ Booked! …" in English."""
    app = await make_app()
    c = Customer(app)
    assert "请核对订单" in await c.say(BOOKING)
    done = await c.say("ok")
    assert "预约成功" in done
    en = Customer(app, user="u2", lang="en")
    await en.say("明天下午三点深度保洁")
    assert "请问服务地址是？" in await en.say("yes")  # still Chinese: the question again
    assert "address?" in await en.say("hello")  # words that are more than yes or no still switch


async def test_cancelling_one_service_for_another_corrects_the_draft(make_app) -> None:
    """"其实不用擦玻璃了，改成日常保洁" reads as cancel (with the new service): the whole
    booking was dropped instead of its service being changed."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来望京SOHO T1-1203擦玻璃 13812345678")
    summary = await c.say("其实不用擦玻璃了，改成日常保洁，3个小时")
    assert "日常保洁（3小时）" in summary and "望京SOHO T1-1203" in summary
    collecting = Customer(app, user="u2")
    await collecting.say("明天下午3点做个擦玻璃")
    assert "日常保洁" in await collecting.say("不用擦玻璃了，改成日常保洁")
    assert "已取消" in await collecting.say("不要日常保洁了")  # its own service: the booking goes


async def test_a_new_time_not_understood_is_said_so(make_app) -> None:
    """"改到火星上" got the very same "请问改到什么时间？" again, as if unheard."""
    c = await booked(await make_app())
    asked = await c.say("改时间")
    assert "改到什么时间" in asked and "没太明白" not in asked
    again = await c.say("改到火星上")
    assert "没太明白" in again and "改到什么时间" in again


async def test_hello_in_the_middle_of_a_booking_is_short(make_app) -> None:
    """"你好"/"在吗" halfway through got the whole introduction and its example booking again."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午做深度保洁")
    answer = await c.say("在吗")
    assert "我在" in answer and "预约助手" not in answer and "地址" in answer
    assert "预约助手" in await Customer(app, user="u2").say("你好")
    en = Customer(app, user="u3", lang="en")
    await en.say("deep clean tomorrow 3pm")
    answer = await en.say("hello")
    assert "I'm here" in answer and "I take bookings" not in answer and "address" in answer


async def test_asking_for_a_person_tells_the_staff_group(make_app, clock) -> None:
    """"转人工" answered "已为您通知人工客服" while nobody was told anything."""
    app = await make_app()
    sent = wire(app, clock)
    c = await booked(app)
    staff_before = len(sent.staff)
    assert "已为您通知人工客服" in await c.say("转人工，师傅能不能早点来")
    assert "已经帮您通知过" in await c.say("我要找真人客服")  # the same hour: one alert
    await app.worker.run_once()
    [(template, _)] = sent.staff_templates()[staff_before:]
    to, msg = sent.staff[-1][1:]
    text = msg.reply.text
    assert template == "staff_human_request" and to.is_group
    assert "师傅能不能早点来" in text and "138****5678" in text and "13812345678" not in text
    [order] = await all_orders(app)
    assert order.number in text
    clock.advance(hours=1)
    assert "已为您通知人工客服" in await c.say("转人工")


async def test_an_address_after_booking_says_how_to_change_the_order(make_app) -> None:
    """A bare address from a customer with a booked order, not right after its confirmation
    and without words of change, may be another booking: it goes on as one, saying how to
    change the order instead (tests/test_amend.py has the change itself)."""
    app = await make_app()
    c = await booked(app)
    [order] = await all_orders(app)
    await c.say("我的订单")
    answer = await c.say("望京SOHO T2-1505")
    assert f"订单 {order.number} 的地址" in answer and "地址改成" in answer and "什么服务" in answer
    assert "地址改成" not in await Customer(app, user="u2").say("望京SOHO T2-1505")  # no order: no hint


def test_contact_only_is_contact_details_without_what_or_when() -> None:
    assert S.contact_only({"address": "望京SOHO T2-1505"}) and S.contact_only({"phone": "13812345678"})
    assert not S.contact_only({"address": "望京SOHO", "date": "2026-11-25"})
    assert not S.contact_only({"service": "moving", "phone": "13812345678"}) and not S.contact_only({})


async def test_a_summary_not_understood_is_not_answered_with_how_to_book(make_app) -> None:
    """"yse" to the summary got 'Try "book a deep clean", "my orders"…' as if nothing were open."""
    app = await make_app()
    c = Customer(app, lang="en")
    await c.say("deep clean tomorrow 3pm at 5 Park Lane phone 13812345678")
    answer = await c.say("yse")
    assert "didn't catch that" in answer and "book a deep clean" not in answer and "awaiting confirmation" in answer


async def test_typing_a_quick_reply_label_picks_it(make_app) -> None:
    """"修改" (the label of [2]) was not understood; the "3" that followed picked [3] 取消
    of the summary shown again, and the booking was dropped."""
    app = await make_app()
    c = await at_summary(app)
    assert "要修改哪一项" in await c.say("修改")
    assert "地址" in await c.say("地址")
    summary = await c.say("朝阳区建国路88号")
    assert "朝阳区建国路88号" in summary and "请核对订单" in summary
    assert "预约成功" in await c.say("确认下单")
    await c.say("取消订单")
    assert "保持不变" in await c.say("保留订单")


def test_labelled_choice_matches_a_whole_label_only() -> None:
    offered, labels = ["affirm", "deny", "cancel"], ["确认下单", "修改", "取消"]
    assert labelled_choice(" 修改 ", offered, labels) == "deny"
    assert labelled_choice("Change!", ["deny"], ["Change"]) == "deny"
    assert labelled_choice("修改地址", offered, labels) is None
    assert labelled_choice("修改", offered, []) is None  # a state saved before labels were kept


async def test_a_phone_given_early_is_acknowledged_not_the_same_line_again(make_app) -> None:
    """A phone given before it was asked for got the previous message again word for word
    ("好的，开锁换锁，朝阳区…。请问约哪天"), as if it had not been read."""
    app = await make_app()
    c = Customer(app)
    await c.say("钥匙丢了，被锁在门外了")
    before = await c.say("朝阳区团结湖北里5号楼301")
    after = await c.say("13812345678")
    assert after != before and "已记下电话 13812345678" in after and "哪天" in after
    en = Customer(app, user="u2", lang="en")
    await en.say("deep clean")
    assert "Noted: phone 13812345678." in await en.say("phone 13812345678")


async def test_a_note_during_a_booking_goes_on_the_order(make_app) -> None:
    """"备注：家里有猫，请师傅带鞋套" got "抱歉，我没太明白" and the order was booked without it."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来望京SOHO T1-1203做个深度保洁")
    assert "已记下备注：家里有猫" in await c.say("备注：家里有猫，请师傅带鞋套")
    await c.say("13812345678")
    summary = await c.say("PS 到了先打电话")
    assert "备注：家里有猫，请师傅带鞋套；到了先打电话" in summary
    await c.say("确认")
    [order] = await all_orders(app)
    assert order.notes == "家里有猫，请师傅带鞋套；到了先打电话"
    assert "预约深度保洁" in await Customer(app, user="u2").say("备注：家里有猫")  # no booking: not a note


def test_note_from_needs_the_word_note() -> None:
    assert S.note_from("备注：家里有猫") == "家里有猫" and S.note_from("Note: two cats") == "two cats"
    assert S.note_from("备注家里有猫") == "家里有猫"
    assert S.note_from("家里有猫") is None and S.note_from("备注") is None
    assert S.merge({"notes": "带梯子"}, {"notes": "有猫"})["notes"] == "带梯子；有猫"
    assert S.merge({"notes": "a"}, {"notes": "b"})["notes"] == "a; b"


async def test_the_claimer_gets_the_notes_in_private(make_app) -> None:
    """Not the group card: a note may hold a phone or a door code."""
    app = await make_app()
    c = await at_summary(app)
    await c.say("备注：门禁密码1234")
    await c.say("确认")
    [order] = await all_orders(app)
    assert "门禁密码1234" in app.worker.renderer.text("staff_details", "zh", order=order)


async def test_change_the_time_of_the_booking_under_way(make_app) -> None:
    """"时间改一下" at the summary reads as reschedule, which only booked orders had: "没明白"."""
    app = await make_app()
    c = await at_summary(app)
    assert "几点方便" in await c.say("时间改一下"), "the hour, on the same day unless another is named"
    summary = await c.say("后天上午")
    assert "11月26日（周四）上午" in summary and "请核对订单" in summary


async def test_rescheduling_to_the_time_it_already_has(make_app) -> None:
    """"改到明天下午3点" for the order of tomorrow 15:00 asked "15:00 → 15:00，确定修改吗？"
    and then said "✅ 已改好" with nothing changed."""
    c = await booked(await make_app())
    answer = await c.say("改到明天下午3点")
    assert "本来就约在 11月25日（周三）15:00" in answer and "→" not in answer
    assert "11月26日（周四）15:00，确定修改吗" in await c.say("后天下午3点")


async def test_wanting_to_review_with_nothing_done_yet(make_app) -> None:
    """"我想评价一下" from a customer with no completed order got "谢谢您的反馈！" for feedback never given."""
    app = await make_app()
    assert "还没有已完成的订单" in await Customer(app).say("我想评价一下")
    assert "no completed order" in await Customer(app, user="u2", lang="en").say("I want to leave a review")
    low = await Customer(app, user="u3").say("给你们一星")
    assert "还没有已完成的订单" in low and "转人工" in low and "联系您改进" not in low, "no promise nobody keeps"
    assert "转人工" not in await Customer(app, user="u4").say("五星好评")


async def test_a_typo_halfway_does_not_switch_to_english(make_app) -> None:
    """"asdf" during a Chinese booking turned the rest of it English ("[1] Service  [2] Time…")."""
    app = await make_app()
    c = await at_summary(app)
    assert "抱歉" in await c.say("asdf")
    assert "I can:" in await Customer(app, user="u2").say("what can you do")  # a first message still picks


async def test_yes_after_saying_no_to_the_summary_confirms(make_app) -> None:
    """After "不对" and its menu, "没问题了，确认吧" got a bare "抱歉，我没太明白。" and no question.
    Once a field is picked, though, a "好" is no confirmation of the old values."""
    app = await make_app()
    c, picked = await at_summary(app), await at_summary(app, user="u2")
    assert "要修改哪一项" in await c.say("不对")
    lost = await c.say("asdf")
    assert "没太明白" in lost and "要修改哪一项" in lost
    assert "预约成功" in await c.say("没问题了，确认吧")
    await picked.say("不对")
    await picked.say("时间")
    assert "预约成功" not in await picked.say("好")
    assert [o.status for o in await all_orders(app)] == ["confirmed", "pending"]


async def test_never_mind_to_which_order_keeps_them(make_app) -> None:
    """"算了" to "which one do you want to cancel?" got "需要预约服务的话，直接告诉我…"."""
    app = await make_app()
    c = await booked(app)
    assert "请核对订单" in await c.say("后天上午10点来望京SOHO T1-1203擦玻璃")
    assert "预约成功" in await c.say("确认")
    assert "取消哪一个" in await c.say("取消订单")
    assert "订单都保持不变" in await c.say("算了")
    assert [o.status for o in await all_orders(app)] == ["confirmed", "confirmed"]


async def test_i_dont_know_to_a_question_says_how_to_answer_it(make_app) -> None:
    """"不知道" was taken as a no, then as not understood; the question asked stands."""
    app = await make_app()
    c = Customer(app)
    await c.say("我想约个日常保洁")
    assert "想好哪天方便" in await c.say("不知道")
    await c.say("明天")
    assert "大概的时段" in await c.say("我也不清楚")
    assert "地址" in await c.say("下午")
    assert "门牌号" in await c.say("不知道")
    assert "电话" in await c.say("望京SOHO T1-1203")
    en = Customer(app, user="u2", lang="en")
    await en.say("I need a deep clean tomorrow")
    assert "rough time of day" in await en.say("not sure")


async def two_bookings_asked(app) -> tuple[Customer, str]:  # noqa: ANN001
    """A customer who asked for two bookings in one message, and the answer."""
    c = Customer(app)
    return c, await c.say("明天上午做个深度保洁，后天下午修空调，地址望京SOHO T1-1203，电话13812345678")


async def test_two_bookings_in_one_message_are_booked_one_after_the_other(make_app) -> None:
    """"明天上午做个深度保洁，后天下午修空调" became one appliance repair tomorrow morning."""
    app = await make_app()
    c, answer = await two_bookings_asked(app)
    assert "先约深度保洁，确认后再约家电维修" in answer and "深度保洁" in answer and "请核对" in answer
    answer = await c.say("确认")
    assert "预约成功" in answer and "接下来约家电维修" in answer and "请核对" in answer
    assert "望京SOHO T1-1203" in answer.split("接下来")[1], "the address said once goes with both"
    assert "预约成功" in await c.say("确认")
    orders = await all_orders(app)
    assert [(o.service_id, o.date.isoformat(), o.period, o.status) for o in orders] == [
        ("deep_cleaning", "2026-11-25", "morning", "confirmed"),
        ("appliance_repair", "2026-11-26", "afternoon", "confirmed")]
    assert "请问您需要什么服务" not in await c.say("谢谢"), "nothing more is queued"


async def test_a_move_keeps_where_it_goes(make_app) -> None:
    """"从望京SOHO搬到回龙观" gave the address "从望京SOHO" and lost the destination."""
    app = await make_app()
    c = Customer(app)
    await c.say("下周六上午9点搬家，从朝阳区望京SOHO T1-1203搬到海淀区上地东里5号楼")
    summary = await c.say("13812345678")
    assert "地址：朝阳区望京SOHO T1-1203\n· 搬到：海淀区上地东里5号楼" in summary
    assert "朝阳区望京SOHO T1-1203 → 海淀区上地东里5号楼" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.address, order.destination, order.notes) == \
        ("朝阳区望京SOHO T1-1203", "海淀区上地东里5号楼", None), "where it goes is a field of its own"


async def test_dropping_the_first_of_two_bookings_says_the_second_goes_too(make_app) -> None:
    app = await make_app()
    c, _ = await two_bookings_asked(app)
    answer = await c.say("取消")
    assert "已取消" in answer and "家电维修也不约了" in answer
    assert "家电维修" not in await c.say("你好"), "nothing is left queued"
    assert [o.status for o in await all_orders(app)] == ["cancelled"]


# ------------------------------------------------------------------ never mind (QA round 3)
async def test_never_mind_drops_the_booking_under_way(make_app) -> None:
    """"算了，不用了" to a question of the booking was "没明白", and at the summary it
    opened the change menu."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来做深度保洁")
    assert "预约已取消" in await c.say("算了，不用了")
    await c.say("明天下午3点来做深度保洁，地址望京SOHO T1-1203，电话13812345678")
    assert "要修改哪一项" in await c.say("不对"), "a plain no still asks what to change"
    assert "预约已取消" in await c.say("算了")
    assert [o.status for o in await all_orders(app)] == ["cancelled"], "the draft shown is dropped"
    en = Customer(app, user="e1")
    await en.say("deep clean tomorrow at 3pm")
    assert "address" in await en.say("I dont know yet"), "no address: the question stands"
    assert "dropped this booking" in await en.say("stop")


async def test_never_mind_right_after_asking_for_a_person_is_about_the_person(make_app) -> None:
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来做深度保洁")
    await c.say("转人工")
    answer = await c.say("算了，不用了")
    assert "不转人工了" in answer and "地址" in answer, "the booking goes on"
    assert "电话" in await c.say("望京SOHO T1-1203")


async def test_no_person_wanted_in_english_is_answered_in_english(make_app) -> None:
    app = await make_app()
    assert "no person then" in await Customer(app, user="e1").say("no need for a human")


async def test_a_moves_destination_is_corrected_not_its_start(make_app) -> None:
    """"搬到…6号楼" at the summary replaced the pickup address; after booking "目的地写错了"
    changed the address too."""
    app = await make_app()
    c = Customer(app)
    await c.say("下周六上午9点搬家，从朝阳区望京SOHO T1-1203搬到海淀区上地东里5号楼，电话13812345678")
    summary = await c.say("搬到海淀区上地东里6号楼301")
    assert "地址：朝阳区望京SOHO T1-1203" in summary and "搬到：海淀区上地东里6号楼301" in summary
    await c.say("确认")
    ask = await c.say("目的地写错了，是海淀区上地东里7号楼")
    assert "搬家目的地：海淀区上地东里6号楼301 → 海淀区上地东里7号楼" in ask
    assert "搬家目的地已更新" in await c.say("确认")
    [order] = await all_orders(app)
    assert (order.address, order.destination) == ("朝阳区望京SOHO T1-1203", "海淀区上地东里7号楼")


async def _two_orders(app) -> Customer:  # noqa: ANN001
    """A customer with a deep clean tomorrow 09:00 and an appliance repair the day after."""
    c = Customer(app)
    await c.say("明天上午9点深度保洁，地址望京SOHO T1-1203，电话13812345678")
    await c.say("确认")
    await c.say("后天上午10点修空调，地址望京SOHO T1-1203")
    await c.say("确认")
    return c


async def test_with_two_orders_the_new_time_survives_the_choice_and_a_service_settles_it(make_app) -> None:
    """"改到后天下午3点" asked which order, then asked the time again; "把深度保洁改到…" asked
    which order though only one was a deep clean."""
    c = await _two_orders(await make_app())
    assert "哪一个" in await c.say("改到后天下午3点")
    assert "→ 11月26日（周四）15:00" in await c.say("深度保洁那个"), "the service answers 'which order?'"
    await c.say("是的")
    assert "11月26日（周四）15:00 → 11月27日（周五）15:00" in await c.say("把深度保洁改到大后天下午3点")
    await c.say("是的")
    answer = await c.say("取消修空调的单")
    assert "确定要取消" in answer and "家电维修" in answer and "深度保洁" not in answer



async def test_qa_round_4(make_app) -> None:
    """From the second QA pass: "不用改了" at the summary dropped the booking; "马上" to
    "which day and time?" was "take your time"; "地址我马上发你" was not understood; saying
    no person was wanted ("没必要转人工") alerted staff; "I no longer need a human" asked for
    the address became the address."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来望京SOHO T1-1203做深度保洁，电话13812345678")
    assert "预约成功" in await c.say("不用改了，确认")
    lock = Customer(app, user="l1")
    await lock.say("开锁")
    assert "11月24日（周二）20:30" in await lock.say("马上"), "now, as the first message would have been"
    wait = Customer(app, user="w1")
    await wait.say("明天下午3点深度保洁")
    assert "不着急" in await wait.say("地址我马上发你")
    for n, text in enumerate(("没必要转人工", "人工不需要", "I don't need customer service", "no human please")):
        assert "通知人工" not in await Customer(app, user=f"n{n}").say(text)
    en = Customer(app, user="e1", lang="en")
    await en.say("deep cleaning tomorrow 3pm")
    assert "I no longer need a human" not in await en.say("I no longer need a human")


async def test_which_order_is_answered_by_its_place_in_the_list(make_app) -> None:
    c = await _two_orders(await make_app())
    assert "哪一个" in await c.say("改到大后天上午10点")
    assert "11月25日（周三）09:00 → 11月27日（周五）10:00" in await c.say("第一个")


async def test_changing_the_time_keeps_the_day_unless_another_is_named(make_app) -> None:
    """Change → time asked for the day again, and "5点" then lost the day."""
    app = await make_app()
    c = Customer(app)
    await c.say("明天下午3点来望京SOHO T1-1203做深度保洁，电话13812345678")
    await c.say("不对")
    assert "11月25日（周三）几点方便" in await c.say(payload="change:time")
    assert "11月25日（周三）17:00" in await c.say("5点")
    await c.say("不对")
    await c.say(payload="change:time")
    assert "11月26日（周四）16:00" in await c.say("后天下午4点")


async def test_an_english_address_on_one_line_is_booked_whole(make_app) -> None:
    """"Flat 1203, Tower 1, Wangjing SOHO" was booked as "Tower 1"."""
    app = await make_app()
    c = Customer(app, lang="en")
    summary = await c.say("deep cleaning tomorrow 3pm at Flat 1203, Tower 1, Wangjing SOHO, phone 13812345678")
    assert "Flat 1203, Tower 1, Wangjing SOHO" in summary
    await c.say("confirm")
    (order,) = await all_orders(app)
    assert order.address == "Flat 1203, Tower 1, Wangjing SOHO"
