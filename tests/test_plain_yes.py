"""A plain yes ("好的", "ok thanks", "嗯嗯") while the bot waits for a day, an address or a
phone was answered "抱歉，我没太明白" (and after two, "如需人工帮助…"): the customer was only
being agreeable. The open question is asked again, nothing else; at the summary a yes still
confirms."""

from __future__ import annotations

import pytest

from tests.test_dialogue import Customer, all_orders


@pytest.mark.parametrize("lang, start, yes, question", [
    ("zh", "我要做个深度保洁", "好的谢谢", "请问约哪天、几点？"),
    ("zh", "我要做个深度保洁", "嗯嗯", "请问约哪天、几点？"),
    ("en", "I need a deep clean", "ok thanks", "Which day and time suit you?"),
])
async def test_a_plain_yes_to_an_open_question_asks_it_again(make_app, lang: str, start: str, yes: str,
                                                             question: str) -> None:
    c = Customer(await make_app(), lang=lang)
    await c.say(start)
    for _ in range(3):  # never "didn't understand", never a person offered
        reply = await c.say(yes)
        assert question in reply
        assert "没太明白" not in reply and "转人工" not in reply and "didn't catch" not in reply.lower()


async def test_the_booking_goes_on_and_a_yes_at_the_summary_confirms(make_app) -> None:
    c = Customer(await make_app())
    await c.say("我要做个深度保洁")
    await c.say("好的")
    assert "地址" in await c.say("明天下午3点")
    assert "地址" in await c.say("ok")
    await c.say("朝阳区望京SOHO T1-1203，13812345678")
    await c.say("好的谢谢")
    [o] = await all_orders(c.app)
    assert (o.status, o.service_id, o.address) == ("confirmed", "deep_cleaning", "朝阳区望京SOHO T1-1203")
