"""Ratings and review comments in the chat: `ReviewSteps`.

A rating arrives as a pressed star, a typed "5", a word ("满意") or an answer to
the worker's review invitation, and a comment may follow it; each is stored for
the order it rates, and a low one alerts staff (`lifecycle.on_rated`). The
functions here also let the worker's invitation (`handlers.scheduled`) and the
next message (`resume_review_prompt`) ask for the same stars.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import lifecycle
from handlers import reminders as R
from handlers import reviews as V
from handlers.answers import catalog_answers
from handlers.render import ChoiceSpec
from handlers.state import IDLE, REVIEWING, DialogueState
from handlers.turn import TurnBase
from nlu.pipeline import NOTE, PRAISE
from nlu.review_words import clean_comment, comment_complains
from nlu.types import ParseResult
from storage import orders as order_repo
from storage import reviews as review_repo
from storage.catalog import Catalog
from storage.models import Customer, Order, OrderStatus

# A comment is taken this long after the rating; later, the customer has moved on.
COMMENT_WINDOW = dt.timedelta(hours=24)


def rating_choices(order_id: int | None) -> list[ChoiceSpec]:
    """1-5 stars for one order, in that order so that typing "5" on a numbered list means five stars."""
    return [ChoiceSpec(f"rate_{n}", V.rating_payload(n, order_id)) for n in range(1, 6)]


async def resume_review_prompt(session: AsyncSession, customer: Customer, state: DialogueState,
                               catalog: Catalog, now: dt.datetime) -> bool:
    """Make an idle customer's next message an answer to a review invitation.

    The invitation is sent by the worker, outside any turn, so the dialogue
    state does not know about it; the database does (the invitation's job is
    done and the order has no rating). Then a bare "5" or a pressed star
    means a rating, and anything else still goes through as usual.
    """
    if state.busy:
        return False
    since = now - dt.timedelta(days=catalog.reminders.review_window_days)
    order = await review_repo.awaiting_rating(session, customer.id, invite_kinds=R.REVIEW_KINDS, since=since)
    if order is None:
        return False
    state.stage, state.order_id, state.awaiting = REVIEWING, order.id, "rating"
    state.choices = [c.payload for c in rating_choices(order.id)]
    return True


class ReviewSteps(TurnBase):
    """Rating an order and commenting on it; a booking under way keeps its place (`_reask`)."""

    async def _review(self, p: ParseResult) -> None:
        """A rating (or "I want to review") said out of the blue: about the latest completed order."""
        rating = p.slots.get("rating") or p.flags.get("word_rating")
        done = await order_repo.for_customer(self.session, self.customer.id,
                                             statuses=[OrderStatus.COMPLETED], limit=1)
        if not done:  # nothing to rate: no thanks for stars that rate nothing, and no promise
            # of a call nobody is told to make; someone unhappy ("1星", "the cleaner was late")
            # is shown the way to a person
            low = V.is_low(None if rating is None else int(rating)) or comment_complains(self.text)
            self._say("review_none", low=low)
            return self._reask()
        busy = self.state.stage not in (IDLE, REVIEWING)  # a booking in progress keeps its place
        if rating is None:
            if busy:
                self._say("review_thanks", rating=None, order=None, ask_comment=False, commented=False)
                return self._reask()
            self.state.stage, self.state.order_id, self.state.awaiting = REVIEWING, done[0].id, "rating"
            self.order_id = done[0].id
            if not await self._keep_comment(p, done[0]):  # "阿姨很仔细": kept, and the stars asked
                self._say("ask_rating", order=done[0], choices=rating_choices(done[0].id))
            return
        await self._rate_in_passing(done[0], int(rating), comment=p.flags.get("rating_comment"))

    async def _rate_in_passing(self, order: Order, rating: int, comment: str | None = None) -> None:
        """Rate `order`; a booking in progress keeps its place (no comment asked, its question again)."""
        busy = self.state.stage not in (IDLE, REVIEWING)
        await self._rate(order, rating, ask_comment=not busy, comment=comment)
        if busy:
            self._reask()

    async def _pressed_rating(self, p: ParseResult) -> None:
        """A pressed star: it rates the order its button was sent for while that order's
        review is open (or while our last question asked for exactly that rating), and
        otherwise says the review has closed, rating nothing.

        An older button names no order: it is for the order of the open review
        question, else the customer's open invitation, else it is closed.
        """
        st, rating, order_id = self.state, int(p.slots["rating"]), p.flags.get("review_order")
        window = dt.timedelta(days=self.catalog.reminders.review_window_days)
        if order_id is None and st.stage == REVIEWING:
            order_id = st.order_id
        if order_id is None:
            order = await review_repo.awaiting_rating(self.session, self.customer.id,
                                                      invite_kinds=R.REVIEW_KINDS, since=self.now - window)
            still_open = order is not None
        else:
            order = await self._completed_order(order_id)
            asked = (st.stage, st.awaiting, st.order_id) == (REVIEWING, "rating", order_id)
            still_open = order is not None and (asked or V.review_open(
                await review_repo.last_invited(self.session, order.id, invite_kinds=R.REVIEW_KINDS),
                self.now, window))
        if order is None or not still_open:
            self.order_id = order.id if order is not None else None
            self._say("review_closed", order=order)
            if st.stage in (IDLE, REVIEWING):
                st.reset()
            else:
                self._reask()
            return
        await self._rate_in_passing(order, rating)

    async def _rate(self, order: Order, rating: int, *, ask_comment: bool = True,
                    comment: str | None = None) -> None:
        """Store the rating, stop the review nudges (alerting staff if it is low),
        then offer to take a comment, unless it came with the rating (`comment`:
        then it is stored with it, and a low rating's alert carries the reason)."""
        st = self.state
        said = comment  # this message's words
        before = st.review_comment if (st.stage, st.order_id) == (REVIEWING, order.id) else None
        if before:  # said before the stars
            comment = "\n".join(c for c in (before, comment) if c)
        review = await review_repo.rate(self.session, order, rating, self.now)
        if comment:
            review.comment = comment
        alerted = await lifecycle.on_rated(self.session, order, rating, self.now, comment=comment)
        if before and said and not alerted and V.alerts_staff(rating, said):
            # "2 stars, and the cleaner also broke a vase" after "the cleaner was 2 hours late", which
            # the group heard: this rating's alert is that one's, so the new words go on their own
            await lifecycle.on_words_added(self.session, order, said, self.now)
        self.order_id = order.id
        if not ask_comment or comment:
            if st.stage == REVIEWING:
                st.reset()
            self._say("review_thanks", rating=rating, order=order, ask_comment=False, commented=bool(comment),
                      low=V.alerts_staff(rating, comment))
            return
        st.stage, st.order_id, st.awaiting = REVIEWING, order.id, "comment"
        self._say("review_thanks", rating=rating, order=order, ask_comment=True, commented=False,
                  low=V.is_low(rating), choices=[ChoiceSpec("skip_comment", "deny")])

    async def _keep_comment(self, p: ParseResult, order: Order) -> bool:
        """Words about the service said while its stars are asked, without them ("阿姨很仔细，
        厨房擦得特别干净"): kept for the review's comment, stored with the stars asked for
        again (the review's rating is what reports count, so it is not stored alone). A
        complaint ("阿姨态度很差", "the cleaner was 2 hours late") reaches staff at once
        (`lifecycle.on_complained`): the stars may never come."""
        said = clean_comment(self.text) if V.is_comment_without_stars(p) else None
        if said is None:
            return False
        st = self.state
        before = st.review_comment if (st.stage, st.order_id) == (REVIEWING, order.id) else None
        kept = "\n".join(c for c in (before, said) if c)  # "阿姨态度很差", then "而且还迟到了": both
        st.stage, st.order_id, st.awaiting, st.review_comment = REVIEWING, order.id, "rating", kept
        self.order_id = order.id
        complains = p.flags.get("complaint") is not None or comment_complains(said)
        if complains:
            await lifecycle.on_complained(self.session, order, kept, said, self.now)
        self._say("review_comment_kept", order=order, choices=rating_choices(order.id), complains=complains)
        return True

    async def _comment_for_open_review(self, p: ParseResult) -> bool:
        """A message nothing else reads, while a review invitation is open ("she forgot the
        balcony"): the review's comment (`_keep_comment`). Looked up only for such messages."""
        window = dt.timedelta(days=self.catalog.reminders.review_window_days)
        order = await review_repo.awaiting_rating(self.session, self.customer.id,
                                                  invite_kinds=R.REVIEW_KINDS, since=self.now - window)
        return order is not None and await self._keep_comment(p, order)

    async def _review_order(self) -> Order | None:
        return await self._completed_order(self.state.order_id)

    async def _completed_order(self, oid: int | None) -> Order | None:
        """The customer's own completed order `oid`, else None."""
        order = await order_repo.get(self.session, oid) if oid else None
        if order is None or order.customer_id != self.customer.id or order.status != OrderStatus.COMPLETED:
            return None
        return order

    async def _again_from_review(self, p: ParseResult) -> ParseResult:
        """"下周六上午再约一次", "阿姨很好，下周六再请她来", "she was great, can I book her again for
        next friday?" to "anything to tell us?" after good stars (NLU flag ``repeat``): the review
        ends, what they said of the visit first (the ``note``, or ``praise``) stored as its comment, and the
        message goes on as the booking again it is (`_with_last_service`, the same person with
        ``same_staff``), not a note on it. After low stars the words ask us back to put it right
        (`V.is_low`): the review step's to take as the complaint; `p` is returned as it was."""
        st = self.state
        order = await self._review_order() if st.awaiting == "comment" else None
        if order is None or V.is_low(order.rating):
            return p
        said = p.flags.get(NOTE) or p.flags.get(PRAISE)
        review = await review_repo.of_order(self.session, order.id)
        if said and review is not None and review.created_at >= self.now - COMMENT_WINDOW:
            review.comment = said
            await lifecycle.on_rated(self.session, order, order.rating, self.now, comment=said, later=True)
        st.reset()
        return dataclasses.replace(p, flags={k: v for k, v in p.flags.items() if k != NOTE})

    async def _review_step(self, p: ParseResult) -> bool:
        """The answer to "how many stars?" or "anything to tell us?"; anything
        clearly else (a new booking, a status question) leaves the review, except
        "come again" after a low rating: that is the complaint (`V.asks_to_redo`). A
        complaint said with a new booking after good stars ("阿姨没擦窗户，下次明天下午再约一次保洁")
        is both: the comment, which staff are alerted with, and the booking, which goes on
        (False: the turn books it)."""
        st = self.state
        order = await self._review_order()
        if order is None:
            st.reset()
            return False
        rating = p.slots.get("rating")
        if rating is None and p.intent not in V.ORDER_INTENTS and st.awaiting == "rating":
            # "affirm": a 👍 for the stars; "deny": "not bad", "不好"; "price": "差评，…还乱收费"
            rating = p.flags.get("word_rating")
        if rating is not None and (p.intent == "review" or st.awaiting == "rating"):
            comment = p.flags.get("rating_comment") if st.awaiting == "rating" else None
            await self._rate(order, int(rating), comment=comment)
            return True
        if st.awaiting == "rating" and await self._keep_comment(p, order):
            return True
        redo = V.asks_to_redo(p, order.rating)
        complaint = p.flags.get("complaint")
        books = V.is_new_request(p) and not redo
        if st.awaiting != "comment" or (books and not complaint) or (catalog_answers(p) and not complaint):
            # "能开发票吗" to "anything to tell us?": answered, not stored as what was said of the visit
            st.reset()
            return False
        review = await review_repo.of_order(self.session, order.id)
        if review is None or review.created_at < self.now - COMMENT_WINDOW:
            st.reset()
            if books and complaint:  # a day later it is no comment, still a complaint: a person hears
                # it as out of a review, and the turn books (the turn's own hand-over left it to us)
                await self._hand_over(complaint, booking=True)
            return False
        st.reset()
        self.order_id = order.id
        comment = clean_comment(self.text)  # kept as typed
        if not redo and (p.intent in ("deny", "affirm") or p.flags.get("no_comment") or not comment):
            self._say("review_comment_thanks", comment=None, redo=False, shop=self._shop(order.service_id))
            return True
        review.comment = comment
        if order.rating is not None:
            await lifecycle.on_rated(self.session, order, order.rating, self.now, comment=comment, later=True,
                                     complaint=complaint)
        if books:  # "阿姨没擦窗户，下次明天下午再约一次保洁" after good stars: staff have the complaint,
            # and the booking goes on with the bot, as out of a review (`human_handoff`)
            self._say("human_handoff", again=False, busy=True, complaint=complaint, order=None, booking=True)
            return False
        self._say("review_comment_thanks", comment=comment, redo=redo, shop=self._shop(order.service_id),
                  low=V.alerts_staff(order.rating, comment, complaint))
        return True
