"""Reviews: ratings and comments on completed orders."""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.jobs import CANCELLED
from storage.models import Order, OrderStatus, Review, ScheduledJob


async def of_order(session: AsyncSession, order_id: int) -> Review | None:
    return (await session.execute(select(Review).where(Review.order_id == order_id))).scalar_one_or_none()


async def rate(session: AsyncSession, order: Order, rating: int, now: dt.datetime) -> Review:
    """Store (or change) the order's rating, on the order and its review; a
    changed rating restarts the review's clock (the comment that follows is timed from it)."""
    if not 1 <= rating <= 5:
        raise ValueError(f"a rating is 1-5, got {rating}")
    order.rating = rating
    review = await of_order(session, order.id)
    if review is None:
        review = Review(order_id=order.id, rating=rating, created_at=now)
        session.add(review)
    else:
        review.rating, review.created_at = rating, now
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


async def last_invited(session: AsyncSession, order_id: int, *,
                       invite_kinds: Iterable[str]) -> dt.datetime | None:
    """When the order's latest review invitation (a job of `invite_kinds`, sent or still
    to go, not called off) is due."""
    q = select(func.max(ScheduledJob.due_at)).where(
        ScheduledJob.order_id == order_id, ScheduledJob.kind.in_(list(invite_kinds)),
        ScheduledJob.status != CANCELLED)
    return (await session.execute(q)).scalar_one_or_none()


async def between(session: AsyncSession, first: dt.date, last: dt.date) -> list[tuple[Review, Order]]:
    """Reviews of orders booked for days in [first, last], lowest rating first, then newest."""
    q = (select(Review, Order).join(Order, Order.id == Review.order_id)
         .where(Order.date >= first, Order.date <= last)
         .options(selectinload(Order.assignee))
         .order_by(Review.rating, Review.created_at.desc()))
    return [(r, o) for r, o in (await session.execute(q)).all()]
