"""Reviews: ratings and comments on completed orders."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Order, OrderStatus, Review, ScheduledJob


async def of_order(session: AsyncSession, order_id: int) -> Review | None:
    return (await session.execute(select(Review).where(Review.order_id == order_id))).scalar_one_or_none()


async def rate(session: AsyncSession, order: Order, rating: int) -> Review:
    """Store (or change) the order's rating, on the order and its review."""
    if not 1 <= rating <= 5:
        raise ValueError(f"a rating is 1-5, got {rating}")
    order.rating = rating
    review = await of_order(session, order.id)
    if review is None:
        review = Review(order_id=order.id, rating=rating)
        session.add(review)
    else:
        review.rating = rating
    return review


async def comment(session: AsyncSession, order_id: int, text: str) -> Review | None:
    review = await of_order(session, order_id)
    if review is not None:
        review.comment = text
    return review


async def awaiting_rating(session: AsyncSession, customer_id: int, *, invite_kinds: Iterable[str],
                          since: dt.datetime) -> Order | None:
    """The customer's completed order whose review invitation was sent (a done
    job of `invite_kinds`, due since `since`) and that has no rating yet."""
    q = (select(Order)
         .join(ScheduledJob, ScheduledJob.order_id == Order.id)
         .outerjoin(Review, Review.order_id == Order.id)
         .where(Order.customer_id == customer_id, Order.status == OrderStatus.COMPLETED,
                ScheduledJob.kind.in_(list(invite_kinds)), ScheduledJob.status == "done",
                ScheduledJob.due_at >= since, Review.id.is_(None))
         .order_by(ScheduledJob.due_at.desc()).limit(1))
    return (await session.execute(q)).scalars().first()
