"""The dialogue flags read on the message as typed (nlu.shifts, nlu.corrections,
nlu.review_words): what the
dialogue once read with regexes of its own now comes from the NLU, so every backend
(and the dialogue's tests) sees one reading."""

from __future__ import annotations

import datetime as dt

import pytest

from nlu.corrections import fixed_address
from nlu.pipeline import NluParser
from nlu.rasa import RasaParser
from storage.catalog import demo_catalog

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
READ_AS_TYPED = ("moved_by", "replaces", "room_fix", "wrong_field", "yes_but", "cancel_the_order",
                 "word_rating", "rating_comment", "no_comment")


@pytest.fixture(scope="module")
def parser() -> NluParser:
    return NluParser(demo_catalog())


def flags(parser: NluParser, text: str, expected: str | None = None) -> dict[str, object]:
    """Only the flags this file is about."""
    got = parser.parse(text, now=NOW, expected=expected).flags
    return {k: v for k, v in got.items() if k in READ_AS_TYPED}


@pytest.mark.parametrize("text, minutes", [
    ("提前一个小时", -60), ("推迟半小时", 30), ("往后推半小时", 30), ("晚一个半小时", 90), ("推迟一天", 1440),
    ("an hour earlier", -60), ("push it back 30 minutes", 30), ("bring it forward by 2 hours", -120),
])
def test_moved_by_is_the_signed_minutes(parser: NluParser, text: str, minutes: int) -> None:
    assert flags(parser, text) == {"moved_by": minutes}


@pytest.mark.parametrize("text", ["晚点", "晚上8点", "早上9点保洁", "push it back", "明天下午3点", "两天后"])
def test_no_amount_with_a_direction_moves_nothing(parser: NluParser, text: str) -> None:
    assert "moved_by" not in flags(parser, text)


def test_moved_by_answers_the_time_question_too(parser: NluParser) -> None:
    assert flags(parser, "提前一个小时", expected="time") == {"moved_by": -60}


def test_an_address_part_put_right(parser: NluParser) -> None:
    assert flags(parser, "对 但是地址是T2不是T1") == {"replaces": [("T1", "T2")], "yes_but": True}
    assert flags(parser, "不是T1，是T2")["replaces"] == [("T1", "T2")]
    assert flags(parser, "the address is Tower 2 not Tower 1") == {"replaces": [("Tower 1", "Tower 2")]}
    assert flags(parser, "门牌号是1503") == {"room_fix": "1503"}
    assert flags(parser, "room number is 1503") == {"room_fix": "1503"}
    assert flags(parser, "明天下午3点来") == {}


def test_the_dialogue_applies_the_fix_to_the_address_it_read_back(parser: NluParser) -> None:
    address = "朝阳区望京SOHO T1-1203"

    def fixed(text: str) -> str | None:
        got = flags(parser, text)
        return fixed_address(address, got.get("replaces", ()), got.get("room_fix"))

    assert fixed("对 但是地址是T2不是T1") == "朝阳区望京SOHO T2-1203"
    assert fixed("门牌号是1503") == "朝阳区望京SOHO T1-1503"
    assert fixed("是T3不是T9") is None, "T9 is not in the address"
    assert fixed_address(None, [("T1", "T2")], "1503") is None


@pytest.mark.parametrize("text, field", [
    ("电话错了", "phone"), ("手机号写错了", "phone"), ("wrong phone number", "phone"),
    ("地址不对", "address"), ("wrong address", "address"),
    ("电话错了，地址也不对", "phone"),  # the phone is asked first, as before
])
def test_wrong_field(parser: NluParser, text: str, field: str) -> None:
    assert flags(parser, text)["wrong_field"] == field


def test_yes_but_and_a_plain_yes(parser: NluParser) -> None:
    assert flags(parser, "好的 不过还有个问题") == {"yes_but": True}
    assert flags(parser, "yes, but the time is wrong")["yes_but"] is True
    assert "yes_but" not in flags(parser, "好的") and "yes_but" not in flags(parser, "yes")
    assert "yes_but" not in flags(parser, "butter"), "a word with 'but' in it is no but"


@pytest.mark.parametrize("text", ["算了 直接取消吧", "干脆取消订单", "不要了", "cancel it instead",
                                  "can I just cancel", "cancel the whole booking"])
def test_cancel_the_order(parser: NluParser, text: str) -> None:
    assert flags(parser, text).get("cancel_the_order") is True


@pytest.mark.parametrize("text", ["取消", "cancel", "确定取消"])
def test_a_bare_cancel_is_not_the_orders(parser: NluParser, text: str) -> None:
    assert "cancel_the_order" not in flags(parser, text)


@pytest.mark.parametrize("text, stars", [("满意", 5), ("一般", 3), ("给个好评", 5), ("👍", 5), ("terrible", 1),
                                         ("不满意，没擦干净", 2)])
def test_word_rating(parser: NluParser, text: str, stars: int) -> None:
    assert flags(parser, text, expected="rating")["word_rating"] == stars
    assert flags(parser, text)["word_rating"] == stars, "a review said out of the blue too"


@pytest.mark.parametrize("text", ["不好意思晚点到", "good morning", "我很满意你们的服务但想改时间"])
def test_a_rating_word_inside_a_sentence_is_none(parser: NluParser, text: str) -> None:
    assert "word_rating" not in flags(parser, text)


def test_rating_comment(parser: NluParser) -> None:
    assert flags(parser, "差评！师傅态度很差")["rating_comment"] == "师傅态度很差"
    assert flags(parser, "4星，阿姨挺好的就是阳台没擦")["rating_comment"] == "阿姨挺好的就是阳台没擦"
    assert "rating_comment" not in flags(parser, "5星，没了")
    assert "rating_comment" not in flags(parser, "五星吧，不对，还是3星"), "the rating read again, no comment"


def test_no_comment(parser: NluParser) -> None:
    assert flags(parser, "没有了", expected="rating")["no_comment"] is True
    assert flags(parser, "no thanks")["no_comment"] is True
    assert "no_comment" not in flags(parser, "没有准时到")


def test_the_flags_are_no_part_of_the_contract(parser: NluParser) -> None:
    r = parser.parse("对 但是地址是T2不是T1", now=NOW)
    out = r.as_contract("m1")
    assert set(out) == {"id", "intent", "confidence", "slots"} and out["slots"] == {}


def test_a_message_split_in_two_bookings_keeps_the_wholes_flags(parser: NluParser) -> None:
    r = parser.parse("明天上午保洁，后天下午修空调，门牌号是1503", now=NOW)
    assert r.flags["more"]["slots"]["service"] == "appliance_repair"
    assert r.flags["room_fix"] == "1503", "read on the whole message, not only its first booking"
    assert "room_fix" not in parser.parse("明天上午保洁，后天下午修空调", now=NOW).flags


def test_the_rasa_backend_takes_them_from_the_embedded_parse(parser: NluParser) -> None:
    rasa = RasaParser("http://127.0.0.1:1", parser)
    answer = {"intent": {"name": "reschedule", "confidence": 0.9}, "entities": []}
    r = rasa.from_rasa(answer, "提前一个小时", NOW, None)
    assert r.intent == "reschedule" and r.flags["moved_by"] == -60
    r = rasa.from_rasa({"intent": {"name": "cancel", "confidence": 0.9}, "entities": []}, "算了 直接取消吧", NOW, None)
    assert r.flags["cancel_the_order"] is True
