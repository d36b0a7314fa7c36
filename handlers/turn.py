"""What every step of a conversation turn stands on: `TurnBase`.

A turn (`handlers.dialogue.Turn`) is one customer message answered. Its flows
and the readings before them live in mixins, one module each (`handlers.quick_answers`,
`handlers.in_context`, `handlers.changes`, `handlers.review_steps`,
`handlers.answers`, `handlers.offers`); this module holds what they all share:
the turn's fields, saying and asking (`_say`, `_ask`), the customer's own orders,
and the checks a day and hour go through (closed, taken, too many) wherever a
visit is booked or moved, so a booking and a reschedule refuse a time alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import availability
from handlers import slots as S
from handlers.reminders import lead
from handlers.render import ChoiceSpec, Say
from handlers.state import CHANGING, COLLECTING, CONFIRMING, DialogueState
from nlu.pipeline import SAME_ADDRESS
from storage import orders as order_repo
from storage.catalog import Catalog
from storage.models import Customer, Order

MAX_SERVICE_CHOICES = 10
# Messages that tell the customer what went on the order's note, or whom we ask to come (`Turn._told`).
TOLD = {"counted_noted": "notes", "length_rounded": "notes", "question_noted": "notes", "location_received": "notes",
        "staff_asked": S.STAFF}


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something other parts of the product react to (staff cards, reminders)."""

    kind: str          # order_confirmed | order_cancelled | order_rescheduled | order_amended
    order_id: int
    fields: tuple[str, ...] = ()  # with order_amended: which contact details changed
    actor: str = "customer"  # who did it, as the order's events record it ("staff:3", "admin")


@dataclass
class TurnBase:
    """One message's turn: who, in what state, and what it says and sets off (`says`, `events`)."""

    session: AsyncSession
    customer: Customer
    channel: str
    state: DialogueState
    catalog: Catalog
    tz: ZoneInfo
    now: dt.datetime
    says: list[Say] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)
    order_id: int | None = None   # the order this turn was about, for the message log
    text: str = ""                # the message as typed: a review comment is kept verbatim
    offered: str | None = None    # the service our last answer offered to book, for a bare "yes"
    priced: bool = False          # our last answer was a price, for a follow-up "三台呢"
    confirmed: int | None = None  # the order our last answer confirmed, for details that correct it
    asap: bool = False            # this turn's day and hour are the first we can do ("马上"), not said
    soonest_said: bool = False    # "马上" said where a day or hour is wanted (`QuickAnswers`): may set `asap`
    correcting: bool = False      # this message corrects ("改成…", "不对"): a new service replaces
    added: int | None = None      # this message changes the quantity by so much ("再加一个小时"), not to it
    last_booked: list[Order] | None = None  # the latest booked order, read once a turn (`Offers._last_order`)
    # A label of labels.j2 in a language (`Renderer.label`): words the bot writes into an order (its
    # note) come from the templates too, in the customer's language.
    label: Callable[..., str] | None = None

    def _say(self, template: str, choices: list[ChoiceSpec] | None = None, **ctx: Any) -> None:
        specs = tuple(choices or ())
        if specs:
            self.state.choices = [c.payload for c in specs]
        self.says.append(Say(template, ctx, specs))

    def _shop(self, service_id: str | None = None) -> bool:
        """The `shop` of a message that names no order: whether it speaks of a visit at our
        place (`Catalog.speaks_of_shop`) for `service_id`, else the booking's service, else
        the business's usual; a salon's closed day is "不营业", not "不上门"."""
        return self.catalog.speaks_of_shop(service_id or self.state.draft.get("service"))

    def _told(self, field_name: str) -> bool:
        """Whether this turn already told the customer what went on the note ("3个房间一次上门，
        已记在备注里") or whom we ask to come (`S.STAFF`): the question after it then echoes no
        "已记下备注：3个房间" or "已记下指定师傅 王师傅" again."""
        return any(TOLD.get(s.template) == field_name for s in self.says)

    def _await(self, slot: str) -> None:
        """Make the next message the answer for `slot` (a question already said)."""
        st = self.state
        st.awaiting = slot
        if st.stage not in (CONFIRMING, CHANGING):
            st.stage = COLLECTING

    def _ask(self, slot: str, noted: list[str] | None = None) -> None:
        """Ask for one slot; `noted` (the slots just given) echoes what was just
        understood, so a misreading shows at once rather than at the summary."""
        st = self.state
        if slot == "time" and not st.draft.get("date"):  # the hour of no day yet: the day first
            slot = "date"
        self._await(slot)
        template = f"ask_{slot}"
        choices: list[ChoiceSpec] = []
        last_address = st.last_address if slot == "address" else None
        if last_address:  # a returning customer: the last order's address, one tap away
            choices = [ChoiceSpec("same_address", SAME_ADDRESS), ChoiceSpec("other_address", "deny")]
        if slot == "service":
            lang = st.lang
            choices = [ChoiceSpec(s.name_in(lang), f"service:{s.id}", literal=True)
                       for s in self.catalog.services[:MAX_SERVICE_CHOICES]]
        self._say(template, draft=st.draft, noted=noted or [], choices=choices, last_address=last_address,
                  **({"today": self._starts_left_today(st.draft)} if slot == "time" else {}),
                  **({"week": self._week_said()} if slot == "date" else {}))

    def _week_said(self) -> str | None:
        """The week the customer said the visit is in, with no day of it ("我下周要搬家"): "this",
        "next" or "later", for "which day?" to ask a day of it; None when none was said."""
        if not self.state.week:
            return None
        today = self.now.astimezone(self.tz).date()
        weeks = (S.parse_date(self.state.week) - (today - dt.timedelta(days=today.weekday()))).days // 7
        return {0: "this", 1: "next"}.get(weeks, "later")

    def _starts_left_today(self, draft: dict[str, Any]) -> list[str] | None:
        """For "what time?" of a visit today, the soonest start left (none, or one): the
        example the question gives then fits ("23:00" at 22:30, not "下午3点"); None for another day,
        or for a part of today not begun ("今天下午" asked in the morning: "3点" fits it)."""
        now = self.now.astimezone(self.tz)
        if draft.get("date") != now.date().isoformat():
            return None
        if draft.get("period") in S.PERIODS and now.time() < S.PERIODS[draft["period"]][0]:
            return None
        start = S.next_start_today(self.now, self.tz, self.catalog.hours_for(draft.get("service")))
        return [] if start is None else [f"{start:%H:%M}"]

    def _nothing_pending(self) -> None:
        self.state.reset()
        self._say("nothing_pending")

    async def _number(self, order_id: int | None) -> str | None:
        order = await order_repo.get(self.session, order_id) if order_id else None
        return order.number if order else None

    @property
    def _actor(self) -> str:
        return f"customer:{self.customer.id}"

    async def _active_orders(self) -> list[Order]:
        """The customer's orders still to come (confirmed, assigned, in progress), soonest first:
        what "the cleaning", "改到明天" or a second service is read against."""
        return await order_repo.active_for_customer(self.session, self.customer.id)

    async def _own_order(self, ref: str) -> Order | None:
        order = await order_repo.by_number(self.session, ref)
        return order if order is not None and order.customer_id == self.customer.id else None

    def _when_problem(self, when: dict[str, Any], service_id: str | None) -> str | None:
        return availability.when_problem(self.catalog, when, service_id, self.now, self.tz)

    def _remember_refused(self, problem: str, when: dict[str, Any]) -> None:
        """The part of the day of a clock time refused as closed, for the bare hour that
        answers the refusal: after "早上6点" (closed until 07:00), "那7点" means 07:00."""
        if problem == "closed" and when.get("time") and not self.asap:
            self.state.refused_period = S.period_of(when["time"])

    def _say_when_problem(self, problem: str, when: dict[str, Any], service_id: str | None) -> None:
        """The problem, and for hours and days off whose they are (a service's own, or the
        business's) and what was asked, so that the next try fits. A time we proposed for
        "马上" (`asap`) is not named as if the customer had asked for it: we cannot come
        that soon."""
        svc = self.catalog.get(service_id)
        if problem == "closed":
            own = svc is not None and svc.hours is not None
            first = availability.first_start(self.catalog, service_id, self.now, self.tz) if self.asap else None
            self._say("closed", hours=self.catalog.hours_for(service_id), service=service_id if own else None,
                      time=when.get("time"), period=when.get("period"), asap=self.asap, first=first,
                      shop=self._shop(service_id),
                      choices=self._first_start_choice(first))
        elif problem == "closed_day":
            own = svc is not None and svc.days_off is not None
            self._say("closed_day", date=when["date"], service=service_id if own else None, asap=self.asap,
                      shop=self._shop(service_id))
        elif problem == "time_past":  # with the soonest start left today, one tap away
            start = S.next_start_today(self.now, self.tz, self.catalog.hours_for(service_id))
            soonest = f"{start:%H:%M}" if start is not None else None
            self._say(problem, time=when.get("time"), period=when.get("period"), soonest=soonest,
                      shop=self._shop(service_id),
                      choices=[ChoiceSpec(soonest, f"at:{soonest}", literal=True)] if soonest else [])
        elif problem == "day_over":
            first = availability.first_start(self.catalog, service_id, self.now, self.tz)
            self._say(problem, hours=self.catalog.hours_for(service_id), first=first, shop=self._shop(service_id),
                      choices=self._first_start_choice(first))
        else:
            self._say(problem)

    def _say_soonest(self, when: dict[str, Any], service_id: str | None) -> None:
        """"现在能来吗", "asap" answered: the time set for it is the soonest we can come (how
        soon, and that it is today), and a person to call them if that is too late; not a
        bare date and hour the customer must work out is today's."""
        start = S.appointment_start(when["date"], when["time"], None, self.tz, self.catalog.hours_for(service_id))
        self._say("soonest_set", o=when, lead=lead(start, self.now, self.tz), shop=self._shop(service_id))

    def _first_start_on(self, day: str | None) -> dict[str, str] | None:
        """The first start we can do, on `day` when the draft has one (its opening, or the
        next start left today), else from now (`availability.first_start`)."""
        service_id = self.state.draft.get("service")
        first = availability.first_start(self.catalog, service_id, self.now, self.tz)
        if day is None or (first is not None and first["date"] == day):
            return first
        hours = self.catalog.hours_for(service_id)
        when = {"date": day, "time": hours.opening if hours else "00:00"}
        return when if availability.when_problem(self.catalog, when, service_id, self.now, self.tz) is None else first

    def _first_day_for(self, period: str) -> str | None:
        """The first day (from today) whose `period` a visit for the draft's service can have."""
        service_id = self.state.draft.get("service")
        today = self.now.astimezone(self.tz).date()
        days = (today + dt.timedelta(days=ahead) for ahead in range(availability.FIRST_DAY_LOOKAHEAD + 1))
        return next((d.isoformat() for d in days if availability.when_problem(
            self.catalog, {"date": d.isoformat(), "period": period}, service_id, self.now, self.tz) is None), None)

    @staticmethod
    def _first_start_choice(first: dict[str, str] | None) -> list[ChoiceSpec]:
        """The first start offered as a quick reply, labelled in the customer's words
        (labels.j2 `first_start`: "明天 07:00", "Sat 28 Nov, 07:00")."""
        if first is None:
            return []
        return [ChoiceSpec("first_start", f"on:{first['date']}T{first['time']}",
                           args=(first["date"], first["time"]))]

    async def _taken(self, when: dict[str, Any], service_id: str | None, *,
                     moving: Order | None = None) -> list[dt.datetime] | None:
        return await availability.taken(self.session, self.catalog, when, service_id, self.now, self.tz,
                                        moving=moving)

    def _full(self, when: dict[str, Any], offers: list[dt.datetime], *, kept: Order | None = None,
              names: dict[str, str] | None = None) -> str:
        """Say the time asked for is taken, offering the free starts that day as quick replies
        (or another day when there are none); drops what was taken from `when` and returns
        the slot to ask for again. `kept`: a booked order that was to move there and keeps its
        own time, said so in the same answer, with the person asked for meanwhile (`names`)."""
        start = S.start_clock(when.get("time"), when.get("period"), self.catalog.hours_for(when.get("service")))
        self._say("full", date=when["date"], time=when.get("time"), period=when.get("period"),
                  asap=self.asap, start=f"{start:%H:%M}", offers=[f"{t:%H:%M}" for t in offers],
                  kept=kept, names=names or {},
                  shop=self._shop(when.get("service")),
                  choices=[ChoiceSpec(f"{t:%H:%M}", f"at:{t:%H:%M}", literal=True) for t in offers])
        # "马上" with teams free later that day: those offers stand, so the day does too
        return S.clear_when(when, "time" if offers else "full_day", proposed=self.asap and not offers)

    def _quantity_refused(self, service_id: str | None, quantity: int | None, *, order: Order | None = None) -> bool:
        """Whether `quantity` of the service cannot be booked from the chat
        (`Service.quantity_refused`: more than one of a service priced by the visit, or more
        than its `most`); then says why, and for too many offers a person. `order`: the
        booked order the quantity was to change, which stays as it is."""
        service = self.catalog.get(service_id)
        why = service.quantity_refused(quantity) if service is not None else None
        if why is not None:
            self._say("quantity_refused", why=why, service=service, quantity=quantity, order=order, added=self.added)
        return why is not None
