"""Changes to orders already booked, from the chat: `ChangeSteps`.

Cancelling, moving to another day or hour, and putting contact details right
("地址写错了，是…") each find the order meant (asking "which order?" when the
customer has several), show what changes and ask to confirm it, then apply it
and tell staff (`DomainEvent`). They share that finding and confirming, so they
live together, apart from the booking of a new order (`handlers.dialogue`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Awaitable, Callable

from handlers import amend as A
from handlers import availability, lifecycle
from handlers import slots as S
from handlers import which as W
from handlers.render import ChoiceSpec
from handlers.state import AMENDING, CANCELLING, CHOOSING, RESCHEDULING
from handlers.turn import DomainEvent, TurnBase
from nlu.pipeline import DAY_CHOICE, NEW_WHEN
from nlu.types import ParseResult
from storage import orders as order_repo
from storage.models import CHANGEABLE_STATUSES, Order


# Words that point at an order already made: "通下水道那个", "那单", "的单子", "订单".
_THAT_ORDER_RE = re.compile(r"那个|那单|那一单|单子|订单|约好的|预约的|之前约的")
# In the proposal while the customer picks an order: the detail said wrong, to ask for anew.
ASK_FOR = "ask_for"


def _when_of(order: Order) -> dict[str, str]:
    """An order's date, time and part of day as draft slots (what `S.merge` takes), unset ones left out."""
    when = {"date": order.date.isoformat(), "time": order.time.strftime("%H:%M") if order.time else None,
            "period": order.period}
    return {k: v for k, v in when.items() if v}


def _at_its_time(proposal: dict[str, str], current: dict[str, str]) -> bool:
    """Whether the new when (`proposal`) is the order's own (`current`): the same, or its day
    with the part of the day its hour is in ("明天下午" for tomorrow 15:00), no move asked."""
    if proposal == current:
        return True
    said = proposal.get("period")
    return (said is not None and "time" not in proposal and proposal.get("date") == current.get("date")
            and "time" in current and S.period_of(current["time"]) == said)


def _staff_wish(proposal: dict[str, Any]) -> dict[str, Any]:
    """The person asked for that a reschedule's proposal carries ("让王师傅后天下午来"), if any."""
    return {k: v for k, v in proposal.items() if k == A.STAFF_FIELD}


class ChangeSteps(TurnBase):
    """Which order, then cancel, reschedule or amend it."""

    async def _target(self, ref: str | None, purpose: str, active: list[Order] | None = None, *,
                      slots: dict[str, Any] | None = None) -> Order | None:
        """The order a cancel/reschedule/amend is about, asking which when unclear
        (`active`: the customer's open orders, when the caller has read them already;
        `slots`: what the message says of it, "取消明天的保洁", which settles it when
        only one open order fits, `W.meant`; a reschedule's date is its new one)."""
        if ref:
            order = await self._own_order(ref)
            if order is None:
                self._say("order_not_found", ref=ref)
            return order
        if active is None:
            active = await self._active_orders()
        if not active:
            self._say(f"{purpose}_none")
            return None
        fits = W.meant(self.text, slots or {}, active, self._service_terms(), by_day=purpose != "reschedule")
        # an amend's words are its new value ("是望京SOHO T2-1203", "电话改成139…"), whose digits name
        # no order: the one order open is the one meant
        if fits is not None and len(fits) == 1 or len(active) == 1 and (fits is None or purpose == "amend"):
            return fits[0] if fits else active[0]
        # "cancel the second one" with one order open: it names none, so the list, not that one
        self._ask_which(purpose, active, again=fits == [])
        return None

    async def _which_order(self, p: ParseResult) -> bool:
        """The answer to "which order?", matched against the orders listed (`W.meant`):
        the one it fits is chosen; fitting several or none, the list is asked again.
        An answer that picks no order (a question, a new time, a cancel) goes on as usual,
        but a booking is never started from it: "保洁那个" started a new 日常保洁."""
        if p.intent in ("status", "price", "human", "greet", "deny", "reschedule", "cancel") or \
                any(k in p.slots for k in ("time", "period")):
            return False
        active = await self._active_orders()
        fits = W.meant(self.text, p.slots, active, self._service_terms())
        if fits is None and p.intent == "affirm" and len(active) == 1:
            fits = active  # "yes" to "is this the one?", the one order open shown
        if fits is None and p.intent not in ("book", "other", "affirm"):
            return False
        if fits is not None and len(fits) == 1:
            await self._chosen_order(fits[0].number)
        else:
            self._ask_which(self.state.purpose or "status", active, again=True)
        return True

    def _ask_which(self, purpose: str, orders: list[Order], *, again: bool = False) -> None:
        """Ask which of `orders` a cancel/reschedule/amend is about (`again`: the answer fit none or several)."""
        self.state.stage, self.state.purpose = CHOOSING, purpose
        self._say("choose_order", purpose=purpose, orders=orders, again=again,
                  choices=[ChoiceSpec(o.number, f"order:{o.number}", literal=True) for o in orders[:10]])

    def _service_terms(self) -> dict[str, list[str]]:
        """Every service's names and synonyms, the words an order is named by (`W.meant`)."""
        return {s.id: [*s.names.values(), *s.synonyms] for s in self.catalog.services}

    async def _chosen_order(self, number: str) -> None:
        st = self.state
        purpose = st.purpose or "status"
        order = await self._own_order(number)
        if order is None:
            st.reset()
            self._say("order_not_found", ref=number)
            return
        if purpose == "cancel":
            return self._ask_cancel(order)
        if purpose == "reschedule":
            if self._changeable(order, "reschedule"):
                when = dict(st.proposal)  # the new time said before "which order?"
                shift = when.pop("shift", None)
                wish = {A.STAFF_FIELD: when.pop(A.STAFF_FIELD)} if A.STAFF_FIELD in when else {}
                st.stage, st.order_id, st.proposal = RESCHEDULING, order.id, wish
                if when or shift:
                    await self._reschedule_step(ParseResult(intent="reschedule", confidence=1.0, slots=when,
                                                            lang=st.lang, flags={"shift": shift}))
                else:
                    self._ask_new_time(order)
            return
        if purpose == "amend" and ASK_FOR in st.proposal:  # "不要这个地址了", then which order
            return self._ask_new_detail(order, st.proposal[ASK_FOR])
        if purpose == "amend":
            return await self._ask_amend(order, st.proposal)
        st.reset()
        self._say("status_one", order=order, ref=number)

    def _changeable(self, order: Order, purpose: str) -> bool:
        """Whether the customer may still change `order` here; if not, says so
        (`cannot_<purpose>`: a person must help) and ends what was under way."""
        if order.status in CHANGEABLE_STATUSES:
            return True
        self.state.reset()
        self._say(f"cannot_{purpose}", order=order)
        return False

    async def _staged_order(self) -> Order | None:
        """The order the open cancel/reschedule/amend question is about, read for update;
        None (and the question dropped) when it is gone or no longer changeable."""
        st = self.state
        order = await order_repo.get(self.session, st.order_id, lock=True) if st.order_id else None
        if order is None or order.customer_id != self.customer.id or order.status not in CHANGEABLE_STATUSES:
            st.reset()
            return None
        return order

    def _propose(self, template: str, **ctx: Any) -> None:
        """Show an order's "old → new" and ask to confirm it or keep the order as it is."""
        self._say(template, choices=[ChoiceSpec("confirm_change", "affirm"), ChoiceSpec("keep", "deny")], **ctx)

    async def _yes_or_keep(self, p: ParseResult, order: Order, news: bool,
                           apply: Callable[[Order], Awaitable[None]], kept: str) -> bool:
        """The answer to "old → new, change it?" (`_propose`), when the message brings
        nothing new (`news`): yes applies the proposal, no or "cancel" keeps the order
        as it is (`kept` says so). False when it is neither."""
        if news:
            return False
        if p.intent == "affirm" and self.state.proposal:
            await apply(order)
            return True
        if p.intent in ("deny", "cancel"):
            self.state.reset()
            self._say(kept, order=order)
            return True
        return False

    async def _start_cancel(self, ref: str | None, slots: dict[str, Any] | None = None) -> None:
        order = await self._target(ref, "cancel", slots=slots)
        if order is not None:
            self._ask_cancel(order)

    def _ask_cancel(self, order: Order) -> None:
        st = self.state
        if not self._changeable(order, "cancel"):
            return
        st.stage, st.order_id = CANCELLING, order.id
        self._say("cancel_confirm", order=order,
                  choices=[ChoiceSpec("yes_cancel", "affirm"), ChoiceSpec("keep", "deny")])

    async def _cancel_order(self, order_id: int | None) -> None:
        st = self.state
        order = await order_repo.get(self.session, order_id, lock=True) if order_id else None
        st.reset()
        if order is None or order.customer_id != self.customer.id:
            self._say("nothing_pending")
            return
        if not self._changeable(order, "cancel"):
            return
        await lifecycle.cancel(self.session, order, self.catalog, self.now, self.tz, actor=self._actor)
        self.order_id = order.id
        self.events.append(DomainEvent("order_cancelled", order.id))
        # "期待下次为您服务" only when nothing else is booked: another visit still stands
        others = await self._active_orders()
        self._say("cancelled", order=order, others=[o for o in others if o.id != order.id],
                  resumed=st.draft.get("service"))  # a booking set aside for the cancel goes on

    async def _cancels_a_booked_order(self, p: ParseResult, booking: dict[str, Any]) -> bool:
        """A cancel said while a booking is under way that names one of the orders already booked,
        by its number ("取消0001"), by a service other than the booking's ("取消修空调那个" while
        pest control is at its summary) or by another day than its ("取消明天那个"): that order is meant, not the booking, which was dropped or,
        worse, turned into the service named. A correction ("不要擦玻璃了，改成保洁") is none."""
        if p.slots.get("order_ref"):
            return True
        draft = self.state.draft
        other_day = bool(booking.get("date")) and booking.get("date") != draft.get("date")  # "取消明天那个"
        if p.flags.get("correction") or not (S.changes_service(draft, booking) or other_day
                                             or W.number_tails(self.text)):
            return False
        return await self._fits_a_booked_order(booking)

    async def _moves_a_booked_order(self, p: ParseResult, booking: dict[str, Any]) -> bool:
        """A new time said while a booking is under way for one of the orders already booked, named
        by its number or as "that one" of another service than the booking's ("把通下水道那个改到周二"
        while an aircon repair is at its summary): that order moves; the booking was turned into a
        drain unclogging on Tuesday. "改成周二通下水道" (no "那个") still corrects the booking."""
        if p.slots.get("order_ref"):
            return True
        if not (S.changes_service(self.state.draft, booking) and _THAT_ORDER_RE.search(self.text)):
            return False
        return await self._fits_a_booked_order(booking, by_day=False)

    async def _fits_a_booked_order(self, booking: dict[str, Any], *, by_day: bool = True) -> bool:
        """Whether the message names one of the customer's open orders (`W.meant`; `by_day` off when
        its date is a new one)."""
        active = await self._active_orders()
        return bool(active and W.meant(self.text, booking, active, self._service_terms(), by_day=by_day))

    async def _booking_that_corrects_itself(self, p: ParseResult, booking: dict[str, Any]) -> bool:
        """A whole booking with a correction in it ("Deep clean tomorrow at 10am, …, call me at
        139… instead") from a customer with no open order: a booking, not a move of an order
        they do not have (it was answered "you have no order to reschedule", and lost)."""
        if not (p.flags.get("correction") and "service" in booking and not p.slots.get("order_ref")):
            return False
        return not await self._active_orders()

    async def _corrects_a_booked_time(self, p: ParseResult, booking: dict[str, Any]) -> bool:
        """A correction that says only when ("actually make it 4pm", "改成下午4点"), with no booking
        under way: it can only be about an order already booked, if the customer has one. Read as
        a new booking, it asked "which service?" and left the order at its old time."""
        if not p.flags.get("correction") or not booking or not set(booking) <= S.WHEN_SLOTS:
            return False
        return bool(await self._active_orders())

    async def _start_reschedule(self, p: ParseResult, wish: dict[str, Any] | None = None) -> None:
        """Move an order to the day or hour `p` says; `wish`: the person asked to come with it
        ("让王师傅后天下午来": {`A.STAFF_FIELD`: id}), shown and applied with the new time."""
        st = self.state
        wish = wish or {}
        order = await self._target(p.slots.get("order_ref"), "reschedule", slots=p.slots)
        if order is None:
            if st.stage == CHOOSING:  # kept while the customer picks the order
                st.proposal = {**{k: v for k, v in p.slots.items() if k in ("date", "time", "period")}, **wish}
                if p.flags.get("shift"):
                    st.proposal["shift"] = p.flags["shift"]
            return
        if not self._changeable(order, "reschedule"):
            return
        st.stage, st.order_id, st.proposal = RESCHEDULING, order.id, dict(wish)
        await self._reschedule_step(p)

    def _ask_new_time(self, order: Order) -> None:
        """Ask when `order` should be instead: a day, an hour or both (`NEW_WHEN`: the order
        has its day, so a bare "1" is 13:00 that day, not the 1st)."""
        self.state.awaiting = NEW_WHEN
        self._say("reschedule_ask", order=order)

    async def _not_sure_when_to_move(self) -> None:
        """"还不确定哪天" to "改到什么时间？": the order stays as it is, said so, and the first start
        we can move it to is offered one tap (or a "好的") away, as a booking's "which day?" does;
        the question stands for a day said later. Not the order's own time, which moves nothing."""
        order = await self._staged_order()
        if order is None:
            return
        first = availability.first_start(self.catalog, order.service_id, self.now, self.tz)
        if first is not None and _at_its_time(first, _when_of(order)):
            first = None
        self.state.awaiting = NEW_WHEN
        self._say("dont_know", awaiting=NEW_WHEN, order=order, first=first, shop=self._shop(order.service_id),
                  choices=self._first_start_choice(first))

    async def _reschedule_step(self, p: ParseResult) -> bool:
        """Gather the new date/time for an order, then confirm and apply it."""
        st = self.state
        order = await self._staged_order()
        if order is None:
            return False
        wish = {k: v for k, v in st.proposal.items() if k == A.STAFF_FIELD}  # the person asked for with it
        when = self._new_when(p, order)
        if p.flags.get(DAY_CHOICE) and "date" not in when:
            # "改到这周末", "改到明天下午3点" said at 01:30 (today or the day after?): the days to
            # choose from, the hour said kept for the one chosen (`Turn._offer_days`)
            self._offer_days(p, p.flags[DAY_CHOICE])
            return True
        if p.intent == "cancel" and not when and p.flags.get("cancel_the_order"):  # "算了 直接取消吧"
            st.reset()
            self._ask_cancel(order)
            return True
        if await self._yes_or_keep(p, order, bool(when), self._apply_reschedule, "reschedule_kept"):
            return True
        if not when:
            if p.intent in ("status", "price", "human", "greet"):
                st.reset()
                return False
            if st.awaiting in ("date", NEW_WHEN):  # asked already: say so, rather than the same question word for word
                self._say("not_understood", awaiting="date", offer_human=False, shop=self._shop())
            self._ask_new_time(order)
            return True
        current = _when_of(order)
        proposal = S.merge(S.merge(current, st.proposal or {}), when)
        if p.flags.get("weekday_today"):  # "改到周五" on a Friday night, the order's 15:00 gone: next Friday
            proposal = S.weekday_meant(proposal, self.now, self.tz, self.catalog.hours_for(order.service_id))
        if wish and _at_its_time(proposal, current):  # "让王师傅明天下午来" for that very visit: the person only
            await self._ask_amend(order, wish)
            return True
        problem = self._when_problem(proposal, order.service_id)
        if problem:
            self._say_when_problem(problem, proposal, order.service_id)
            self._remember_refused(problem, proposal)
            kept = dict(proposal)  # what did not cause it stands: a refused day keeps the new hour
            S.clear_when(kept, problem, proposed=self.asap)
            st.proposal = {**kept, **wish}
            self._ask_new_time(order)
            return True
        if S.needs_hour(proposal):  # "改到明天凌晨": which hour, then?
            st.proposal, st.awaiting = {**proposal, **wish}, "time"
            draft = {**proposal, "service": order.service_id}
            self._say("ask_time", draft=draft, noted=[], today=self._starts_left_today(draft))
            return True
        offers = await self._taken(proposal, order.service_id, moving=order)
        if offers is not None:
            st.proposal = {**{k: v for k, v in proposal.items() if k == "date" and offers}, **wish}
            st.awaiting = "date"
            self._full(proposal, offers)
            return True
        if proposal == current:  # "改到明天下午3点" for the order of tomorrow 15:00: no "X → X?"
            st.proposal, st.awaiting = {}, "date"
            self._say("reschedule_same", order=order)
            return True
        st.proposal, st.awaiting = {**proposal, **wish}, None
        self._propose("reschedule_confirm", order=order, proposal=proposal, changes=wish,
                      names=await self._staff_names(order, wish))
        return True

    def _new_when(self, p: ParseResult, order: Order) -> dict[str, Any]:
        """The new date/time a message gives `order`: the one it names, else its own
        moved by the amount said ("提前一个小时": the NLU's ``moved_by``, flag ``shift`` here)."""
        when = {k: v for k, v in p.slots.items() if k in ("date", "time", "period")}
        if when or not p.flags.get("shift"):
            return when
        return S.moved_by(_when_of(order), p.flags["shift"], self.catalog.hours_for(order.service_id))

    async def _apply_reschedule(self, order: Order) -> None:
        prop = self.state.proposal
        self.order_id = order.id
        if self.catalog.counts_visits:  # counted again with the day held, as a booking is
            await order_repo.hold_calendar(self.session, S.parse_date(prop["date"]))
            offers = await self._taken(prop, order.service_id, moving=order)
            if offers is not None:
                return await self._taken_meanwhile(order, prop, offers)
        if await lifecycle.reschedule(self.session, order, prop["date"], prop.get("time"), prop.get("period"),
                                      self.catalog, self.now, self.tz, actor=self._actor):
            self.events.append(DomainEvent("order_rescheduled", order.id))
        changed = await self._ask_staff_wished(order, prop)  # "让王师傅后天下午来": the person too
        self.state.reset()
        self._say("rescheduled", order=order, names=await self._staff_names(order, changed))

    async def _ask_staff_wished(self, order: Order, prop: dict[str, Any]) -> dict[str, Any]:
        """Ask for the person a reschedule's proposal carries (`_staff_wish`) on `order`, staff
        told (`order_amended`); what changed, nothing when none was asked or it was asked already."""
        wish = _staff_wish(prop)
        changed = await lifecycle.amend(self.session, order, wish, self.catalog, self.now,
                                        actor=self._actor) if wish else {}
        if changed:
            self.events.append(DomainEvent("order_amended", order.id, (A.STAFF_FIELD,)))
        return changed

    async def _taken_meanwhile(self, order: Order, prop: dict[str, Any], offers: list[dt.datetime]) -> None:
        """The new time confirmed was taken by someone else since it was shown: the person asked
        for with it ("让王师傅后天下午3点来") is asked for all the same; one answer says the time is
        full, that the order keeps its own time, that the person was asked for (no "已改好" for a
        change half done, nor for the person the order already asked for), and offers the free
        starts, the time asked for again. (Both were lost before: the order kept its time and
        nobody was asked for; then the customer got "已改好" and "约满了" as two answers.)"""
        changed = await self._ask_staff_wished(order, prop)
        st = self.state
        st.stage, st.order_id = RESCHEDULING, order.id
        st.proposal = {"date": prop["date"]} if offers else {}
        st.awaiting = "date"
        self._full(prop, offers, kept=order, names=await self._staff_names(order, changed))

    async def _amends(self, p: ParseResult) -> bool:
        """A booked order's contact details changed from the chat ("地址写错了，是…"), when
        the message reads so (`A.wants_amend`) and the customer has an open order (a
        destination alone, "搬到…", an open move), or its quantity by so much ("再加一台",
        `A.QUANTITY_DELTA`), or a remark for its notes ("对了我家有只狗，师傅别怕", added at once
        to the order just confirmed): True when this turn is about that (asking which order, or
        showing old → new)."""
        slots, fix = A.address_fix(p.slots, p.flags)  # "对 但是地址是T2不是T1", "门牌号是1503"
        slots = A.about_a_move(slots, self.catalog.needs_destination)
        after_confirmation = self.confirmed is not None  # "两台" then: how many of what was just booked
        changes = A.amendment(slots, self.text, p.flags, after_confirmation=after_confirmation)
        if fix:
            changes[A.ADDRESS_FIX] = fix
        remark = p.flags.get("remark") if not changes else None
        if remark:  # "对了我家有只狗，师傅别怕" (nothing else said): for the order's notes
            changes[A.NOTES_ADDED] = remark
        # "再加一台", "多加俩小时吧", "两台" right after booking: nothing else it could be
        by_so_much = bool(changes.keys() & {A.QUANTITY_DELTA, "quantity"})
        if not changes or not (by_so_much or A.wants_amend(slots, self.text, after_confirmation=after_confirmation)):
            return False
        ref = p.slots.get("order_ref")
        if after_confirmation and not ref:  # right after a confirmation: that order, read once
            just = await order_repo.get(self.session, self.confirmed, lock=bool(remark))
            if just is not None and just.customer_id == self.customer.id and self._fits(changes, just):
                if not remark:
                    await self._ask_amend(just, changes)
                elif self._staged_amendment(just, changes):  # a remark on the order just booked: added
                    await self._apply_amend(just)  # and said so, as a remark at its summary was
                return True
        active = None
        if not ref:  # of "搬到…", the customer's moves only
            active = [o for o in await self._active_orders()
                      if self._fits(changes, o)]
        if not ref and not active:
            if await self._said_where_we_are(changes):
                return True
            return False  # nothing to change: the details start a booking, as before
        self.state.proposal = changes  # kept while the customer picks the order
        order = await self._target(ref, "amend", active)
        if order is not None:
            await self._ask_amend(order, changes)
        return True

    async def _new_detail_asked(self, p: ParseResult) -> bool:
        """"不要这个地址了", "电话错了" once booked, the right one not said (nlu flag ``wrong_field``):
        the new one is asked for, for the booked order it is about (the one just confirmed, else
        asking which, if several), and then shown old → new as any amendment is. True when this turn is about that."""
        field = p.flags.get("wrong_field")
        if not field or S.booking_slots(p.slots):
            return False
        active = await self._active_orders()
        if not active:
            return False
        if field == "address":  # a visit at our place has no address of the customer's to put right
            active = [o for o in active if not self.catalog.at_shop(o.service_id)]
            if not active:
                return await self._said_where_we_are({"address": None})
        self.state.proposal = {ASK_FOR: field}  # kept while the customer picks the order
        just = await order_repo.get(self.session, self.confirmed) if self.confirmed else None
        if just is not None and just.customer_id == self.customer.id \
                and (field != "address" or not self.catalog.at_shop(just.service_id)):  # right after booking: that order
            order: Order | None = just
        else:
            order = await self._target(None, "amend", active)
        if order is not None:
            self._ask_new_detail(order, field)
        return True

    def _ask_new_detail(self, order: Order, field: str) -> None:
        """Ask for the new address or phone of `order`, the answer to be shown old → new."""
        st = self.state
        if not self._changeable(order, "amend"):
            return
        st.stage, st.order_id, st.proposal, st.awaiting = AMENDING, order.id, {}, field
        self.order_id = order.id
        self._say("amend_ask", order=order, field=field)

    def _fits(self, amendment: dict[str, Any], order: Order) -> bool:
        """Whether `order` can take `amendment` (`A.fits`: a destination only a move; a part of
        the address put right only an order whose address holds it, when that is all; an
        address no visit at our place, which is where the business is)."""
        self.added = amendment.get(A.QUANTITY_DELTA)
        amendment = A.for_order(amendment, order.address, order.quantity, self._price_per(order))
        return bool(amendment) and A.fits(amendment, self.catalog.needs_destination(order.service_id),
                                          self.catalog.at_shop(order.service_id))

    async def _said_where_we_are(self, changes: dict[str, Any]) -> bool:
        """A new address for the customer's visits at our place, which have no address of
        theirs to change ("地址改成…" after booking a manicure): told where to come instead of
        the shop's address being replaced by theirs. True when said."""
        if "address" not in changes and A.ADDRESS_FIX not in changes:
            return False
        at_shop = [o for o in await self._active_orders()
                   if self.catalog.at_shop(o.service_id)]
        if at_shop:
            self._say("at_shop_address", orders=at_shop)
        return bool(at_shop)

    def _price_per(self, order: Order) -> str | None:
        """What `order`'s service is priced by ("hour", "item", "visit"), None for one no longer sold."""
        service = self.catalog.get(order.service_id)
        return service.price_per if service is not None else None

    async def _ask_amend(self, order: Order, amendment: dict[str, Any]) -> None:
        """Show the order's details that `amendment` changes, old → new, and ask to confirm
        (the staff member asked for by name, before and after)."""
        if self._staged_amendment(order, amendment):
            self._propose("amend_confirm", order=order, changes=self.state.proposal,
                          names=await self._staff_names(order, self.state.proposal))

    async def _staff_names(self, order: Order, changes: dict[str, Any]) -> dict[str, str]:
        """The names of the staff asked for in `order` and in `changes` (`lifecycle.staff_names`)."""
        if A.STAFF_FIELD not in changes:
            return {}
        ids = A.staff_ids(changes) | A.staff_ids({A.STAFF_FIELD: order.preferred_staff_id})
        return await lifecycle.staff_names(self.session, ids)

    def _staged_amendment(self, order: Order, amendment: dict[str, Any]) -> bool:
        """What `amendment` really changes of `order`, staged to apply (`AMENDING`, the proposal):
        True; False, having said why, when nothing is to change (the order not changeable,
        the quantity refused, the details the order has already)."""
        st = self.state
        if not self._changeable(order, "amend"):
            return False
        amendment = A.for_order(amendment, order.address, order.quantity, self._price_per(order))
        if "address" in amendment and self.catalog.at_shop(order.service_id):
            # named by its number ("订单…地址改成…"): a visit at our place keeps the shop's address
            self._say("at_shop_address", orders=[order])
            amendment = {k: v for k, v in amendment.items() if k != "address"}
            if not amendment:
                st.reset()
                self.order_id = order.id
                return False
        if self._quantity_refused(order.service_id, S.quantity_of(amendment.get("quantity")), order=order):
            amendment = {k: v for k, v in amendment.items() if k != "quantity"}
            if not amendment:  # said why; the order stays as it is
                st.reset()
                self.order_id = order.id
                return False
        changes = A.changes_to({f: getattr(order, f) for f in A.AMENDABLE_FIELDS}, amendment)
        if not changes:  # "电话换成138…" that is the order's phone already
            st.reset()
            self._say("amend_same", order=order)
            return False
        st.stage, st.order_id, st.proposal, st.awaiting = AMENDING, order.id, changes, None
        self.order_id = order.id
        return True

    async def _amend_step(self, p: ParseResult) -> bool:
        """The answer to "address X → Y, change it?": yes applies it, no keeps the order,
        more details ("电话也改成…") join the change; anything else leaves the question."""
        st = self.state
        order = await self._staged_order()
        if order is None:
            return False
        if st.awaiting and not st.proposal:  # the new detail asked for ("不要这个地址了" → "新地址是？")
            given = p.slots.get(st.awaiting)
            if given:
                await self._ask_amend(order, {st.awaiting: given})
                return True
            st.reset()
            if p.intent in ("deny", "cancel"):  # "算了": the order stays as it is, said so
                self._say("amend_kept", order=order)
                return True
            return False
        slots = A.about_a_move(p.slots, self.catalog.needs_destination)
        more = A.amendment(slots, self.text, p.flags, after_confirmation=True)  # "三台" to "1 → 2?"
        if await self._yes_or_keep(p, order, bool(more), self._apply_amend, "amend_kept"):
            return True
        if more and ("quantity" in more or A.wants_amend(slots, self.text, after_confirmation=True)) \
                and self._fits(more, order):
            await self._ask_amend(order, {**st.proposal, **more})
            return True
        st.reset()
        return False

    async def _apply_amend(self, order: Order) -> None:
        self.order_id = order.id
        if not await self._room_for(order, self.state.proposal.get("quantity")):
            self.state.reset()
            return self._say("amend_no_room", order=order)
        changed = await lifecycle.amend(self.session, order, self.state.proposal, self.catalog, self.now,
                                        actor=self._actor)
        asked = sorted(f for f in changed if f in A.AMENDABLE_FIELDS)  # not the total and length it brought
        if changed:
            self.events.append(DomainEvent("order_amended", order.id, tuple(asked)))
        if "phone" in changed:  # their next booking is not asked for the old one
            self.customer.phone = order.phone
        self.state.reset()
        self._say("amended", order=order, fields=asked, names=await self._staff_names(order, changed))

    async def _room_for(self, order: Order, quantity: int | None) -> bool:
        """Whether `order` may grow to `quantity` (a longer visit: more hours of an hourly
        service) within the capacity, counted with the day held as a booking is; True when
        its length stays or nothing is counted."""
        service = self.catalog.get(order.service_id)
        if quantity is None or service is None or not self.catalog.counts_visits:
            return True
        minutes = service.minutes_for(quantity)
        if minutes <= order.duration_minutes:
            return True
        await order_repo.hold_calendar(self.session, order.date)
        return await availability.taken(self.session, self.catalog, _when_of(order), order.service_id,
                                        self.now, self.tz, moving=order, minutes=minutes) is None
