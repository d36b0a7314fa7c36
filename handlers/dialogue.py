"""One customer message, understood and answered: the booking dialogue.

A `Turn` reads the customer's state, the NLU's reading of their message and
their orders, and decides what to change and what to say. Slot rules are the
pure functions of `handlers.slots`; wording is in the templates.

This module holds the entry (`run`), the dispatch to a flow (`_in_stage`,
`_by_intent`) and the booking of a new order (asking for its fields, the
summary, confirming or dropping it). A message goes through `run` in three
parts: short answers that leave the conversation where it is
(`handlers.quick_answers`), the readings that depend on what came before
(`handlers.in_context`), then the flow it belongs to. The other flows are
mixins, one module each: changes to booked orders (`handlers.changes`),
reviews (`handlers.review_steps`), answers to questions (`handlers.answers`)
and offers to returning customers (`handlers.offers`), on
`handlers.turn.TurnBase`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any, Mapping

from handlers import amend as A
from handlers import lifecycle
from handlers import slots as S
from handlers.answers import Answers
from handlers.changes import ChangeSteps
from handlers.in_context import InContext
from handlers.offers import Offers
from handlers.quick_answers import QuickAnswers
from handlers.render import ChoiceSpec
from handlers.review_steps import ReviewSteps
from handlers.state import (
    AMENDING, CANCELLING, CHANGING, CHOOSING, COLLECTING, CONFIRMING, RESCHEDULING, REVIEWING,
)
from handlers.turn import DomainEvent
from nlu.courtesy import thanks_in
from nlu.phone import is_local_landline
from nlu.pipeline import ASKS_LENGTH, HAGGLE, LANGUAGE, NOT_OFFERED, PRICED_THING, REPEAT, STATUS_FAQ
from nlu.types import ParseResult
from storage import orders as order_repo
from storage.models import ACTIVE_STATUSES, Order, OrderStatus

CHANGEABLE = ("service", "time", "address", "phone")
CHANGEABLE_IN_A_MOVE = ("service", "time", "address", "destination", "phone")


class Turn(QuickAnswers, InContext, Answers, Offers, ReviewSteps, ChangeSteps):
    """One message's turn: read in `run`, answered by the flow it belongs to."""

    # ----- entry -------------------------------------------------------------
    async def run(self, p: ParseResult) -> None:
        self.correcting = bool(p.flags.get("correction"))
        read = await self._answered_at_once(p)
        if read is None:
            return
        p, st = read, self.state
        st.choices = []
        self.offered, st.offered = st.offered, None  # an offer stands for the very next message only
        self.offered_slots, st.offered_slots = st.offered_slots, {}
        if p.intent == "cancel" and self.offered and p.slots.get("service") == self.offered \
                and not p.slots.get("order_ref") and not st.busy:
            # "不用擦玻璃了" to "您还要擦玻璃…吗？": the service offered declined, no booked order cancelled
            p = dataclasses.replace(p, intent="deny", slots={})
        if st.more and st.more.get("same_visit") and not st.busy and not (
                self.offered and p.intent in ("affirm", "deny", "book")):
            st.more = None  # the services still to offer for a visit go with the offer left unanswered
        self.priced, st.priced = st.priced, False
        self.confirmed, st.confirmed = st.confirmed, None
        if p.intent == "change":
            return await self._ask_field(p.slots["arg"])
        if p.intent == "order":
            return await self._chosen_order(p.slots["arg"])
        if p.flags.get("pressed"):
            return await self._pressed_rating(p)
        read = await self._in_context(p)
        if read is None or await self._in_stage(read):
            return
        await self._by_intent(read)

    # ----- stage-specific answers (yes/no to a question we asked) ------------
    async def _in_stage(self, p: ParseResult) -> bool:
        st, booking = self.state, S.booking_slots(p.slots)
        if st.stage == CANCELLING:
            if p.intent in ("affirm", "cancel"):
                await self._cancel_order(st.order_id)
                self._reask()  # a booking set aside for the cancel goes on
                return True
            if p.intent == "deny":
                self._say("cancel_kept", number=await self._number(st.order_id))
                st.reset()
                self._reask()
                return True
            st.reset()
            return False
        if st.stage == CHOOSING and p.intent == "deny" and not booking:  # "算了" to "which order?"
            st.reset()
            self._say("cancel_kept", number=None)
            return True
        if st.stage == CHOOSING and await self._which_order(p):  # "保洁那个", "明天的", "0002"
            return True
        if st.stage == RESCHEDULING:
            handled = await self._reschedule_step(p)
            if handled and st.stage != RESCHEDULING:
                self._reask()  # a booking set aside for the change goes on
            return handled
        if st.stage == AMENDING:
            return await self._amend_step(p)
        if st.stage == REVIEWING:
            return await self._review_step(p)
        if st.drafting and p.intent == "cancel" \
                and await self._cancels_a_booked_order(p, booking):
            st.set_aside()  # "取消修空调那个" while pest control is booked: the repair goes, this booking stays
            await self._start_cancel(p.slots.get("order_ref"), booking)
            return True
        if st.drafting and p.intent == "reschedule" \
                and await self._moves_a_booked_order(p, booking):
            st.set_aside()  # "把通下水道那个改到周二" while a repair is booked: that order moves, not this one
            await self._start_reschedule(p)
            return True
        wrong = p.flags.get("wrong_field") if not booking else None
        if st.stage == COLLECTING and wrong and st.draft.get(wrong):
            # "地址错了" while the phone is asked: that detail asked again, then on with the rest
            await self._ask_field(wrong)
            return True
        if st.stage in (CONFIRMING, CHANGING):
            if p.intent == "affirm" and set(booking) == {"notes"} and (st.stage == CONFIRMING or st.awaiting is None):
                await self._confirm_with_note(booking["notes"])  # "确认，备注：带梯子": a yes, and a note
                return True
            if p.intent == "affirm" and set(booking) == {S.STAFF} and (st.stage == CONFIRMING or st.awaiting is None):
                await self._add_staff(booking[S.STAFF])  # "确认，让王师傅来": a yes, and whom to send
                await self._confirm()
                return True
            wrong = p.flags.get("wrong_field") if not booking else None
            if wrong:  # "电话错了": ask for it again
                await self._ask_field(wrong)
                return True
            if p.intent == "affirm" and not booking and p.flags.get("yes_but"):  # "好的，不过…" what we could not read
                st.stage = CHANGING
                self._ask_change()
                return True
            # a yes to the summary, or to "what to change?" before a field was picked: nothing after all
            if p.intent == "affirm" and not booking and (st.stage == CONFIRMING or st.awaiting is None):
                aside = self._answer_aside(p, {})  # "确认，能开发票吗": answered, or the question noted
                if aside:
                    await self._add_note(aside["notes"])
                await self._confirm()
                return True
            if p.intent == "cancel" and not S.changes_service(st.draft, booking):
                await self._drop_draft()
                return True
            if p.intent == "deny" and not booking:
                st.stage = CHANGING
                self._ask_change()
                return True
            # "门口有保安，报我名字就行" (a remark, nothing else), "备注：带梯子" to the summary, or to "what
            # to change?": on the order's note, said so, and the summary again for the yes still to come
            only_notes = set(booking) == {"notes"}
            added = booking["notes"] if only_notes else None if booking else p.flags.get("remark")
            if added and (st.stage == CONFIRMING or st.awaiting is None):
                self._say("note_added", note=added)
                await self._book(self._answer_aside(p, {"notes": added}))
                return True
            if booking and not S.only_priced(p.intent, booking, self.correcting):
                # a change, and a question with it answered ("改成后天，可以开发票吗")
                await self._book(self._answer_aside(p, booking))
                return True
        return False

    async def _staff_for_booked(self, p: ParseResult) -> bool:
        """"让王师傅来", "can Li come?", "还是上次那个阿姨来" with an order booked and no booking under
        way: a change of that order (the one just confirmed, else the only one, else asking
        which), shown old → new and confirmed as any amendment is; staff are told when it is made
        (`_apply_amend`). Nobody to ask for is said, and the order stays. With a day or an hour
        ("让王师傅后天下午来", "can Wang come friday afternoon instead?"): that order moved, the
        person with it, in one confirmation (`_start_reschedule`); a person not found leaves the move.
        False with no order booked: the wish starts a booking (`_with_staff_asked`)."""
        ref = p.slots.get("order_ref")
        moved = bool(S.WHEN_SLOTS & p.slots.keys())
        just = await order_repo.get(self.session, self.confirmed) if self.confirmed and not ref else None
        # the one just confirmed, while still to come: done since ("same cleaner as last time, saturday
        # 3pm" once it was), the wish is for a new booking of it (`_with_staff_asked`), no move of it
        just = just if just is not None and just.customer_id == self.customer.id \
            and just.status in ACTIVE_STATUSES else None
        active = [] if just or ref else await self._active_orders()
        if just is None and not ref and not active:
            return False
        one = just or (active[0] if len(active) == 1 else None)
        staff = await self._staff_asked(p, one.service_id if one is not None else None)
        if moved:
            await self._start_reschedule(p, {A.STAFF_FIELD: staff["id"]} if staff else None)
            return True
        if staff is None:
            return True
        self.state.proposal = {A.STAFF_FIELD: staff["id"]}  # kept while the customer picks the order
        order = just or await self._target(ref, "amend", active or None)
        if order is not None:
            await self._ask_amend(order, self.state.proposal)
        return True

    # ----- by intent ---------------------------------------------------------
    async def _by_intent(self, p: ParseResult) -> None:
        st, booking, intent = self.state, S.booking_slots(p.slots), p.intent
        drafting = st.drafting

        # "再约一次" carries the last order's address (`_with_last_service`): a booking again, no change of it
        if not drafting and not p.flags.get(REPEAT) and (await self._amends(p) or await self._new_detail_asked(p)):
            return
        if intent == "other" and p.flags.get(A.DELTA_THING) and not booking and not drafting:
            # "one more aircon please" with no order to add it to: a booking for so many, as "一台空调" is
            return await self._book({"quantity": int(p.flags[A.QUANTITY_DELTA])})
        if intent == "cancel" and not (drafting and S.changes_service(st.draft, booking)):
            if drafting and not p.slots.get("order_ref"):
                return await self._drop_draft()
            return await self._start_cancel(p.slots.get("order_ref"), booking)
        if intent == "status" and p.flags.get(STATUS_FAQ) is not None and not await self._active_orders() \
                and self._faq(dataclasses.replace(p, flags={"faq": p.flags[STATUS_FAQ]})):
            return self._reask()  # "你们多久能到" before any booking: the owner's answer, not "no orders"
        if intent == "status":
            shown = await self._status(p.slots.get("order_ref"))
            await self._late_visit(shown)
            return self._reask()
        if intent == "price" and p.flags.get(HAGGLE) and not booking.keys() - {"service", "quantity"}:
            self._say("price_firm")  # "能便宜点吗": the listed prices, kindly, and a person to ask
            return self._reask()
        if intent == "price" and p.flags.get(NOT_OFFERED):
            if "service" not in p.slots:  # "除甲醛多少钱": not ours, said so, no price list as if it were
                self._say("not_offered", what=p.flags[NOT_OFFERED])
                return self._reask()
            self._say("not_offered_aside", what=p.flags[NOT_OFFERED])  # "灭蟑螂 顺便除甲醛 多少钱"
        if intent == "price":
            # "三台呢" after a price answer is about the service just priced, and a bare "多少钱"
            # about the one just offered ("拍个证件照要多久" answered): not the price list asked for
            service = p.slots.get("service") or st.draft.get("service") or (
                self.offered if "quantity" in p.slots or not p.flags.get("services") else None)
            # "明天上午10点深度保洁，望京SOHO…，138…，多少钱？": the price, and the booking goes on
            # with the day, address and phone given, as if they had been sent alone
            if service is None and not drafting and not booking and not p.flags.get("services") \
                    and await self._about_booked("price_booked"):  # "一共多少钱" once booked: that order's
                return self._reask()
            books = S.books_with_price(booking) and (drafting or service is not None)
            # the draft's count prices its own service only ("家电清洗多少钱" while 3 hours of cleaning are booked)
            drafted = st.draft.get("quantity") if service == st.draft.get("service") else None
            self._price(service, S.quantity_of(p.slots.get("quantity") or drafted), booking=drafting or books)
            if books:
                self._queue_more(p)
                return await self._book(booking)
            if st.offered and p.flags.get(PRICED_THING):  # "空调加氟多少钱", then "好": the aircon on its note
                st.offered_slots = {**st.offered_slots, "notes": p.flags[PRICED_THING]}
            if p.flags.get("asks") and drafting:  # "疏通多少钱，没通开收钱吗？": on the booking's note, for staff
                st.draft = S.merge(st.draft, self._answer_aside(p, {}))
            elif p.flags.get("asks"):  # and with nothing booked, to a person, not lost
                await self._pass_question(p.flags["asks"])
            return self._reask()
        if intent == "human":
            complaint = p.flags.get("complaint")  # "师傅迟到了半小时了": we apologise, a person puts it right
            if complaint and not st.busy and await self._comment_for_open_review(p):
                return  # "she forgot the balcony" to the review invitation: its comment, the stars asked
            st.asked_person = st.busy  # mid-booking, a "算了" next is about the person, not the booking
            await self._hand_over(complaint, phone=p.slots.get("phone"))  # "转人工，我电话139…"
            return self._reask()
        if intent == "book" and not drafting and await self._corrects_a_booked_time(p, booking):
            intent = "reschedule"  # "actually make it 4pm" once booked: that order's time, no new booking
            p = dataclasses.replace(p, intent=intent)
        if intent == "reschedule" and not drafting and await self._rebooks_cancelled(p):
            return  # "can I book it again for saturday instead?" once cancelled: that order, anew
        if intent == "reschedule" and not drafting and not await self._booking_that_corrects_itself(p, booking):
            return await self._start_reschedule(p)
        if intent == "reschedule" and not booking:  # "时间改一下": the booking under way's, unless it has
            if not st.draft.get("date") and await self._active_orders():
                return await self._start_reschedule(p)  # no time yet, and booked orders have one
            return await self._ask_field("time")
        if p.flags.get("services") and not booking:  # "你们有什么服务": the list, with its prices
            self._price(None, None, booking=drafting)
            return self._reask()
        if (intent == "greet" or p.flags.get("help")) and not booking and not p.flags.get("asked_for"):
            # not "hi, do you have tutors?"
            template = "welcome" if p.flags.get("welcome") else "help" if p.flags.get("help") else "greet"
            # mid-booking a hello gets a short answer and the open question, not the introduction again
            self._say(template, returning=bool(self.customer.phone), busy=drafting)
            return self._reask()
        if intent == "review" or (intent == "other" and p.flags.get("word_rating") and not drafting):
            return await self._review(p)  # "5星", or "满意" said out of the blue
        if p.flags.get(NOT_OFFERED) and intent in ("book", "other", "greet", "price"):
            if "service" not in booking:  # "装窗帘杆和挂画", "明天上午除甲醛": not ours, said so, nothing booked
                self._say("not_offered", what=p.flags[NOT_OFFERED])
                return self._reask()
            self._say("not_offered_aside", what=p.flags[NOT_OFFERED])  # "灭蟑螂 顺便除甲醛": that part not
        if p.flags.get("asked_for") and intent in ("book", "other", "greet"):
            if not booking:  # "有家教吗", "我想约个美甲": not a service of ours
                self._say("not_offered", what=p.flags["asked_for"])
                return self._reask()
            if p.flags.get("asks_offer") and set(booking) == {"service"} and not drafting:
                # "有开锁吗", "do you do pest control": yes, at this price; shall I book it?
                return self._price(booking["service"], None, booking=False)
        if intent in ("book", "affirm") and not drafting and self.offered and "service" not in booking:
            # "ok book it", or "好 约一个 明天下午" with the day too: the service our last answer offered
            self._queue_more(p)
            return await self._book({**self.offered_slots, **booking, "service": self.offered})
        if intent == "book" and not drafting and p.flags.get("adds") and await self._offer_same_visit(booking):
            return  # "加个擦玻璃" once booked: for that visit, not a booking from scratch
        if booking and (intent in ("book", "reschedule", "other", "greet") or drafting):
            if intent == "book":  # "…，可以开发票吗？": the answer, and the booking goes on, as for a price
                booking = self._answer_aside(p, booking)
            self._queue_more(p)
            return await self._book(booking)
        if p.flags.get(LANGUAGE):  # "do you speak english?": yes, both; not a question for a colleague
            self._say("languages")
            return self._reask()
        if p.flags.get("hours"):  # "你们几点开始", "最早几点能来"
            self._say_hours(st.draft.get("service") if drafting else None)
            return self._reask()
        if p.flags.get("technician"):  # "师傅电话多少", "who is coming?": about the order booked
            await self._technician(p.flags["technician"])
            return self._reask()
        if p.flags.get("asks") and drafting and not S.started(st.draft):
            # nothing booked yet (a phone on file at most): a note there would reach nobody
            await self._pass_question(p.flags["asks"])
            return self._reask()
        if p.flags.get("asks") and drafting:  # "阿姨是女的吗" mid-booking: on the order's note, for staff
            noted = self._answer_aside(p, {})
            if st.stage != COLLECTING:  # the summary again, with it
                return await self._book(noted)
            st.draft = S.merge(st.draft, noted)  # said so once (question_noted), then the open question
            return self._reask()
        if p.flags.get("remark") and drafting and S.started(st.draft) and st.awaiting:
            # "两居室，有电梯", "please bring a ladder" while a day or a phone is asked: on the note,
            # echoed (itself, not the notes before it), and the question again (at the summary
            # `_in_stage` takes it), not "didn't understand"
            st.draft = S.merge(st.draft, {"notes": p.flags["remark"]})
            self._say("note_added", note=p.flags["remark"])
            return self._reask()
        if intent == "book":
            return await self._book({})
        if intent == "deny" and not drafting and self.offered and not booking:
            # "不用了" to "shall I book it?" (a price's, or a second service for the same visit):
            # that offer is declined, said plainly, not the general "to book, tell me…"
            self._say("offer_declined", service=self.offered)
            visit = await order_repo.get(self.session, self.confirmed) if self.confirmed else None
            if st.more and st.more.get("same_visit") and visit is not None:  # the next one named for that visit
                self._offer_next_service(st.more, visit)
                st.confirmed = visit.id
            return
        if intent in ("affirm", "deny") and not drafting:
            if intent == "affirm" and thanks_in(self.text):  # "好的谢谢", "谢谢 👌" once all is done
                self._say("you_are_welcome", bye=False)
            else:
                self._say("nothing_pending")
            return
        if intent == "affirm" and not booking and st.awaiting:
            # "好的", "ok thanks" while we wait for a day, an address…: nothing to read and
            # nothing wrong, so the question again, not "didn't understand"
            return self._reask()
        if self._faq(p):  # a question the owner has answered
            return self._reask()
        if st.awaiting == "phone" and p.flags.get("bad_phone"):  # say what is wrong with the number
            self._say_bad_phone(p.flags["bad_phone"])
            return self._reask()
        if p.flags.get(ASKS_LENGTH) and not drafting and await self._about_booked("length_booked"):
            return  # "how long will it take?" once booked: the orders' own lengths
        if p.flags.get("asks") and not drafting:  # "阿姨是女的吗", "can the locksmith open a safe?"
            return await self._pass_question(p.flags["asks"])
        if not st.busy and intent == "other" and await self._comment_for_open_review(p):
            return  # "she forgot the balcony" after the review invitation: its comment, the stars asked
        # Not understood.
        st.misses += 1
        # A summary awaiting yes or no is a question too: no "try 'book a deep clean'" then.
        asked = st.awaiting or ("confirm" if st.stage in (CONFIRMING, CHANGING) else None)
        self._say("not_understood", awaiting=asked, offer_human=st.misses >= 2, shop=self._shop())
        self._reask()

    # ----- booking -----------------------------------------------------------
    async def _rebooks_cancelled(self, p: ParseResult) -> bool:
        """A new time for an order when the customer has none open and their latest one was
        cancelled ("取消" … "能改到周六吗", "can I book it again for saturday instead?"): that
        order booked again at the new time, its service, count, address and name as they
        were (and its hour, when only a day is said), to the summary; not "you have no order
        to reschedule"."""
        if p.slots.get("order_ref") or not p.slots.keys() & {"date", "time", "period"}:
            return False
        last = await self._last_order()
        if last is None or last.status != OrderStatus.CANCELLED or \
                await self._active_orders():
            return False
        self._say("rebook_cancelled", order=last)
        kept: dict[str, Any] = {"quantity": last.quantity} if last.quantity else {}
        if not p.slots.keys() & {"time", "period"}:  # "周六吧": another day, the hour it had
            kept.update({"time": f"{last.time:%H:%M}"} if last.time else {"period": last.period} if last.period else {})
        again = await self._with_last_service(p)
        await self._book({**kept, **again.slots})
        return True

    async def _book(self, new: dict[str, Any]) -> None:
        st = self.state
        st.misses = 0
        if "service" in new and self.catalog.get(new["service"]) is None:
            new = {k: v for k, v in new.items() if k != "service"}
        if not st.busy and S.contact_only(new):
            await self._amend_hint()
        said = sorted(new)  # what this message gave, echoed back; not what we had on file
        if "phone" in new:
            st.phone_on_file = False  # typed, even if it is the same number
        elif not st.busy and self.customer.phone:
            new = {**new, "phone": self.customer.phone}  # a returning customer is not asked again
            st.phone_on_file = True
            name = None if "name" in new else await self._last_name()
            if name:  # nor left unnamed: the name they gave last time ("王女士") goes with the phone
                new = {**new, "name": name}
        if not self.correcting and S.another_request(st.draft, new):
            # "下周一上午9点擦玻璃" while a repair is half booked: booked next, not instead
            st.more = {"text": self.text, "slots": dict(new), "more": st.more}
            self._say("two_requests", service=st.draft["service"], next=new["service"])
            new = {k: v for k, v in new.items() if k in S.CONTACT_SLOTS}
        if "service" in new and "quantity" not in new and new["service"] != st.draft.get("service"):
            st.draft = self._quantity_for(new["service"])
        st.draft = S.merge(st.draft, new)
        if self._drafting_at_shop:  # done at our place: an address said anyway is not the visit's, nor kept
            if "address" in new:  # said why it is not on the summary, rather than dropped unseen
                self._say("at_shop_noted", service=st.draft["service"])
            st.draft.pop("address", None)
        if self._quantity_refused(st.draft.get("service"), S.quantity_of(st.draft.get("quantity"))):
            st.draft.pop("quantity")  # said why; the booking goes on without it
        problem = self._when_problem(st.draft, st.draft.get("service"))
        if problem:
            self._say_when_problem(problem, st.draft, st.draft.get("service"))
            self._remember_refused(problem, st.draft)
            return self._ask(S.clear_when(st.draft, problem, proposed=self.asap))
        offers = await self._taken(st.draft, st.draft.get("service"))
        if offers is not None:
            return self._await(self._full(st.draft, offers))
        if self.asap and st.draft.get("time"):  # "现在能来吗": how soon that is, said
            self._say_soonest(st.draft, st.draft.get("service"))
        missing = S.next_missing(st.draft, needs_destination=self._drafting_a_move, at_shop=self._drafting_at_shop)
        if missing:
            if st.stage not in (CONFIRMING, CHANGING) or st.order_id is None:
                st.stage = COLLECTING
            if missing == "address" and st.last_address is None and self.customer.phone:
                st.last_address = await self._last_address() or ""  # a returning customer's, to offer
            return self._ask(missing, noted=[k for k in said if k in new and not self._told(k)])
        await self._present_summary()

    def _quantity_for(self, service_id: str) -> dict[str, Any]:
        """The draft with only the quantity that still makes sense for `service_id`, the
        service it is changed to (`S.quantity_carried_over`): the summary then books the new
        service's usual length, not the old one's hours as a count it refuses."""
        draft = dict(self.state.draft)
        old, new = self.catalog.get(draft.get("service")), self.catalog.get(service_id)
        if new is None or "quantity" not in draft:
            return draft
        was = (old.price_per, old.usual_quantity()) if old is not None else None
        kept = S.quantity_carried_over(draft.pop("quantity"), was, new.price_per)
        return draft if kept is None else {**draft, "quantity": kept}

    async def _amend_hint(self) -> None:
        """Contact details out of the blue from a customer with booked orders: say how to
        change those orders' (a person does it) before this becomes a new booking, which
        would otherwise look like the correction was taken."""
        active = await self._active_orders()
        if active:
            self._say("amend_hint", orders=active)

    async def _ask_field(self, field_name: str) -> None:
        st = self.state
        if field_name not in self._fields_to_change():
            return self._reask()
        st.stage = CHANGING if st.order_id else COLLECTING
        if field_name == "time":  # the day stays unless the answer names another ("后天下午4点")
            st.draft.pop("period", None)
        if field_name == "address" and st.draft.get("address") == st.last_address:
            st.last_address = ""  # the last address was taken and is what is to change: not offered again
        if field_name == "destination":  # asked again, so "还没定" may be the answer again
            st.draft.pop(S.DESTINATION_UNKNOWN, None)
        st.draft.pop(field_name, None)
        self._ask(field_name)

    def _fields_to_change(self) -> tuple[str, ...]:
        """What the change menu offers: a move's destination too, after its address."""
        if self._drafting_at_shop:  # the place is ours: no address to change
            return tuple(f for f in CHANGEABLE if f != "address")
        return CHANGEABLE_IN_A_MOVE if self._drafting_a_move else CHANGEABLE

    def _ask_change(self) -> None:
        self._say("ask_change", choices=[
            *(ChoiceSpec(f"field_{f}", f"change:{f}") for f in self._fields_to_change()),
            ChoiceSpec("cancel_booking", "cancel")])

    def _reask(self) -> None:
        """Repeat the open question so a side question does not derail a booking."""
        st = self.state
        if st.stage in (COLLECTING, CHANGING) and st.awaiting:
            self._ask(st.awaiting)
        elif st.stage == CHANGING and st.order_id:
            self._ask_change()
        elif st.stage == CONFIRMING and st.order_id:
            self._say("summary_again", choices=self._confirm_choices())

    def _say_bad_phone(self, digits: str) -> None:
        """What is wrong with a number given as the phone: its digits counted, and for a
        local landline ("62345678") that its area code is wanted, not the mobile's 11 digits."""
        self._say("phone_invalid", digits=digits, landline=is_local_landline(digits))

    def _confirm_choices(self) -> list[ChoiceSpec]:
        return [ChoiceSpec("confirm", "affirm"), ChoiceSpec("change", "deny"),
                ChoiceSpec("cancel_booking", "cancel")]

    def _draft_to_order(self) -> order_repo.OrderDraft:
        d = self.state.draft
        service = self.catalog.get(d["service"])
        price = Decimal(str(service.price)) if service and service.price is not None else None
        quantity = S.quantity_of(d.get("quantity"))
        return order_repo.OrderDraft(
            service_id=d["service"], date=S.parse_date(d["date"]), time=S.parse_time(d.get("time")),
            period=None if d.get("time") else d.get("period"),
            start_at=S.appointment_start(d["date"], d.get("time"), d.get("period"), self.tz,
                                         self.catalog.hours_for(d["service"])),
            address=self._visit_address(d), at_shop=self.catalog.at_shop(d["service"]),
            phone=d["phone"], name=d.get("name"),
            quantity=quantity, notes=d.get("notes"), destination=d.get("destination"),
            preferred_staff_id=(d.get(S.STAFF) or {}).get("id"),
            **order_repo.terms(service, quantity, price),
        )

    def _visit_address(self, draft: Mapping[str, Any]) -> str:
        """Where the visit is: the customer's address, or for a service done at our place the
        business's, in the business's language (`Business.lang`): what the order's history and
        exports keep; readers are shown it as the catalog has it now (`Business.where_of`)."""
        if self.catalog.at_shop(draft["service"]):
            business = self.catalog.business
            return business.address_in(business.lang) or ""
        return draft["address"]

    async def _present_summary(self) -> None:
        st = self.state
        service = self.catalog.get(st.draft["service"])
        home_rooms = st.draft.get(S.BEDROOMS)
        usual = service.usual_quantity(home_rooms) if service and not st.draft.get("quantity") else None
        home = service.listed_home(home_rooms) if usual else None  # the hours follow the home said
        if usual:  # "日常保洁" with no hours said, "清洗空调" with no count: its usual length, or one
            st.draft["quantity"] = usual  # item, said so, and "改成3小时", "两台" changes it
        draft = self._draft_to_order()
        order = await self._pending_order()
        if order is None:
            order = await order_repo.create(
                self.session, draft, customer_id=self.customer.id, channel=self.channel,
                lang=st.lang, actor=self._actor, local_day=self.now.astimezone(self.tz).date(),
                now=self.now)
        else:
            changes = {f: getattr(draft, f) for f in order_repo.EDITABLE_FIELDS}
            order_repo.update_fields(self.session, order, changes, actor=self._actor, now=self.now)
        st.stage, st.order_id, st.awaiting = CONFIRMING, order.id, None
        self.order_id = order.id
        also = st.more["slots"]["service"] if st.more and st.more.get("same_visit") else None
        # "再约一次" answered with the day already booked: the same service then is booked already
        twin = next((o for o in await self._active_orders() if o.id != order.id and o.service_id == order.service_id
                     and o.date == order.date and o.time == order.time and o.period == order.period), None)
        self._say("summary", order=order, usual=usual, choices=self._confirm_choices(), also=also,
                  home=home, bigger_home=bool(home and home_rooms > home),
                  staff=st.draft.get(S.STAFF), twin=twin,
                  phone_on_file=st.phone_on_file and order.phone == self.customer.phone)

    async def _pending_order(self) -> Order | None:
        oid = self.state.order_id
        if oid is None:
            return None
        order = await order_repo.get(self.session, oid)
        if order is None or order.status != OrderStatus.PENDING or order.customer_id != self.customer.id:
            return None
        return order

    async def _confirm_with_note(self, note: str) -> None:
        """A yes to the summary that adds a note ("确认，备注：带梯子", "好的，记得带梯子"): the
        note goes on the pending order, which is confirmed, and the answer says it was added.
        Showing the summary again for the note asked a yes the customer had just given."""
        await self._add_note(note)
        await self._confirm(note=note)

    async def _add_note(self, note: str) -> None:
        """`note` added to the booking's notes, and to its pending order's, about to be confirmed."""
        st = self.state
        st.draft = S.merge(st.draft, {"notes": note})
        order = await self._pending_order()
        if order is not None:
            order_repo.update_fields(self.session, order, {"notes": st.draft["notes"]}, actor=self._actor,
                                     now=self.now)

    async def _add_staff(self, staff: dict[str, Any]) -> None:
        """The staff member asked for (`S.STAFF`) on the booking, and on its pending order, about
        to be confirmed, as `_add_note` puts a note."""
        self.state.draft = S.merge(self.state.draft, {S.STAFF: staff})
        order = await self._pending_order()
        if order is not None:
            order_repo.update_fields(self.session, order, {"preferred_staff_id": staff["id"]}, actor=self._actor,
                                     now=self.now)

    async def _confirm(self, note: str | None = None) -> None:
        """Confirm the pending order; `note`, one just added to it, is said in the answer."""
        st = self.state
        missing = S.next_missing(st.draft, needs_destination=self._drafting_a_move, at_shop=self._drafting_at_shop)
        if missing and st.order_id is not None:
            # a detail asked again since the summary ("make it friday" at an hour gone): the
            # summary on screen is no longer what would be booked, so the yes answers nothing
            return self._ask(missing)
        problem = self._when_problem(st.draft, st.draft.get("service"))
        if problem:  # the customer took so long that the slot has passed
            if await self._pending_order() is None:
                return self._nothing_pending()
            st.stage = CHANGING
            self._say_when_problem(problem, st.draft, st.draft.get("service"))
            return self._ask(S.clear_when(st.draft, problem))
        if self.catalog.counts_visits and st.draft.get("date"):
            # Counted again with the day held: someone may have taken the last team meanwhile.
            await order_repo.hold_calendar(self.session, S.parse_date(st.draft["date"]))
            offers = await self._taken(st.draft, st.draft.get("service"))
            if offers is not None:
                if await self._pending_order() is None:
                    return self._nothing_pending()
                st.stage = CHANGING
                return self._await(self._full(st.draft, offers))
        # Confirmed in one conditional UPDATE if it is still the customer's pending order.
        order = None if st.order_id is None else await order_repo.set_status_if(
            self.session, st.order_id, OrderStatus.PENDING, OrderStatus.CONFIRMED,
            customer_id=self.customer.id, actor=self._actor, now=self.now)
        if order is None:
            return self._nothing_pending()
        self.customer.phone = order.phone
        self.last_booked = None  # this order is now the latest booked
        if order.name and not self.customer.display_name:
            self.customer.display_name = order.name
        self.order_id = order.id
        await lifecycle.on_confirmed(self.session, order, self.catalog, self.now, self.tz)
        self.events.append(DomainEvent("order_confirmed", order.id))
        more, staff = st.more, st.draft.get(S.STAFF)
        st.reset()
        self._say("confirmed", order=order, note=note, staff=staff)
        if more and more.get("same_visit"):  # "深度保洁和擦玻璃": the other service offered for the same visit
            self._offer_next_service(more, order)
        elif more:  # the message asked for another booking too: on to it, with the same contact details
            st.more = more.get("more")
            self._say("next_request", service=more["slots"].get("service"))
            return await self._book({**S.contact_of(order, self.catalog.at_shop(order.service_id)), **more["slots"]})
        st.confirmed = order.id

    async def _drop_draft(self) -> None:
        st = self.state
        order = await self._pending_order()
        if order is not None:
            order_repo.set_status(self.session, order, OrderStatus.CANCELLED, actor=self._actor, now=self.now)
            self.order_id = order.id
        had, more = bool(st.draft), st.more
        st.reset()
        # A booking queued behind this one (two in one message) goes too, and the answer says so.
        if had:  # an order booked before stays, and the answer says so: "cancel my order" may have meant it
            kept = [o for o in await self._active_orders() if order is None or o.id != order.id]
            self._say("draft_dropped", also=more["slots"].get("service") if more else None, kept=kept)
        else:
            self._say("nothing_pending")
