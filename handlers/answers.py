"""Questions answered outside the booking itself: `Answers`.

Prices, opening hours, the owner's FAQ, "my orders", who the technician is, a
visit running late, and questions nobody here can answer (passed on to a
person). Asked mid-booking, each is answered and the booking's open question
follows; the booking itself is `handlers.dialogue`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from handlers import handoff
from handlers import slots as S
from handlers.turn import TurnBase
from nlu.pipeline import ASKS_LENGTH, BEDROOMS, SERVICE_QUESTION
from nlu.types import ParseResult
from storage import orders as order_repo
from storage.catalog import Service
from storage.models import ACTIVE_STATUSES, BOOKED_STATUSES, Order

STATUS_LIST = 5  # orders "my orders" shows


def status_list(orders: list[Order]) -> list[Order]:
    """What "my orders" shows: the ones still to happen first, soonest first (what the
    customer is asking about), then the latest past ones; a booking dropped before it
    was ever confirmed is left out (it was never an order to them)."""
    active = sorted((o for o in orders if o.status in ACTIVE_STATUSES), key=lambda o: (o.start_at, o.id))
    past = sorted((o for o in orders if o.status not in ACTIVE_STATUSES and o.confirmed_at is not None),
                  key=lambda o: (o.start_at, o.id), reverse=True)
    return (active + past)[:STATUS_LIST]


def sharing_the_word(services: list[Service], service: Service, text: str) -> list[Service]:
    """The services a price question names by a word their names share, in the catalog's
    order: "你们做保洁多少钱" names 日常保洁 by its word 保洁, which is in 深度保洁's name too, so
    both are priced; just `service` when the message names it in full ("日常保洁多少钱") or
    its word is in no other service's name ("钟点工多少钱")."""
    said = text.lower()
    if any(name.lower() in said for name in service.names.values()):
        return [service]
    words = [w.lower() for w in service.synonyms if w.lower() in said]
    return [s for s in services
            if s is service or any(w in name.lower() for w in words for name in s.names.values())]


def catalog_answers(parse: ParseResult) -> bool:
    """Whether the dialogue answers the message from the catalog (pure): the owner's FAQ
    (flag ``faq``), when visits may start (``hours``), or how long a named service takes
    (`SERVICE_QUESTION` "length", `Answers._length_answered`).
    A question about a service the FAQ does not answer ("空调清洗包括什么？") is a person's."""
    flags = parse.flags
    return flags.get("faq") is not None or bool(flags.get("hours")) or (
        flags.get(SERVICE_QUESTION) == "length" and "service" in parse.slots)


class Answers(TurnBase):
    """The answer to a question, said; none of them starts or changes an order."""

    def _faq(self, p: ParseResult, offer: Service | None = None) -> bool:
        """Says the owner's answer to the catalog question the message asks, if it asks one;
        with `offer`, the service asked about, offered to book ("shall I book it?")."""
        faq = p.flags.get("faq")
        if faq is None or faq >= len(self.catalog.faq):
            return False
        self._say("faq", answer=self.catalog.faq[faq].answer_in(self.state.lang), offer=offer)
        return True

    async def _about_service(self, p: ParseResult) -> bool:
        """A question about the service it names that asks for no visit ("深度保洁要多久？", "do you
        bring your own supplies for regular cleaning?"): the owner's FAQ answer, else, asked how
        long, the catalog's length with its price (`_length_answered`). Out of a
        booking the service is offered, so a yes books it, unless one is booked already ("what if
        the plumber needs parts?" just after booking one); in a booking nothing of the draft changes
        and its open question follows. False when neither answers it ("开锁需要带什么证件吗"):
        a person does, as for any question passed on (flag ``asks``), never an answer made up."""
        st = self.state
        service = self.catalog.get(p.slots.get("service"))
        if service is None:
            return False
        booked = not st.busy and any(o.service_id == service.id for o in await self._active_orders())
        offer = None if st.busy or booked else service
        if self._faq(p, offer=offer):
            st.offered = offer.id if offer else None
        elif not self._length_answered(p):
            return False
        self._reask()
        return True

    def _say_hours(self, service_id: str | None) -> None:
        """When visits may start: the service's own hours when one is being booked, else the
        business's, with the services that keep other hours (a locksmith round the clock)."""
        hours = self.catalog.hours_for(service_id)
        own = self.catalog.configured_hours(None)
        others = [] if service_id else [s for s in self.catalog.services
                                        if s.hours is not None and s.hours != own]
        self._say("hours", hours=hours, service=service_id, others=others, busy=self.state.busy,
                  shop=self._shop(service_id))

    def _answer_aside(self, p: ParseResult, booking: dict[str, Any]) -> dict[str, Any]:
        """A question asked inside a booking ("…，13812345678，可以开发票吗？") is answered before
        the summary; one the FAQ does not answer ("…，师傅是男的还是女的？") goes on the order's
        note, marked as a question, for staff to answer, and the customer is told so: not
        ignored. The booking with that note."""
        if self._faq(p) or self._length_answered(p, booking) or not p.flags.get("asks"):
            return booking
        self._say("question_noted", question=p.flags["asks"])
        return S.with_note(booking, S.asked_note(p.flags["asks"]))

    def _length_answered(self, p: ParseResult, booking: dict[str, Any] | None = None) -> bool:
        """How long a service takes, said as the catalog's length with its price (as a price
        question is answered), not a question passed on to staff: asked alone of the service it
        names ("深度保洁要多久？", `SERVICE_QUESTION` "length", `_about_service`), or with a
        `booking` of the service booked (flag ``asks_length``: "我想约个深度保洁，要多久？", with the
        draft's count). False when neither is asked, or of no service of ours."""
        st = self.state
        if p.flags.get(SERVICE_QUESTION) == "length":
            service_id, quantity, busy = p.slots.get("service"), p.slots.get("quantity"), st.busy
        elif p.flags.get(ASKS_LENGTH) and booking is not None:
            service_id = booking.get("service") or st.draft.get("service")
            quantity, busy = booking.get("quantity", st.draft.get("quantity")), True
        else:
            return False
        if self.catalog.get(service_id) is None:
            return False
        rooms = p.flags.get(BEDROOMS)  # "两室一厅要多久": that home's hours, "2 bedroom" no 2 hours
        if S.counts_the_home(p.flags.get("counted"), rooms):
            quantity = None
        self._price(service_id, S.quantity_of(quantity), booking=busy, bedrooms=rooms)
        return True

    async def _ask_for_person(self, complaint: str | None = None,
                              phone: str | None = None) -> tuple[bool, Order | None]:
        """`handoff.ask_for_person` with this turn's words and, mid-booking, the booking
        under way, so staff answering know what the customer was booking."""
        return await handoff.ask_for_person(self.session, self.customer, self.channel, self.text, self.now,
                                            self.tz, complaint=complaint,
                                            draft=self.state.draft if self.state.booking else None, phone=phone)

    async def _pass_question(self, question: str) -> None:
        """A question neither the FAQ nor the bot answers, asked with no booking under way
        to put it on: a person answers it, so staff are told as for "转人工"
        (`handoff.ask_for_person`), with the customer's words, and the customer hears it
        was passed on rather than "didn't understand"."""
        alerted, _ = await self._ask_for_person()
        self._say("question_passed", question=question, again=not alerted, busy=self.state.busy)

    async def _hand_over(self, complaint: str | None, *, booking: bool = False, phone: str | None = None) -> None:
        """Staff told the customer asks for a person, or complains ("师傅迟到了半小时了": kind
        `complaint`), with their words (`handoff.ask_for_person`), and the customer told so;
        `booking`: the same message books a visit too, which goes on."""
        alerted, today = await self._ask_for_person(complaint, phone)
        self._say("human_handoff", again=not alerted, busy=self.state.busy or booking, complaint=complaint,
                  order=today, booking=booking)

    async def _status(self, ref: str | None) -> list[Order]:
        """Answer "my orders" (or one order, `ref`); returns the orders listed, soonest
        still-to-happen first (none for one order asked by number)."""
        if ref:
            order = await self._own_order(ref)
            self._say("status_one" if order else "order_not_found", order=order, ref=ref)
            return []
        recent = await order_repo.for_customer(
            self.session, self.customer.id, limit=STATUS_LIST * 2,
            statuses=BOOKED_STATUSES)
        shown = status_list(recent)
        self._say("status_list", orders=shown)
        return shown

    async def _technician(self, asked: str) -> None:
        """Who comes for the customer's next visit (`asked` "who"), or how to reach them
        ("phone"): the assignee's name once someone took the order, else that nobody has
        yet and the customer will be told (`order_claimed`). Staff records keep no phone
        number, so none is given, never made up: the technician phones before coming, and
        a person is one "转人工" away."""
        active = await self._active_orders()
        order = active[0] if active else None
        name = order.assignee.name if order is not None and order.assignee is not None else None
        self._say("technician", order=order, name=name, asked=asked, busy=self.state.busy,
                  shop=self._shop(order.service_id if order is not None else None))

    async def _late_visit(self, shown: list[Order]) -> None:
        """Asked after their orders (`shown`) while today's visit is overdue
        (`handoff.overdue_order`: not started `not_started_minutes` after its start, when
        the staff group is warned too): the customer waiting at home hears that a person is
        on it, and staff are told they are asking, as for "师傅迟到了" (`handoff.ask_for_person`)."""
        grace = dt.timedelta(minutes=self.catalog.reminders.not_started_minutes)
        late = handoff.overdue_order(shown, self.now, self.now.astimezone(self.tz).date(), grace)
        if late is None:
            return
        alerted, _ = await self._ask_for_person("late")
        self._say("human_handoff", again=not alerted, busy=self.state.busy, complaint="late", order=late)

    async def _about_booked(self, template: str) -> bool:
        """A question about the orders still to happen, no service named, answered from them
        (`template`): a bare "多少钱" / "how much?" asks what they cost ("price_booked"), not
        for the whole price list (which "价目表" still gets, the reply says so); "how long will
        it take?" how long they take, each order's own length ("length_booked"), not a question
        for staff. False, nothing said, when they have none."""
        active = await self._active_orders()
        if active:
            self._say(template, orders=active[:STATUS_LIST])
        return bool(active)

    def _price(self, service_id: str | None, quantity: int | None, *, booking: bool,
               bedrooms: int | None = None) -> None:
        """One service's price (for the quantity asked about: "3台空调清洗多少钱" is three
        times the unit price) offers to book it, unless a booking is already under way
        (then its open question follows instead); a "yes" to the offer starts that booking, for
        the quantity priced when the price counts it ("洗2台洗衣机多少钱" then "好的" books two).
        Asked by a word several services' names share ("保洁"), it prices them all and offers none.
        `bedrooms`: the home asked about ("两室一厅要多久"), whose usual hours an hourly service
        says (catalog `hours_by_bedrooms`), and books on a yes."""
        service = self.catalog.get(service_id)
        listed = sharing_the_word(self.catalog.services, service, self.text) \
            if service is not None and quantity is None and not booking else []
        if len(listed) > 1:  # "你们做保洁多少钱": 深度保洁 and 日常保洁 both, and which one is for them to say
            service = None
        else:
            listed = []  # the whole list when no service is asked about
        if service is not None and not booking:
            self.state.offered = service.id
            if service.count_of(quantity) > 1:
                self.state.offered_slots = {"quantity": quantity}
        home = service.listed_home(bedrooms) if service else None
        if home and not booking:
            self.state.offered_slots = {**self.state.offered_slots, S.BEDROOMS: bedrooms}
        self.state.priced = True
        quote = service.quote(quantity) if service else None
        self._say("price_one" if service else "price_list", service=service, quote=quote, booking=booking,
                  listed=listed, home=home, bigger_home=bool(home and bedrooms > home))
