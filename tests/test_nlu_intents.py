"""Intents, flags, `expected` context, language, and the issue's end-to-end examples."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nlu.courtesy import is_thanks, is_wait
from nlu.intents import INTENT_KEYWORDS, core_text, short_answer
from nlu.pipeline import NluParser
from nlu.types import INTENTS
from storage.catalog import demo_catalog

NOW = datetime(2026, 11, 24, 20, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


# ------------------------------------------------------------------ the examples
def test_book_with_service_date_time(parser: NluParser) -> None:
    r = parser.parse("我想明天下午3点做个深度保洁", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}
    assert r.lang == "zh"
    assert 0.0 <= r.confidence <= 1.0


def test_book_with_everything(parser: NluParser) -> None:
    r = parser.parse("明天下午三点来望京SOHO T1-1203做个深度保洁，电话13812345678", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00",
                       "address": "望京SOHO T1-1203", "phone": "13812345678"}


def test_expected_address(parser: NluParser) -> None:
    r = parser.parse("朝阳区望京SOHO T1 1203", now=NOW, expected="address")
    assert r.slots == {"address": "朝阳区望京SOHO T1 1203"}
    assert r.intent == "book"


def test_expected_phone_and_confirmation(parser: NluParser) -> None:
    r = parser.parse("13812345678", now=NOW, expected="phone")
    assert r.slots == {"phone": "13812345678"}
    assert r.intent == "book"
    r = parser.parse("确认", now=NOW, expected="phone")
    assert r.intent == "affirm"
    assert r.slots == {}


def test_english_booking(parser: NluParser) -> None:
    r = parser.parse("I'd like a deep clean tomorrow at 3pm", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-25", "time": "15:00"}
    assert r.lang == "en"


def test_a_signed_english_booking(parser: NluParser) -> None:
    r = parser.parse("Could you do a deep clean on Friday at 2pm? Olivia Grant +447700900555", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning", "date": "2026-11-27", "time": "14:00",
                       "phone": "+447700900555", "name": "Olivia Grant"}
    # thanking someone by name is no booking and gives no name
    r = parser.parse("Thanks, Olivia", now=NOW)
    assert r.intent != "book" and r.slots == {}


def test_corrections(parser: NluParser) -> None:
    r = parser.parse("改成后天", now=NOW)
    assert r.flags.get("correction") is True
    assert r.slots == {"date": "2026-11-26"}
    assert r.intent == "reschedule"
    r = parser.parse("不对，是下午4点", now=NOW)
    assert r.flags.get("correction") is True
    assert r.slots == {"time": "16:00"}
    assert r.intent == "book"


# ------------------------------------------------------------------ every intent
@pytest.mark.parametrize("text, intent", [
    ("你好", "greet"), ("您好", "greet"), ("在吗", "greet"), ("hi", "greet"), ("Hello!", "greet"),
    ("早上好", "greet"), ("good morning", "greet"),
    ("我想明天做保洁", "book"), ("预约深度保洁", "book"), ("马桶堵了", "book"), ("I need a cleaner", "book"),
    ("book a locksmith for tomorrow", "book"), ("你好，我想预约保洁", "book"),
    ("改成后天", "reschedule"), ("改到下午3点", "reschedule"), ("能不能推迟到周五", "reschedule"),
    ("我要改时间", "reschedule"), ("时间改一下", "reschedule"), ("reschedule to friday", "reschedule"),
    ("can we reschedule?", "reschedule"), ("move it to monday", "reschedule"),
    ("取消订单", "cancel"), ("不要了", "cancel"), ("cancel my booking", "cancel"), ("取消明天的预约", "cancel"),
    ("我不需要保洁了", "cancel"), ("不来了", "cancel"), ("please cancel", "cancel"), ("取消預約", "cancel"),
    ("我的订单呢", "status"), ("订单状态", "status"), ("师傅什么时候到", "status"), ("where is my order", "status"),
    ("师傅到哪了", "status"), ("我的预约确认了吗", "status"), ("when will the cleaner arrive?", "status"),
    ("20261124-0007", "status"), ("訂單狀態", "status"),
    ("多少钱", "price"), ("价格", "price"), ("怎么收费", "price"), ("深度保洁多少钱", "price"), ("how much", "price"),
    ("how much is moving?", "price"), ("上门费多少", "price"), ("what's the price", "price"),
    ("给个五星", "review"), ("服务很好 5分", "review"), ("五星好评", "review"), ("rating", "review"),
    ("5 stars", "review"), ("师傅很专业", "review"), ("非常满意", "review"), ("great service", "review"),
    ("⭐⭐⭐⭐⭐", "review"),
    ("转人工", "human"), ("找客服", "human"), ("人工", "human"), ("我要投诉", "human"), ("talk to a human", "human"),
    ("can I speak to a real person", "human"),
    ("确认", "affirm"), ("好的", "affirm"), ("对", "affirm"), ("是的", "affirm"), ("没问题", "affirm"),
    ("可以", "affirm"), ("yes", "affirm"), ("ok", "affirm"), ("OK", "affirm"), ("confirm", "affirm"),
    ("sure", "affirm"), ("好的！", "affirm"), ("嗯嗯", "affirm"), ("👍", "affirm"), ("好的，谢谢", "affirm"),
    ("不对", "deny"), ("不是", "deny"), ("no", "deny"), ("不用了", "deny"), ("nope", "deny"), ("算了", "deny"),
    ("不行", "deny"), ("No.", "deny"), ("no, thanks", "deny"), ("don't", "deny"), ("that's right", "affirm"),
    ("谢谢", "other"), ("随便聊聊", "other"), ("", "other"), ("？？？", "other"), ("asdfgh", "other"),
    # a judgement of a job already done is a review, even when it names the service
    ("擦得特别干净 谢谢阿姨", "review"), ("空调修得很快", "review"), ("半小时就修好了 点个赞", "review"),
    ("搬完了 家具一件都没坏", "review"), ("地板被刮花了", "review"), ("洗完的油烟机跟没洗一样", "review"),
    ("太失望了 下次不找你们了", "review"), ("搬家的师傅挺辛苦的", "review"),
    ("The locksmith fixed it quickly, very happy with the service", "review"),
    ("the cleaners did a lovely job", "review"), ("we were really pleased, thanks", "review"),
    ("the plumber was late and rude", "review"), ("They did the bathroom very well", "review"),
    ("not impressed with the window cleaning", "review"),
    # ...but a wish for the result, or a question about it, is still a booking
    ("想打扫干净点 明天来", "book"), ("一个小时能修好吗", "book"),
    ("I'd be happy if you could come at 3pm", "book"),
    # still waiting for the visit
    ("都等了半个小时了 人到底来不来", "status"), ("等了快一个小时了 师傅呢", "status"), ("师傅来不来啊", "status"),
    ("the cleaner still hasn't shown up", "status"), ("waited 40 minutes, is anyone actually coming?", "status"),
    ("is my booking on Friday confirmed yet", "status"),
    ("等了半小时才到 服务很一般", "review"),  # waiting told afterwards is an opinion
    # asking for a job is not a booking
    ("你们招人吗 我想兼职", "other"), ("do you guys hire students?", "other"), ("are you hiring cleaners", "other"),
    ("我想应聘保洁员", "other"), ("I want to hire a cleaner for tomorrow", "book"),
    # the bot asked whether it is a person, an insult that starts like 你好
    ("你是真人吗", "other"), ("你是机器人还是真人啊", "other"), ("我要找真人", "human"), ("你好烦啊 听不懂人话", "other"),
    # yes/no with emoji or a polite tail
    ("Sounds good to me 👍", "affirm"), ("works for me", "affirm"), ("好的👌", "affirm"),
    ("暂时不需要", "deny"), ("目前不需要", "deny"), ("sorry不用了", "deny"), ("不好意思 不需要", "deny"),
    ("发错群了 不好意思", "other"),
])
def test_intent(parser: NluParser, text: str, intent: str) -> None:
    assert parser.parse(text, now=NOW).intent == intent


def test_every_contract_intent_is_reachable(parser: NluParser) -> None:
    samples = ["你好", "预约保洁", "改到后天", "取消订单", "我的订单呢", "多少钱", "五星好评", "确认", "不用了",
               "转人工", "谢谢"]
    assert {parser.parse(s, now=NOW).intent for s in samples} == set(INTENTS)


def test_keyword_table_is_plain_data() -> None:
    # the next issue loads intents from YAML: the table must stay intent -> lang -> list of strings
    assert set(INTENT_KEYWORDS) <= set(INTENTS)
    for langs in INTENT_KEYWORDS.values():
        assert set(langs) <= {"zh", "en"}
        assert all(isinstance(p, str) and p for ps in langs.values() for p in ps)


def test_price_keeps_the_service(parser: NluParser) -> None:
    r = parser.parse("深度保洁多少钱", now=NOW)
    assert (r.intent, r.slots) == ("price", {"service": "deep_cleaning"})


def test_cancel_keeps_the_date(parser: NluParser) -> None:
    r = parser.parse("取消明天的预约", now=NOW)
    assert (r.intent, r.slots) == ("cancel", {"date": "2026-11-25"})


def test_status_with_order_ref(parser: NluParser) -> None:
    r = parser.parse("订单号 20261124-0007 到哪了", now=NOW)
    assert (r.intent, r.slots) == ("status", {"order_ref": "20261124-0007"})


def test_review_with_rating(parser: NluParser) -> None:
    r = parser.parse("服务很好 5分", now=NOW)
    assert (r.intent, r.slots) == ("review", {"rating": 5})


# ------------------------------------------------------------------ corrections
@pytest.mark.parametrize("text, slots", [
    ("改成后天", {"date": "2026-11-26"}),
    ("改为下午三点", {"time": "15:00"}),
    ("换成周日", {"date": "2026-11-29"}),
    ("不对，是下午4点", {"time": "16:00"}),
    ("不是明天，是后天", {"date": "2026-11-26"}),
    ("电话写错了，是13912345678", {"phone": "13912345678"}),
    ("地址改成朝阳区望京西园三区", {"address": "朝阳区望京西园三区"}),
    ("更正一下，王女士", {"name": "王女士"}),
    ("actually make it 4pm", {"time": "16:00"}),
    ("I meant Saturday", {"date": "2026-11-28"}),
    ("sorry, it's 5pm", {"time": "17:00"}),
    ("change it to friday", {"date": "2026-11-27"}),
    ("thursday instead", {"date": "2026-11-26"}),
    ("nope, Sunday", {"date": "2026-11-29"}),
    ("No, 4pm", {"time": "16:00"}),
])
def test_correction_flag_and_value(parser: NluParser, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("correction") is True
    assert r.slots == slots
    assert r.intent in ("book", "reschedule")


def test_reschedule_words_with_a_date_are_reschedule_and_correction(parser: NluParser) -> None:
    for text in ("改成后天", "reschedule to friday", "换到下周一上午", "推迟到周五"):
        r = parser.parse(text, now=NOW)
        assert r.intent == "reschedule", text
        assert r.flags.get("correction") is True, text


def test_correction_of_a_non_time_slot_is_book(parser: NluParser) -> None:
    r = parser.parse("改成深度保洁", now=NOW)
    assert r.intent == "book"
    assert r.slots == {"service": "deep_cleaning"}
    assert r.flags.get("correction") is True


@pytest.mark.parametrize("text", ["我想明天做保洁", "好的", "你好", "where is my order", "多少钱", "不用了",
                                  "no, thanks", "What's wrong with my fridge?"])
def test_no_correction_flag_on_plain_messages(parser: NluParser, text: str) -> None:
    assert "correction" not in parser.parse(text, now=NOW).flags


# ------------------------------------------------------------------ help and other flags
@pytest.mark.parametrize("text, intent", [
    ("帮助", "other"), ("help", "other"), ("怎么用", "other"), ("你能做什么", "other"), ("what can you do?", "other"),
    ("你好，你能做什么", "greet"), ("hi, help", "greet"),
])
def test_help_flag(parser: NluParser, text: str, intent: str) -> None:
    r = parser.parse(text, now=NOW)
    assert r.flags.get("help") is True
    assert r.intent == intent


def test_help_flag_not_set_on_bookings(parser: NluParser) -> None:
    r = parser.parse("can you help me fix my fridge tomorrow", now=NOW)
    assert r.intent == "book"
    assert "help" not in r.flags


def test_question_and_greeting_flags(parser: NluParser) -> None:
    r = parser.parse("你好，明天能来做保洁吗？", now=NOW)
    assert r.intent == "book"
    assert r.flags.get("greeting") is True
    assert r.flags.get("question") is True
    assert "question" not in parser.parse("好的", now=NOW).flags


# ------------------------------------------------------------------ expected context
@pytest.mark.parametrize("expected, text, slots", [
    ("time", "3点", {"time": "15:00"}),
    ("time", "3", {"time": "15:00"}),
    ("time", "下午三点半", {"time": "15:30"}),
    ("date", "周六", {"date": "2026-11-28"}),
    ("date", "后天", {"date": "2026-11-26"}),
    ("name", "王", {"name": "王"}),
    ("name", "我姓王", {"name": "王"}),
    ("name", "Alice Chen", {"name": "Alice Chen"}),
    ("quantity", "两个", {"quantity": 2}),
    ("quantity", "3", {"quantity": 3}),
    ("address", "朝阳区望京SOHO T1 1203", {"address": "朝阳区望京SOHO T1 1203"}),
    ("address", "望京SOHO", {"address": "望京SOHO"}),
    ("phone", "138 1234 5678", {"phone": "13812345678"}),
    ("service", "深度保洁", {"service": "deep_cleaning"}),
    ("service", "马桶堵了", {"service": "drain_unclogging"}),
])
def test_bare_answer_fills_expected_slot_as_book(parser: NluParser, expected: str, text: str, slots: dict) -> None:
    r = parser.parse(text, now=NOW, expected=expected)
    assert r.slots == slots
    assert r.intent == "book"


@pytest.mark.parametrize("expected, text, intent", [
    ("address", "确认", "affirm"), ("name", "好的", "affirm"), ("time", "不对", "deny"), ("address", "取消订单", "cancel"),
    ("phone", "转人工", "human"), ("address", "我的订单呢", "status"), ("name", "多少钱", "price"),
    ("date", "不用了", "deny"),
])
def test_other_intents_win_over_expected(parser: NluParser, expected: str, text: str, intent: str) -> None:
    r = parser.parse(text, now=NOW, expected=expected)
    assert r.intent == intent
    assert expected not in r.slots


def test_expected_does_not_invent_values(parser: NluParser) -> None:
    assert parser.parse("随便", now=NOW, expected="time").slots == {}
    assert parser.parse("不知道", now=NOW, expected="quantity").slots == {}
    assert parser.parse("12345", now=NOW, expected="phone").slots == {}


# ------------------------------------------------------------------ language
@pytest.mark.parametrize("text, lang", [
    ("你好", "zh"), ("hello", "en"), ("明天 3pm deep clean", "zh"), ("13812345678", "und"), ("😀", "und"),
    ("", "und"), ("預約", "zh"), ("Ｈｅｌｌｏ", "en"),
])
def test_lang(parser: NluParser, text: str, lang: str) -> None:
    assert parser.parse(text, now=NOW).lang == lang


# ------------------------------------------------------------------ helpers
def test_core_text_and_short_answers() -> None:
    assert core_text("好的！！") == "好的"
    assert core_text("  yes, please.  ") == "yes please"  # input is normalised text
    assert core_text("好的呀～") == "好的"
    assert short_answer(core_text("好的呀～")) == "affirm"
    assert short_answer("no thanks") == "deny"
    assert short_answer("明天") is None


def test_contract_output_shape(parser: NluParser) -> None:
    out = parser.parse("我想明天下午3点做个深度保洁", now=NOW).as_contract("m1")
    assert list(out) == ["id", "intent", "confidence", "slots"]
    assert out["id"] == "m1" and out["intent"] == "book"
    assert isinstance(out["confidence"], float) and 0.0 <= out["confidence"] <= 1.0


def test_thanks_is_a_whole_message_of_thanks() -> None:
    assert all(is_thanks(t) for t in ("谢谢", "多谢", "thanks", "thank you", "Thank you so much!", "谢谢你～"))
    assert not any(is_thanks(t) for t in ("好的谢谢", "谢谢，地址是望京SOHO", "thanksgiving", ""))


def test_wait_is_a_whole_message_asking_to_wait() -> None:
    assert all(is_wait(t) for t in ("等一下", "稍等哈", "我问问我老婆", "hold on", "one sec", "let me check"))
    assert not any(is_wait(t) for t in ("等一下，地址是望京SOHO", "等了一个小时了", "wait, cancel it", ""))


def test_thanks_and_wait_are_flags_on_other(parser: NluParser) -> None:
    thanks, wait = parser.parse("谢谢你～", now=NOW), parser.parse("稍等，我找一下地址", now=NOW, expected="address")
    assert (thanks.intent, thanks.flags.get("thanks")) == ("other", True)
    assert wait.flags.get("wait") and "address" not in wait.slots
    assert not parser.parse("好的谢谢", now=NOW).flags.get("thanks"), "a yes that thanks is a yes"
