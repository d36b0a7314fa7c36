"""What a returning customer or a confirmed visit is offered: `Offers`.

"Same address as last time", "再约一次", "还是上次那个阿姨来" (or "让王师傅来"), the last
address offered as a quick reply, and a second service named for the same visit ("深度保洁和擦玻璃", "加个擦玻璃")
offered once the first is booked, one at a time: each reuses what is on record
so that the customer need not say it again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from handlers import slots as S
from handlers import staff as staff_logic
from handlers.render import ChoiceSpec
from handlers.turn import TurnBase
from nlu.pipeline import ASKS_STAFF, NOTE, SAME_STAFF, SAME_TIME_NEXT_WEEK, STAFF_MAYBE, STAFF_NAMED
from nlu.types import ParseResult
from storage import orders as order_repo
from storage import staff as staff_repo
from storage.models import BOOKED_STATUSES, Order


def same_visit_offers(text: str, services: list[str]) -> dict[str, Any] | None:
    """The services a booking named besides its first ("深度保洁、擦玻璃和家电清洗"), as the
    chain `st.more` keeps: each offered for the same visit once the one before is booked
    or declined (`Turn._offer_next_service`)."""
    chain: dict[str, Any] | None = None
    for service in reversed(services):
        chain = {"text": text, "slots": {"service": service}, "more": chain, "same_visit": True}
    return chain


class Offers(TurnBase):
    """Bookings that reuse the last order's address or service, and services offered for the same visit."""

    async def _with_last_address(self, p: ParseResult) -> ParseResult:
        """"Same address as last time" (NLU flag ``same_address``) as a booking's words: the
        address of the customer's latest order, as a returning customer's phone is reused;
        with none on record, no address: we say so, and the booking asks for it."""
        address = await self._last_address()
        if not address:
            self._say("no_last_address")
        slots = {**p.slots, "address": address} if address else p.slots
        return dataclasses.replace(p, intent="book", slots=slots)

    async def _last_order(self) -> Order | None:
        """The customer's latest booked order, if any: what "same as last time" means, for
        its address or its service, and what the address question offers a returning customer."""
        if self.last_booked is None:  # its name and its address are both asked for in one turn
            self.last_booked = await order_repo.for_customer(self.session, self.customer.id,
                                                             statuses=BOOKED_STATUSES, limit=1)
        return self.last_booked[0] if self.last_booked else None

    async def _last_address(self) -> str | None:
        """The latest booked home visit's address: "地址跟上次一样", and the address question's
        offer; after a move, where it went. A visit at our place (catalog `at_shop`) has the shop's address, not the
        customer's: the home visit before it is looked up instead."""
        last = await self._last_order()
        shop = self.catalog.shop_services()
        if last is not None and last.service_id in shop:
            home = await order_repo.for_customer(self.session, self.customer.id, statuses=BOOKED_STATUSES,
                                                 limit=1, excluding_services=shop)
            last = home[0] if home else None
        if last is not None and last.destination and not self._before(last.date):
            return last.destination  # "搬完家想做个保洁" after the move: the new home, not the old one
        return last.address if last else None

    def _before(self, day: object) -> bool:
        """Whether the booking under way is for a day before `day` (a move's: the old home is
        still theirs then, "搬家前打扫一下")."""
        said = self.state.draft.get("date")
        return bool(said and day and str(said) < str(day))

    async def _last_name(self) -> str | None:
        """The name ("王女士") on the latest booked order: a returning customer's next booking
        carries it, as it carries their phone."""
        last = await self._last_order()
        return last.name if last else None

    async def _with_last_service(self, p: ParseResult) -> ParseResult:
        """"还是上次那个服务", "再约一次", "same as last time" (NLU flag ``repeat``) as a booking of
        the latest order again: its service and its length (the hours or items booked),
        address (and a move's destination) and name, so
        only the day and time are asked and the summary shows the rest to confirm or change;
        whatever else the message says stands ("再约一次，后天上午"); "下周同一时间" (flag
        ``same_time_next_week``) is its day a week on, at its hour. The phone on file goes
        with it as for any returning customer. With no order before, a booking that asks
        which service, as "我想预约" does."""
        last = await self._last_order()
        if last is None:
            return dataclasses.replace(p, intent="book")
        home = not self.catalog.at_shop(last.service_id)  # a visit at our place has no address of theirs
        again = {"service": last.service_id, "address": last.address if home else None, "name": last.name}
        if p.slots.get("service", last.service_id) == last.service_id:  # as long (4 hours of cleaning), unless
            again["quantity"] = last.quantity  # another service is named ("再约一次，擦玻璃")
        if p.flags.get(SAME_TIME_NEXT_WEEK):  # "下周同一时间再约一次": the same visit a week on, at its hour
            again.update(S.a_week_after(last.date, last.time, last.period))
        flags = p.flags
        if "address" not in p.slots and last.destination and not flags.get("destination"):
            flags = {**flags, "destination": last.destination}
        slots = {**{k: v for k, v in again.items() if v}, **p.slots}
        return dataclasses.replace(p, intent="book", slots=slots, flags=flags)

    async def _with_staff_asked(self, p: ParseResult) -> ParseResult:
        """A booking's words asking for a person (NLU flag ``same_staff``: the one who did the
        customer's last completed visit, of this service if any; ``staff_named``: one of the
        business's staff by name) as its `S.STAFF`, which the summary and the staff card show.
        When there is no such visit or person, or the name fits several, we say so and the
        booking goes on without one: a wish never stops it. A message of only the wish books.
        Asked as a question (``asks_staff``: "还是上次那个阿姨来吗"), the answer says we ask them first.
        The same person with no service said or being booked ("same cleaner as last time, saturday
        3pm") is for what they did last time: that visit's service is booked, shown in the summary."""
        slots = p.slots
        if p.flags.get(SAME_STAFF) and not (slots.get("service") or self.state.draft.get("service")):
            last = await order_repo.last_served(self.session, self.customer.id, None)
            if last is not None and last.assignee is not None and last.assignee.active:
                slots = {**slots, "service": last.service_id}
        staff = await self._staff_asked(p, slots.get("service") or self.state.draft.get("service"))
        if staff and p.flags.get(ASKS_STAFF):  # "还是上次那个阿姨来吗": a wish, answered as one
            self._say("staff_asked", staff=staff, shop=self._shop(slots.get("service")))
        intent = "book" if p.intent == "other" else p.intent
        return dataclasses.replace(p, intent=intent, slots={**slots, S.STAFF: staff} if staff else slots)

    async def _staff_by_full_name(self, p: ParseResult) -> ParseResult:
        """"让李娜来": a bare full name asked to come (NLU flag ``staff_maybe``) as a request for
        that staff member (``staff_named``) when one of the business's active staff is so called,
        and then its words are no note; else the message as read, without the flag ("让张三来"
        names nobody of ours: no "没有找到" for a name we only guessed was meant for us)."""
        maybe = p.flags[STAFF_MAYBE]
        flags = {k: v for k, v in p.flags.items() if k != STAFF_MAYBE}
        if not staff_logic.named_exactly(await staff_repo.active_members(self.session), maybe["name"]):
            return dataclasses.replace(p, flags=flags)
        if str(flags.get(NOTE, "")).strip(" ，,。.!！?？") == maybe["words"].strip(" ，,。.!！?？"):
            del flags[NOTE]  # "…，让李娜来": the request, no remark for the technician
        slots = {k: v for k, v in p.slots.items() if not (k == "name" and v == maybe["name"])}
        return dataclasses.replace(p, slots=slots, flags={**flags, STAFF_NAMED: maybe["name"]})

    async def _staff_asked(self, p: ParseResult, service: str | None) -> dict[str, Any] | None:
        """The person `p` asks for (flags ``same_staff`` / ``staff_named``), for a visit of
        `service` (the last visit of that service's staff first), as `S.STAFF` holds them; None,
        said why (nobody, or several so called), when there is not one to ask for."""
        last = await order_repo.last_served(self.session, self.customer.id, service)
        served = last.assignee if last is not None else None
        said = None if p.flags.get(SAME_STAFF) else str(p.flags[STAFF_NAMED])
        if said is None:
            found = [served] if served is not None and served.active else []
        else:
            found = staff_logic.called(await staff_repo.active_members(self.session), said)
        if len(found) != 1:
            self._say("staff_not_found", said=said, served=served.name if served is not None else None,
                      several=[m.name for m in found], shop=self._shop(service))
            return None
        staff = found[0]
        return {"id": staff.id, "name": staff.name, "last": served is not None and served.id == staff.id}

    def _queue_more(self, p: ParseResult) -> None:
        """A message that asked for two bookings (nlu flag ``more``): this one first, the
        other once it is confirmed, so neither becomes a mix of the two."""
        more = p.flags.get("more")
        if more and not self.state.more:
            self.state.more = more
            self._say("two_requests", service=p.slots.get("service"), next=more["slots"].get("service"))

    def _offer_next_service(self, more: dict[str, Any], order: Order) -> None:
        """Offer the next service a booking named for the same visit as `order`; the ones
        after it wait (`st.more`) to be offered in turn once it is booked or declined
        ("深度保洁、擦玻璃和家电清洗": window cleaning, then appliance cleaning)."""
        self.state.more = more.get("more")
        self._offer_for_visit(more["slots"]["service"], order)

    def _offer_for_visit(self, service: str, visit: Order, said: dict[str, Any] | None = None) -> None:
        """Offer `service` for the same visit as `visit`: a yes books it with that visit's day,
        time, address and phone, and with whatever else was `said` for it ("加个擦玻璃，3扇")."""
        self.state.offered, self.state.offered_slots = service, {**S.same_visit(visit, self.catalog.at_shop(visit.service_id)), **(said or {})}
        # quick replies as every other yes-or-no question has: "1" (or "好的") books it, "2" declines
        self._say("same_visit_offer", service=service, order=visit,
                  choices=[ChoiceSpec("book_too", "affirm"), ChoiceSpec("decline_offer", "deny")])

    async def _offer_same_visit(self, booking: dict[str, Any]) -> bool:
        """"加个擦玻璃" / "also add window cleaning" with no day of its own, said once a booking
        is confirmed: offered for the visit just confirmed, or the customer's only upcoming
        one, as a booking that names two services offers its second (`_confirm`); a yes books
        it with that visit's day, time, address and phone. False when there is no such visit."""
        service = booking.get("service")
        if not service or booking.keys() & {*S.WHEN_SLOTS, "address"}:
            return False
        just = await order_repo.get(self.session, self.confirmed) if self.confirmed else None
        active = await self._active_orders()
        visit = just if just in active else active[0] if len(active) == 1 else None
        if visit is None or visit.service_id == service:
            return False
        self._offer_for_visit(service, visit, {k: v for k, v in booking.items() if k != "service"})
        return True
