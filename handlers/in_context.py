"""A message read in the conversation it belongs to: `InContext`.

The NLU reads one message alone. What it means here depends on what came before:
"不排水" to a washing machine's booking is what is wrong with it, not another service;
"3点" to "凌晨几点？" is 03:00; "提前一个小时" at the summary moves the draft's hour;
"地址跟上次一样" is last order's address. `InContext._in_context` runs these readings
in a fixed order, each a step that returns the message as now understood, or None
when the step has answered it already; the dialogue (`handlers.dialogue.Turn`) then
decides on what is left.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Awaitable, Callable

from handlers import amend as A
from handlers import slots as S
from handlers.offers import same_visit_offers
from handlers.privacy import PIN
from handlers.reading import LOCATION
from handlers.render import ChoiceSpec
from handlers.state import AMENDING, CANCELLING, CHANGING, CHOOSING, CONFIRMING, RESCHEDULING, REVIEWING
from handlers.turn import TurnBase
from nlu.address import find_said_route
from nlu.corrections import fixed_address
from nlu.datetime_rules import in_week
from nlu.pipeline import (
    BEDROOMS, BY_THING, COMING_MORNING, NEW_WHEN, OTHER_ADDRESS, OTHER_PHONES, RECURRING, REMARK, REPEAT,
    SAME_ADDRESS, SAME_STAFF, SERVICE_QUESTION, STAFF_MAYBE, STAFF_NAMED, THING, TOMORROW_AT_NIGHT, WEEK,
    WEEKDAY_ALONE, WINDOW,
)
from nlu.lengths import WHOLE_DAY_MINUTES
from nlu.slots import counts_a_party, counts_people
from nlu.types import ParseResult
from storage import orders as order_repo
from storage.catalog import Service

Step = Callable[[ParseResult], Awaitable[ParseResult | None]]


class InContext(TurnBase):
    """The readings of a message that depend on the conversation, one step each."""

    async def _in_context(self, p: ParseResult) -> ParseResult | None:
        """The message as meant here, or None once a step has answered it. The order matters:
        a person named may book again, before the note takes the rest of the words; an hour
        is read in the part of the day known once the draft's own corrections are in."""
        steps: tuple[Step, ...] = (
            self._people_named, self._pinned, self._onto_the_note, self._hours_and_counts, self._address_put_right,
            self._from_before, self._ends_of_a_move, self._when_said, self._amount_changed,
            self._wishes_and_questions,
        )
        read: ParseResult | None = p
        for step in steps:
            read = await step(read)
            if read is None:
                return None
        return read

    # ----- the steps, in their order ----------------------------------------
    async def _people_named(self, p: ParseResult) -> ParseResult:
        if p.flags.get(STAFF_MAYBE):  # "让李娜来": a request if 李娜 is one of ours (no note then)
            p = await self._staff_by_full_name(p)
        if p.flags.get(REPEAT) and self.state.stage == REVIEWING and p.intent in ("book", "other"):
            p = await self._again_from_review(p)  # "下周六再请她来" to "anything to tell us?": booked again
        return p

    async def _pinned(self, p: ParseResult) -> ParseResult:
        """A bare map pin shared (flag `reading.LOCATION`) as what the dialogue reads: its map link
        (labels.j2 `location_note`, marked `PIN`) for the technician to find the building. It
        names no building or flat, so it is no address: during a booking, or to start one, the
        link goes on the booking's note and the address is still asked for in words (said so,
        unless the summary's own "noted" says it); with an order booked and none under way, it
        is a remark for that order (on the note of the one just booked, else confirmed first)."""
        if not p.flags.get(LOCATION) or self.label is None:
            return p
        pin = PIN + self.label(self.state.lang, "location_note", *p.flags[LOCATION])
        if not self.state.drafting and await self._active_orders():
            return dataclasses.replace(p, intent="other", flags={**p.flags, REMARK: pin})
        if self.state.stage != CONFIRMING:
            self._say("location_received", address=self.state.draft.get("address"))
        return dataclasses.replace(p, slots=S.with_note(p.slots, pin))

    async def _onto_the_note(self, p: ParseResult) -> ParseResult:
        """What goes on the order's note for the technician rather than into its fields."""
        st, drafting = self.state, self.state.drafting
        # A note for the visit, during a booking or in the message that starts one ("…，备注：
        # 带梯子"): it goes on the order.
        note = p.flags.get("note") if drafting or p.intent == "book" else None
        if note:  # a yes with a note ("确认，备注：带梯子") stays a yes: `_in_stage` confirms with it
            yes = p.intent == "affirm" and not S.booking_slots(p.slots)
            p = dataclasses.replace(p, intent="affirm" if yes else "book", slots={**p.slots, "notes": note})
        if (p.flags.get("fault") or p.flags.get(BY_THING) and S.changes_service(st.draft, p.slots)) \
                and drafting and st.draft.get("service") and not self.correcting:
            # "油烟机是侧吸的" to a range hood's cleaning: of the thing booked, no repair instead
            # "不排水", "it wont drain" about the washing machine being booked: what is wrong with it,
            # for the technician, not another service ("换成疏通" / "actually I need a plumber" is one)
            slots = {k: v for k, v in p.slots.items() if k != "service"}
            p = dataclasses.replace(p, intent="book", slots=S.with_note(slots, self.text.strip()))
        elif p.flags.get(BY_THING) and not p.flags.get("fault") and p.intent == "book" and not st.busy \
                and "service" in p.slots and set(p.slots) <= {"service", "notes"} \
                and await self._thing_booked(p.slots["service"]):
            # "洗衣机是滚筒的 海尔的" once its repair is booked: about the thing booked, for that order's
            # note (a remark), not the same repair booked again
            p = dataclasses.replace(p, intent="other", slots={}, flags={**p.flags, REMARK: self.text.strip()})
        service = self.catalog.get(st.draft.get("service")) if drafting and p.flags.get(THING) else None
        if service is not None and p.slots.get("service") in (None, service.id):
            # "不对 是修冰箱": the fridge instead of the air conditioner noted, not beside it
            st.draft["notes"] = S.thing_replaced(st.draft.get("notes"), p.flags[THING], service.objects)
        if p.intent == "book" and p.flags.get(RECURRING) and not S.recurring_noted(st.draft):
            # "每周二周五上午": an order is one visit; the first is booked, the wish noted for staff
            # ("每周五下午三点" on a Friday evening: next Friday's, by ``weekday_today`` in `_when_said`)
            p = dataclasses.replace(p, slots=S.with_note(p.slots, S.recurring_note(p.flags[RECURRING])))
            self._say("recurring", shop=self._shop())
        if p.flags.get(OTHER_PHONES) and "phone" in p.slots and (drafting or p.intent == "book"):
            # "我老公电话138…，我的139…": the order's phone is one; the other is kept on its note
            p = dataclasses.replace(p, slots=S.with_note(p.slots, S.other_phones_note(p.flags[OTHER_PHONES])))
        if p.intent == "book" and p.flags.get("also"):  # "保洁，再擦玻璃": one visit, the rest on its note
            p = dataclasses.replace(p, slots=S.with_note(p.slots, p.flags["also"]))
            others = p.flags.get("also_services") or []
            if others and not st.more:  # not one booked already ("…, same day after the deep clean")
                booked = {o.service_id for o in await self._active_orders()}
                others = [s for s in others if s not in booked]
            if others and not st.more:  # and offered once the first is booked, for the same visit
                st.more = same_visit_offers(p.flags["also"], others)
        elif p.intent == "book" and p.flags.get("items"):  # "修空调和洗衣机": all on the note, counted if priced each
            service = self.catalog.get(p.slots.get("service"))
            p = dataclasses.replace(p, slots=S.with_items(p.slots, p.flags["items"], service and service.price_per))
        elif p.flags.get("adds") and st.busy and S.changes_service(st.draft, p.slots):
            # "再加个擦玻璃" to a booking under way: more for that visit, not another service instead
            slots = {k: v for k, v in p.slots.items() if k != "service"}
            p = dataclasses.replace(p, intent="book", slots=S.with_note(slots, self.text.strip()))
        return p

    async def _hours_and_counts(self, p: ParseResult) -> ParseResult:
        """Noon, and how long or how many: the hours a length or a range books, a count noted."""
        booking = self.state.drafting or p.intent == "book"
        if p.flags.get("at_noon"):  # "tmrw noon": 12:00, as "at noon"
            p = dataclasses.replace(p, slots=S.at_noon(p.slots))
        if p.flags.get("length") and booking and "quantity" not in p.slots:
            p = self._length_as_hours(p)  # "打扫两个半小时": 3 hours, the words on the note
        if p.flags.get(WINDOW) and booking:  # "2-5pm": 3 hours of cleaning, unless
            p = self._range_as_hours(p)  # the hours are said too; for a repair, the window on the note
        if p.flags.get(BEDROOMS) and booking:  # "两室一厅": the home, for its usual hours
            p = self._with_the_home(p)
        if p.intent == "book" and p.flags.get("counted") and "quantity" in p.slots and not p.flags.get("items"):
            p = self._counted_on_the_note(p)
        return p

    async def _address_put_right(self, p: ParseResult) -> ParseResult | None:
        st = self.state
        if st.drafting and st.awaiting != "destination":  # "对 但是地址是T2不是T1", "门牌号是1503": not a
            # yes; "Apt 5B" sent after the street, asked for the phone: the flat that was left out
            rest, fix = A.address_fix(p.slots, p.flags)  # the same reading as for a booked order
            fixed = fixed_address(st.draft.get("address"), fix["replaces"], fix["room"]) if fix else None
            moved_to = fixed_address(st.draft.get("destination"), fix["replaces"], None) if fix and not fixed else None
            if fixed:
                p = dataclasses.replace(p, intent="book", slots={**rest, "address": fixed})
            elif moved_to:  # "新家是领秀慧谷B区不是C区": where the move ends, put right
                p = dataclasses.replace(p, intent="book", slots={**rest, "destination": moved_to})
        if st.awaiting == "address" and st.last_address and not S.booking_slots(p.slots):
            if p.intent == "affirm":  # "是的" to "上次是…，还是这里吗？"
                p = dataclasses.replace(p, intent="book", flags={**p.flags, SAME_ADDRESS: True})
            elif p.intent == "deny" or p.flags.get(OTHER_ADDRESS):  # "不是", "different address": asked
                # again, without the offer
                st.last_address = ""
                self._ask("address")
                return None
        return p

    async def _from_before(self, p: ParseResult) -> ParseResult | None:
        """What the last order had: its service, its person, its address."""
        st = self.state
        if p.flags.get(REPEAT) and not st.busy and p.intent in ("book", "other"):  # not a review's words
            p = await self._with_last_service(p)  # "还是上次那个服务", "再约一次"
        asks_staff = bool(p.flags.keys() & {SAME_STAFF, STAFF_NAMED})
        if asks_staff and not st.busy and not p.flags.get(REPEAT) and set(S.booking_slots(p.slots)) <= S.WHEN_SLOTS \
                and await self._staff_for_booked(p):
            return None  # "让王师傅来", "让王师傅后天下午来" once booked: that order's, not a new booking
        if asks_staff and (st.drafting or (not st.busy and p.intent in ("book", "other"))):
            p = await self._with_staff_asked(p)  # "还是上次那个阿姨来", "让王师傅来"
        if p.flags.get("same_address") and (p.intent == "book" or (st.drafting and p.intent == "other")):
            p = await self._with_last_address(p)  # "地址跟上次一样"
        return p

    async def _ends_of_a_move(self, p: ParseResult) -> ParseResult:
        st = self.state
        moving = st.drafting and self._drafting_a_move
        route = find_said_route(self.text) if moving and not p.flags.get("destination") else None
        if route is not None:  # "从望京西园三区到五道口华清嘉园" as an answer: both ends, not one address
            p = dataclasses.replace(p, slots={**p.slots, "address": route[0]}, flags={**p.flags, "destination": route[1]})
        if p.flags.get("destination") and p.intent in ("book", "other"):  # where a move ends: a field
            p = dataclasses.replace(p, intent="book", slots={**p.slots, "destination": p.flags["destination"]})
        end = S.move_end_named(self.text) if moving else None
        if end == "destination" or (end is None and st.awaiting == "destination" and not A.says_change(self.text)):
            # "where to?" "上地东里5号楼"; "the new address is …" at any step; not "from: …"
            p = dataclasses.replace(p, slots=S.as_destination(p.slots))
        return p

    async def _when_said(self, p: ParseResult) -> ParseResult | None:
        """The day and hour as meant: in the week, day and part of the day already known."""
        st, drafting = self.state, self.state.drafting
        said = p.flags.get("said_weekday")
        if said is not None and p.slots.get("date") and S.parse_date(p.slots["date"]).weekday() != said:
            # "周五12月5号", a Saturday: the date is taken, and its own weekday said for the customer to check
            self._say("weekday_differs", date=p.slots["date"], said=said)
        if p.flags.get(COMING_MORNING) and p.slots.get("date") == S.day_after(p.flags[COMING_MORNING]):
            # "明早七点" said at 01:30: this morning's, said so, in case the day after was meant
            p = dataclasses.replace(p, slots={**p.slots, "date": p.flags[COMING_MORNING]})
            self._say("coming_morning", date=p.slots["date"], next=S.day_after(p.slots["date"]),
                      ahead=self._days_ahead(p.slots["date"]))
        elif p.flags.get(TOMORROW_AT_NIGHT) and p.slots.get("date") == S.day_after(p.flags[TOMORROW_AT_NIGHT]):
            # "明天下午3点" said at 01:30: the calendar's tomorrow, and how to have this afternoon instead
            self._say("tomorrow_at_night", date=p.slots["date"], other=p.flags[TOMORROW_AT_NIGHT],
                      ahead=self._days_ahead(p.flags[TOMORROW_AT_NIGHT]))
        if p.flags.get("after_midnight") and "date" not in p.slots and self._known_when().get("date"):
            # "晚上12点" once the day is known: the midnight that ends it
            p = dataclasses.replace(p, slots={**p.slots, "date": S.midnight_ending(self._known_when())})
        if st.awaiting == "address" and p.flags.get("bare_hour") and set(p.slots) == {"time"} \
                and (st.draft.get("time") or not self._known_period()):
            p = dataclasses.replace(p, intent="other", slots={})  # "10" to the address question: the hour only of a part of the day
        if p.flags.get("small_hours") and p.slots.get("period") == "night":  # 凌晨: which hour, then?
            p = dataclasses.replace(p, slots={**p.slots, "period": S.SMALL_HOURS})
        elif p.flags.get("bare_hour") and p.slots.get("time"):  # "3点" to "凌晨几点？" is 03:00
            known = self._known_period() or st.refused_period  # "早上6点" refused, then "那7点"
            read = S.hour_in_period(p.slots["time"], known)
            if not known:  # "8" where visits start 14:00-22:00 is 20:00; "8" about today at 14:00 too
                read = S.hour_when_open(read, self.catalog.hours_for(await self._known_service(p)))
                read = S.hour_still_ahead(read, p.slots.get("date") or self._known_when().get("date"),
                                          self.now, self.tz)
            p = dataclasses.replace(p, slots={**p.slots, "time": read})
        if p.flags.get(WEEK) and (drafting or p.intent == "book"):
            st.week = p.flags[WEEK]  # "我下周要搬家": the day said later is that week's
            if st.awaiting == "date" and not S.booking_slots(p.slots):
                self._ask("date")  # "下周吧" to "which day?": which day of it
                return None
        if st.week and p.flags.get(WEEKDAY_ALONE) and p.slots.get("date") and (drafting or p.intent == "book"):
            p = self._in_the_week_said(p, st.week)  # "周六上午" then: next week's Saturday
        if p.flags.get("weekday_today") and p.slots.get("date"):
            p = await self._weekday_next_week(p)  # "周五" on a Friday night: next Friday, not today gone
        shift = p.flags.get("moved_by")
        if shift and drafting and st.draft.get("date") and (st.draft.get("time") or st.draft.get("period")):
            # "提前一个小时" at the summary: the draft's time moved (it was read as "× 1" and booked as it was)
            when = {k: st.draft[k] for k in S.WHEN_SLOTS if st.draft.get(k)}
            moved = S.moved_by(when, shift, self.catalog.hours_for(st.draft.get("service")))
            kept = {k: v for k, v in p.slots.items() if k not in S.WHEN_SLOTS and k != "quantity"}
            p = dataclasses.replace(p, intent="book", flags={**p.flags, "correction": True}, slots={**kept, **moved})
        elif shift and not drafting:  # "提前一个小时": a booked visit moved by so much, from its own time
            p = dataclasses.replace(p, intent="reschedule", flags={**p.flags, "shift": shift},
                                    slots={k: v for k, v in p.slots.items() if k in ("order_ref", "service")})
        return p

    async def _amount_changed(self, p: ParseResult) -> ParseResult:
        st = self.state
        delta = p.flags.get("quantity_delta")
        service = self.catalog.get(st.draft["service"]) if st.drafting and st.draft.get("service") else None
        if (delta and service and "quantity" not in p.slots
                and A.unit_fits(p.flags.get("delta_per"), service.price_per)):
            # "再加一个小时", "再多洗一台" to a booking: its quantity (or the usual hours) and so much more
            self.added = int(delta)
            more = S.quantity_changed_by(S.quantity_of(st.draft.get("quantity")), int(delta),
                                         service.usual_quantity())
            slots = {**p.slots, "quantity": more}
            thing = p.flags.get(A.DELTA_THING)  # "再加一台洗衣机": which one, on the note
            p = dataclasses.replace(p, intent="book", flags={**p.flags, "correction": True},
                                    slots=S.with_note(slots, thing) if thing else slots)
        return p

    async def _wishes_and_questions(self, p: ParseResult) -> ParseResult | None:
        """A price asked again, "马上", a few days named, a question about a service, a complaint."""
        st = self.state
        if self.priced and not st.busy and S.price_follow_up(p.intent, p.slots, p.flags):
            p = dataclasses.replace(p, intent="price", slots={k: v for k, v in p.slots.items() if k != "notes"})
        if p.intent == "price" and p.flags.get("counted") and "quantity" in p.slots:
            p = self._people_not_hours(p)  # "数学课多少钱" "两个人呢": the hourly price, not 2 hours'
        if self.soonest_said and self._wants_soonest(p):  # "马上来开锁", or "马上" to "which day and time?"
            p = dataclasses.replace(p, intent="book", slots={**p.slots, **S.soonest(self.now, self.tz)})
            self.asap = True
        choice = p.flags.get("day_choice")
        if choice and "date" not in p.slots and self._asks_day(p):  # "周末" to "which day?"
            self._offer_days(p, choice)
            return None
        if p.flags.get("bad_phone") and S.booking_slots(p.slots):
            # "…, phone 1381234567" with the rest of a booking: why the phone is asked again
            self._say_bad_phone(p.flags["bad_phone"])
        if p.flags.get(SERVICE_QUESTION):  # "深度保洁要多久？", "空调清洗包括什么？": asked about, not booked
            if await self._about_service(p):
                return None
            p = dataclasses.replace(p, slots={})  # for a person: passed on, or on the booking's note
        if p.intent == "book" and p.flags.get("complaint") and (st.stage, st.awaiting) != (REVIEWING, "comment"):
            # "上次阿姨没擦窗户，这次再约一次明天下午保洁": a person for the last visit, this one booked (at a
            # review's comment the review step decides: the comment, staff alerted with it; asked for the
            # stars, the booking leaves the review as any does)
            await self._hand_over(p.flags["complaint"], booking=True)
        return p

    # ----- what the steps read with -------------------------------------------
    async def _thing_booked(self, service_id: str) -> bool:
        """Whether the thing this message describes is on an order still to come: one of the
        service's objects ("洗衣机") named both here and on that order's note."""
        service = self.catalog.get(service_id)
        named = [o for o in (service.objects if service else ()) if o in self.text]
        return bool(named) and any(
            o.service_id == service_id and any(n in (o.notes or "") for n in named)
            for o in await self._active_orders())

    def _with_the_home(self, p: ParseResult) -> ParseResult:
        """The home's bedrooms ("两室一厅", "2 bedroom") kept on the draft, which an hourly service's
        usual hours follow (catalog `hours_by_bedrooms`, at the summary): "2 bedroom" is no 2 hours
        of cleaning, and the usual hours booked before it was said give way (hours said stay).
        Said alone mid-booking it is booking news; as a remark ("两居室，有电梯") it is noted too."""
        rooms = p.flags[BEDROOMS]
        slots = dict(p.slots)
        service = self._booked_service(p)
        drafting = self.state.drafting
        if service is not None and service.price_per != "visit":
            if S.counts_the_home(p.flags.get("counted"), rooms):  # the count is the home's, not hours or items
                slots.pop("quantity", None)
            draft = self.state.draft
            if drafting and "quantity" not in slots and S.quantity_of(draft.get("quantity")) == service.usual_quantity():
                draft.pop("quantity", None)  # the default filled in at the summary, not said
        if drafting:
            self.state.draft[S.BEDROOMS] = rooms
        else:
            slots[S.BEDROOMS] = rooms
        intent = "book" if p.intent == "other" and not p.flags.get("remark") else p.intent
        return dataclasses.replace(p, intent=intent, slots=slots)

    def _counted_on_the_note(self, p: ParseResult) -> ParseResult:
        """"擦10扇窗户", "2个马桶堵了" for a service priced by the visit: one visit for all of them,
        their count on the note for the technician, and the customer told the price is the
        visit's, not asked whether they meant ten visits. So too people counted for a service
        priced by the hour ("两个人一起上数学课"): who is taught, not how many hours."""
        service = self._booked_service(p)
        if service is None or not (service.price_per == "visit"
                                   or (service.price_per == "hour" and counts_people(p.flags["counted"]))):
            return p
        # at our place, people counted are each served ("两个大人一个小孩做美甲"): priced each, all seated then
        people = p.slots["quantity"] if self.catalog.at_shop(service.id) and counts_a_party(p.flags["counted"]) else None
        self._say("counted_noted", service=service, thing=p.flags["counted"], people=people)
        slots = {k: v for k, v in p.slots.items() if k != "quantity"}
        return dataclasses.replace(p, slots=S.with_note(slots, p.flags["counted"]))

    def _people_not_hours(self, p: ParseResult) -> ParseResult:
        """A price asked for people ("两个人呢", "for 2 people") of a service priced by the hour:
        its hourly price, the people no count of hours (`counts_people`)."""
        service = self._booked_service(p) or self.catalog.get(self.offered)
        if service is None or service.price_per != "hour" or not counts_people(p.flags["counted"]):
            return p
        slots = {k: v for k, v in p.slots.items() if k != "quantity"}
        return dataclasses.replace(p, slots={**slots, "service": service.id})

    def _range_as_hours(self, p: ParseResult) -> ParseResult:
        """"regular cleaning 2-5pm", or "9点到12点" to "what time?": the range starts the visit,
        and for a service priced by the hour its hours are how long to book (`S.hours_of_a_range`);
        else ("tmrw between 2 and 4" for a repair) it is when the customer can be in, which the
        technician sees on the note ("between 14:00 and 16:00"): the start alone lost its end."""
        service = self._booked_service(p)
        hours = S.hours_of_a_range(p.flags.get("range_hours"), service.price_per, p.slots.get("quantity"),
                                   self.state.draft.get("quantity"), service.usual_hours()) if service else None
        if hours is not None:
            return dataclasses.replace(p, slots={**p.slots, "quantity": hours})
        if self.label is None or "time" not in p.slots:
            return p
        window = self.label(self.state.lang, "time_window", p.slots["time"], p.flags[WINDOW])
        return dataclasses.replace(p, slots=S.with_note(p.slots, S.window_note(window)))

    def _length_as_hours(self, p: ParseResult) -> ParseResult:
        """"明天上午保洁半天", "打扫两个半小时": a service priced by the hour booked for the whole
        hours that hold the length said (`S.hours_of_a_length`); when that is more than was said,
        the customer is told so and the words go on the note for staff."""
        service = self._booked_service(p)
        minutes, words = p.flags["length"]
        hours = S.hours_of_a_length(minutes, service.price_per) if service is not None else None
        if hours is None:
            return p
        if minutes == WHOLE_DAY_MINUTES and not any(c.isdigit() for c in words):  # "一整天的钟点工": a working day, within what may be booked
            window = self.catalog.hours_for(service.id)
            hours = S.hours_of_a_day(minutes, service.most, (window.open, window.close) if window else None)
            self._say("length_day", words=words, hours=hours, most=service.most,
                      window=window if hours < -(-minutes // 60) and hours != service.most else None)
            return dataclasses.replace(p, slots={**p.slots, "quantity": hours})
        slots = {**p.slots, "quantity": hours}
        if minutes % 60:
            self._say("length_rounded", words=words, hours=hours)
            slots = S.with_note(slots, words)
        return dataclasses.replace(p, slots=slots)

    def _booked_service(self, p: ParseResult) -> Service | None:
        """The catalog service a message's count or length is of: the one it names, else the
        booking's under way."""
        return self.catalog.get(p.slots.get("service") or self.state.draft.get("service"))

    @property
    def _drafting_a_move(self) -> bool:
        """The booking under way is for a move (catalog `needs_destination`): it ends somewhere."""
        return self.catalog.needs_destination(self.state.draft.get("service"))

    @property
    def _drafting_at_shop(self) -> bool:
        """The booking under way is for a service done at our place (catalog `at_shop`)."""
        return self.catalog.at_shop(self.state.draft.get("service"))

    def _known_when(self) -> dict[str, Any]:
        """The visit under way (a new time for an order, else the booking): its day and
        part of the day are the ones a bare hour or "晚上12点" is read in."""
        st = self.state
        return st.proposal if st.stage == RESCHEDULING else st.draft

    def _in_the_week_said(self, p: ParseResult, week: str) -> ParseResult:
        """A weekday said alone (NLU flag ``weekday_alone``) in the `week` named earlier in the
        booking ("我下周要搬家" then "周六上午"), while that day is still to come; no longer
        today's by its weekday once moved (``weekday_today`` dropped)."""
        today = self.now.astimezone(self.tz).date()
        said = S.parse_date(p.slots["date"])
        meant = in_week(S.parse_date(week), said, today)
        if meant == said:
            return p
        flags = {k: v for k, v in p.flags.items() if k != "weekday_today"}
        return dataclasses.replace(p, slots={**p.slots, "date": meant.isoformat()}, flags=flags)

    async def _weekday_next_week(self, p: ParseResult) -> ParseResult:
        """A weekday said alone that names today (NLU flag ``weekday_today``), read with the
        visit under way's hour (`S.weekday_meant`): next week's once today's visit can no longer be."""
        when = {k: v for k, v in S.merge(self._known_when(), p.slots).items() if k in S.WHEN_SLOTS}
        meant = S.weekday_meant(when, self.now, self.tz, self.catalog.hours_for(await self._known_service(p)))
        return dataclasses.replace(p, slots={**p.slots, "date": meant["date"]})

    def _days_ahead(self, day: str) -> int:
        """1 when the customer's "明天" said after midnight may mean `day`, today; 2 for their "后天"."""
        return 1 if S.parse_date(day) == self.now.astimezone(self.tz).date() else 2

    def _known_period(self) -> str | None:
        return self._known_when().get("period")

    async def _known_service(self, p: ParseResult) -> str | None:
        """The service of the visit under way, whose opening hours an hour is read in: the
        one the message names, else the booked order's being moved, else the booking's."""
        st = self.state
        if p.slots.get("service") or st.stage != RESCHEDULING:
            return p.slots.get("service") or st.draft.get("service")
        order = await order_repo.get(self.session, st.order_id) if st.order_id else None
        return order.service_id if order is not None else None

    def _wants_soonest(self, p: ParseResult) -> bool:
        """"As soon as you can" sets the time only for a visit with no hour yet: one named in
        the message, or the booking under way ("我马上发地址" is no such wish), whose day, if
        known, is the soonest one (`S.open_to_soonest`: "今天" then "现在")."""
        if any(k in p.slots for k in ("date", "time", "period")):
            return False
        draft = self.state.draft
        return "service" in p.slots or (bool(draft.get("service"))
                                        and S.open_to_soonest(draft, S.soonest(self.now, self.tz)))

    def _asks_day(self, p: ParseResult) -> bool:
        """Whether a message naming a few days ("周末", "月底") answers our "which day?", books a
        service ("这周末来擦玻璃") whose day is not known yet, or asks a person to come then."""
        st = self.state
        if st.stage in (AMENDING, REVIEWING, CANCELLING, CHOOSING):
            return False
        if st.awaiting in ("date", NEW_WHEN):  # a booking's, or a new day for an order ("改到周末")
            return True
        if st.stage == RESCHEDULING:
            return False
        if st.stage in (CONFIRMING, CHANGING) and p.intent == "reschedule" \
                and p.slots.get("service", st.draft.get("service")) == st.draft.get("service"):
            return True  # "改到这周末" at the summary: the booking's day, one of them
        service = p.slots.get("service") or st.draft.get("service")
        # "让王师傅周末来": the days that person is asked to come on, whatever else is known yet
        return p.intent == "book" and (S.STAFF in p.slots or (bool(service) and not st.draft.get("date")))

    def _offer_days(self, p: ParseResult, choice: dict[str, Any]) -> None:
        """Offer the days of the weekend (or the end of the month) the customer named, each
        a quick reply by its weekday; what else the message said (a service, an hour) stands."""
        st = self.state
        new = S.booking_slots(p.slots)
        if st.stage == RESCHEDULING:  # the order's new time: an hour said with it stands
            st.proposal, new = S.merge(st.proposal or {}, new), {}
            st.awaiting = "date"
        else:
            st.draft = S.merge(st.draft, new)
            self._await("date")
        dates = choice["dates"]
        self._say("ask_day_choice", kind=choice["kind"], dates=dates, ahead=choice.get("ahead", 1),
                  draft=st.draft, noted=sorted(new),
                  choices=[ChoiceSpec(f"weekday_{S.parse_date(d).weekday()}", f"on:{d}") for d in dates])

