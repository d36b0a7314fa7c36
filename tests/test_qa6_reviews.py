"""Round 6 (QA): a review comment sent with the rating, and ratings said in words."""

from __future__ import annotations

import pytest

from handlers import reviews as V
from nlu.review_words import comment_with_rating, rating_from_words
from tests.conftest import Clock
from tests.reminder_helpers import Customer
from tests.test_reviews import completed, review_of


@pytest.mark.parametrize(("text", "stars", "comment"), [
    ("差评！师傅态度很差 还把我家花瓶打碎了", 1, "师傅态度很差 还把我家花瓶打碎了"),
    ("4星，阿姨挺好的就是阳台没擦", 4, "阿姨挺好的就是阳台没擦"),
    ("4 stars, the cleaner was great but forgot the balcony", 4,
     "the cleaner was great but forgot the balcony"),
])
async def test_the_comment_sent_with_the_rating_is_kept(
        make_app, clock: Clock, text: str, stars: int, comment: str) -> None:
    app, sent, order = await completed(make_app, clock)
    staff_before = len(sent.staff)
    c = Customer(app)
    reply = await c.say(text)
    assert "还有什么想对我们说的吗" not in reply and "Anything you'd like" not in reply, reply
    assert "留言" in reply or "comment" in reply, reply
    rating, review = await review_of(app, order.id)
    assert (rating, review.rating, review.comment) == (stars, stars, comment)
    await app.worker.run_once()
    if stars <= V.LOW_RATING:  # one staff alert, and it carries the reason
        assert sent.staff_templates()[staff_before:] == [("staff_low_rating", stars)]
        assert comment in sent.staff[-1][2].reply.text


@pytest.mark.parametrize(("text", "stars"), [("一般般吧", 3), ("👍", 5), ("给个好评", 5)])
async def test_ratings_in_more_words(make_app, clock: Clock, text: str, stars: int) -> None:
    app, sent, order = await completed(make_app, clock)
    c = Customer(app)
    reply = await c.say(text)
    assert f"{stars}星" in reply, reply
    assert (await review_of(app, order.id))[0] == stars


@pytest.mark.parametrize(("text", "comment"), [
    ("5星", None), ("满意", None), ("5星，没了", None), ("五星吧，不对，还是3星", None),
    ("不满意，没擦干净", "没擦干净"), ("⭐⭐⭐⭐⭐ 非常专业", "非常专业"),
])
def test_comment_with_rating(text: str, comment: str | None) -> None:
    assert comment_with_rating(text) == comment


@pytest.mark.parametrize(("text", "stars"), [
    ("一般般", 3), ("👍", 5), ("👎", 1), ("给个好评", 5), ("给个差评", 1),
    ("差评！师傅态度很差 还把我家花瓶打碎了，以后再也不找你们了", 1),
    ("不好意思晚点到", None), ("good morning", None), ("好评如潮的店铺一般都很贵吧我觉得是这样", None),
])
def test_rating_from_words(text: str, stars: int | None) -> None:
    assert rating_from_words(text) == stars
