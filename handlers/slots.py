"""Pure decisions about a booking draft: what is missing, how corrections merge,
when the appointment starts. No I/O, so every rule is testable on its own."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from handlers.privacy import PIN
from nlu.items import same_thing
from nlu.names import with_title
from nlu.normalize import has_cjk
from nlu.notes import MAX_NOTE, bedrooms, whole_note
from storage.catalog import DAY, DaysOff, Hours

# Asked in this order, one at a time. "when" stands for date plus time-or-period.
REQUIRED: tuple[str, ...] = ("service", "date", "time", "address", "phone")
# A move (catalog `needs_destination`) is asked where it ends too, right after where it starts.
REQUIRED_FOR_A_MOVE: tuple[str, ...] = ("service", "date", "time", "address", "destination", "phone")
OPTIONAL: tuple[str, ...] = ("name", "quantity", "notes")
# The draft's mark that the customer does not know yet where the move ends ("还没定"): the
# question is not asked again and the order is booked with its destination to be confirmed
# (the order itself has none: what the summary and the staff read as "to be confirmed").
DESTINATION_UNKNOWN = "destination_unknown"
# The draft's staff member the customer asked for ("还是上次那个阿姨", "让王师傅来"): {"id", "name",
# "last": whether they did the customer's last visit}, looked up by `Offers._with_staff_asked`.
STAFF = "staff"
# The draft's bedrooms of the home ("两室一厅": 2; NLU flag ``bedrooms``): an hourly service's usual
# hours follow them at the summary (catalog `hours_by_bedrooms`). The order keeps the hours, not this.
BEDROOMS = "bedrooms"
BOOKING_SLOTS: tuple[str, ...] = ("service", "date", "time", "period", "address", "phone",
                                  "name", "quantity", "notes", "destination", DESTINATION_UNKNOWN, STAFF, BEDROOMS)
CONTACT_SLOTS = frozenset({"address", "phone", "name"})
WHAT_OR_WHEN = frozenset({"service", "date", "time", "period", "quantity"})
WHEN_SLOTS = frozenset({"date", "time", "period"})

MAX_NOTES = MAX_NOTE  # the notes of one order, all told

# 凌晨: the NLU's period "night" with its flag small_hours. Not a contract period: a draft
# holds it only until the hour is given (`needs_hour`), so no order ever has it.
SMALL_HOURS = "small_hours"
# What each part of the day spans, [start, end): an order given only a period starts at
# the start (下午 → 13:00), and is still bookable today until the end.
PERIODS: dict[str, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(8, 0), dt.time(12, 0)),
    "noon": (dt.time(12, 0), dt.time(14, 0)),
    "afternoon": (dt.time(13, 0), dt.time(18, 0)),
    "evening": (dt.time(18, 0), dt.time(22, 0)),
    "night": (dt.time(21, 0), dt.time(0, 0)),  # to midnight
    SMALL_HOURS: (dt.time(0, 0), dt.time(7, 0)),  # "3点" then is 03:00, "7点" 07:00 (at its edge)
}
UNSPECIFIED_START = dt.time(9, 0)  # a day with neither clock time nor period (staff-made orders)


def quantity_of(v: Any) -> int | None:
    """A quantity slot as a number, None when there is none (drafts keep slots as given)."""
    try:
        return int(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def hours_of_a_range(range_hours: int | None, price_per: str | None, said: Any,
                     booked: Any, usual: int | None) -> int | None:
    """The hours to book for a range of hours said as the time (NLU flag ``range_hours``:
    "2-5pm", "上午9点到12点" are 3), else None: for a service priced by the hour only, and
    only when no hours are `said` with it nor `booked` before other than the `usual`
    length the summary filled in; a visit or an item is priced alike whatever its end."""
    if not range_hours or price_per != "hour" or quantity_of(said) is not None:
        return None
    return range_hours if quantity_of(booked) in (None, usual) else None


def quantity_carried_over(booked: Any, was: tuple[str, int | None] | None, price_per: str) -> int | None:
    """The quantity a draft keeps when its service is changed for one priced by `price_per`
    ("改成深度保洁" at a regular cleaning's summary): what was booked, when `was` (the old
    service's price_per and usual quantity) counts alike and it is not just the usual one
    the summary filled in; else None, so that the new service's own usual is booked (2 hours
    of cleaning are no "2 deep cleanings", nor 2 air conditioners)."""
    quantity = quantity_of(booked)
    if quantity is None or was is None or was[0] != price_per or price_per == "visit":
        return None
    return None if quantity == was[1] else quantity


def hours_of_a_length(minutes: int, price_per: str | None) -> int | None:
    """The whole hours to book a service priced by the hour for a length said other than as
    whole hours (NLU flag ``length``: "两个半小时" is 3, "半天" 4), else None. The order's
    quantity is a whole number, and less than what was asked would leave the work unfinished."""
    return -(-minutes // 60) if price_per == "hour" and minutes > 0 else None


def at_noon(slots: Mapping[str, Any]) -> dict[str, Any]:
    """`slots` with the English noon said alone (NLU flag ``at_noon``: "deep clean tmrw noon")
    read as 12:00, as "at noon" is, rather than the part of the day "around noon"."""
    if slots.get("time") or slots.get("period") != "noon":
        return dict(slots)
    return {**{k: v for k, v in slots.items() if k != "period"}, "time": "12:00"}


def counts_the_home(counted: Any, rooms: int | None) -> bool:
    """Whether the count a message gave with its thing (NLU flag ``counted``: "2 bedroom") is
    the home's bedrooms (flag ``bedrooms``), not hours of work or items to book."""
    return bool(rooms) and counted is not None and bedrooms(str(counted)) == rooms


def booking_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an NLU result that describes a booking."""
    return {k: v for k, v in slots.items() if k in BOOKING_SLOTS and v not in (None, "")}


def price_follow_up(intent: str, slots: Mapping[str, Any], flags: Mapping[str, Any]) -> bool:
    """Whether a message after a price answer asks another price: a question naming only
    a service or a quantity ("换锁芯呢", "and regular cleaning?", "三台呢") reads as a
    booking on its own, but after "开锁多少钱" it means "and how much is that?". Words
    asking for a visit ("预约日常保洁", "I need a plumber") still book."""
    asked = set(booking_slots(slots)) - {"notes"}  # the thing of it noted ("换锁芯呢": 锁芯) asks nothing more
    return (intent in ("book", "other") and bool(flags.get("question")) and not flags.get("request")
            and bool(asked) and asked <= {"service", "quantity"})


def books_with_price(booking: Mapping[str, Any]) -> bool:
    """Whether a price question also gives a booking's details ("明天上午10点深度保洁，
    朝阳区…，138…，多少钱？"): more than what is priced (a service, a quantity), so the
    details go into the booking rather than being lost with the answer."""
    return bool(set(booking) - {"service", "quantity"})


def only_priced(intent: str, booking: Mapping[str, Any], correcting: bool) -> bool:
    """Whether a price question at the summary names a service and at most a count, and nothing to
    change ("深度保洁多少钱" while a regular cleaning awaits its yes): answered, the order as it was
    (it became a deep cleaning). A count alone ("3台多少钱") or "改成深度保洁，多少钱" still changes it."""
    return intent == "price" and not correcting and "service" in booking and not books_with_price(booking)


def quantity_changed_by(current: int | None, delta: int, usual: int | None = None) -> int:
    """The quantity after "再加一个小时" (`delta` 1) or "少一个小时" (-1): added to the one
    booked, else to the service's usual hours (`usual`), else to one; never below one."""
    return max(1, (current or usual or 1) + delta)


def merge(draft: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Later words win ("改成后天", "不对，是下午4点"), and a clock time and a
    part of day replace each other rather than contradict; a surname said alone keeps
    the title of the name it replaces (nlu.names.with_title)."""
    out = dict(draft)
    new = booking_slots(new)
    if into_the_night(draft, new):
        out["date"] = (parse_date(draft["date"]) + dt.timedelta(days=1)).isoformat()
    if "time" in new:
        out.pop("period", None)
    elif "period" in new and _keeps_the_hour(out, new):
        new = {k: v for k, v in new.items() if k != "period"}  # "改到后天上午" for 10:00: 10:00 that day
    elif "period" in new:
        out.pop("time", None)
    if hour_changed(draft, new) and out.get("notes"):  # "make it 5pm": the window said is gone
        out["notes"] = without_window(out["notes"])
        if not out["notes"]:
            out.pop("notes")
    if out.get("notes") and new.get("notes"):  # notes add up: a second one is not a correction
        new = {**new, "notes": joined_notes(out["notes"], new["notes"])}
    if "destination" in new:  # known after all
        out.pop(DESTINATION_UNKNOWN, None)
    if new.get("name"):  # "我不姓王，姓汪" to 王先生: 汪先生
        new = {**new, "name": with_title(new["name"], out.get("name"))}
    out.update(new)
    return out


def _keeps_the_hour(draft: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether another day with a part of it ("改到后天上午") keeps the hour set, which lies in
    that part (10:00 in the morning): it was dropped for a bare "上午", and staff lost the time."""
    clock = parse_time(draft.get("time")) if "date" in new else None
    span = PERIODS.get(new.get("period") or "")
    return clock is not None and span is not None and _within(clock, span)


EVENING_FROM = dt.time(18, 0)  # a visit from here on is in the evening or the night
SMALL_HOURS_END = dt.time(6, 0)  # and one before this after midnight (as nlu.datetime_rules reads 凌晨)


def into_the_night(draft: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether `new` moves a visit set for an evening into the small hours after it: "今晚11点"
    then "凌晨" (or "凌晨2点") is the night after 23:00, on the next day, not the small hours
    of the day itself, long gone. A day said with it ("明天凌晨2点") stands as said."""
    if "date" in new or not draft.get("date"):
        return False
    time, was = parse_time(new.get("time")), parse_time(draft.get("time"))
    small = new.get("period") == SMALL_HOURS or (time is not None and time < SMALL_HOURS_END)
    evening = draft.get("period") in ("evening", "night") or (was is not None and was >= EVENING_FROM)
    return small and evening


def as_destination(new: Mapping[str, Any]) -> dict[str, Any]:
    """`new` read as the answer to "where are you moving to?": the place it gives is where
    the move ends, not a new pickup address ("海淀区上地东里5号楼", "to 12 Baker Street").
    A place that says it is the destination ("搬到…", "从…搬到…") is read as it says."""
    if not new.get("address") or new.get("destination"):
        return dict(new)
    out = {k: v for k, v in new.items() if k != "address"}
    out["destination"] = new["address"]
    return out


# Which end of a move the place a message gives is, by the words it opens with. "The new
# address" is where a move ends (the new home, not the old one put right): "the new address is
# …", "新地址是…". "from: …", "从：…", "pickup address …" is where it starts, even when the
# bot asked where it ends. Labels of the end the NLU reads itself ("to:", "destination:",
# "搬到：", "目的地：", "新家地址是…": flag ``destination``).
_MOVE_START_RE = re.compile(
    r"^\s*(?:(?:(?:we'?re|we are|i'?m|i am)\s+)?(?:moving\s+)?from\b|pick-?up\b|(?:the\s+)?(?:old|current)\s+address\b"
    r"|从(?!容|化)|搬出|原地址|旧地址|老地址|现在的地址)", re.IGNORECASE)
_MOVE_END_RE = re.compile(r"^\s*(?:(?:the|our|my)\s+)?new\s+address\b|^\s*新(?:的)?地址", re.IGNORECASE)


def move_end_named(text: str) -> str | None:
    """"address" when `text` says its place is where a move starts, "destination" when it
    says where it ends, else None (then what the bot asked decides)."""
    if _MOVE_START_RE.match(text):
        return "address"
    return "destination" if _MOVE_END_RE.match(text) else None


def note_from(text: str) -> str | None:
    """The note in a message that says it is one ("备注：家里有猫"), else None.

    Notes are no contract slot (free text the NLU cannot check): without this the
    customer's words for the technician were answered "没明白" and lost. A note inside
    a booking message is the NLU's flag ``note`` (nlu.notes), read the same way."""
    return whole_note(text)


def with_note(slots: Mapping[str, Any], note: str) -> dict[str, Any]:
    """`slots` with `note` added to any note they carry (notes add up, see `merge`)."""
    notes = joined_notes(slots["notes"], note) if slots.get("notes") else note
    return {**slots, "notes": notes[:MAX_NOTES]}


def with_items(slots: Mapping[str, Any], items: Sequence[tuple[str, int]], price_per: str | None) -> dict[str, Any]:
    """`slots` with the things a booking names for its one service (nlu flag ``items``: "空调清洗跟
    油烟机清洗", "修空调和洗衣机") on its note, so the technician knows them all, and counted as its
    quantity when its price is per item (two appliances cleaned are ¥150 × 2). One visit's
    call-out fee (a repair) is still one, and for a service priced by the visit a count said
    of them ("两个柜子一个床") is none of visits: it was refused as "没有记成 2 个"."""
    sep = "、" if any(has_cjk(thing) for thing, _ in items) else ", "
    out = with_note(slots, sep.join(thing for thing, _ in items))
    if price_per == "item":
        out["quantity"] = sum(count for _, count in items)
    elif price_per == "visit":
        out.pop("quantity", None)
    return out


def contact_of(order: Any, at_shop: bool = False) -> dict[str, Any]:
    """The contact details `order` was booked with, for a booking after it; without its
    address when it was a visit `at_shop` (the business's place is no address of the customer's)."""
    return {k: getattr(order, k) for k in sorted(CONTACT_SLOTS)
            if getattr(order, k) and not (at_shop and k == "address")}


def same_visit(order: Any, at_shop: bool = False) -> dict[str, Any]:
    """The slots of another booking for the visit `order` books (its day, time, address,
    phone, name), as contract values: "深度保洁和擦玻璃" books the windows with all of them said.
    A visit `at_shop` gives no address: a home service booked with it is asked where."""
    slots = contact_of(order, at_shop)
    slots["date"] = order.date.isoformat()
    if order.time is not None:
        slots["time"] = order.time.strftime("%H:%M")
    elif order.period:
        slots["period"] = order.period
    return slots


ASKED = "❓"  # marks a customer's question on an order's note, for staff to answer, in any language


def asked_note(question: str) -> str:
    """A question the customer asked while booking that no FAQ entry answers, as it goes on
    the order's note: marked as one, so staff see there is something to answer."""
    return f"{ASKED}{question}"


OTHER_PHONE = "☎"  # marks another number to reach the customer by on an order's note, in any language


def other_phones_note(others: Sequence[tuple[str, str]]) -> str:
    """The numbers a message gave besides the order's phone (nlu flag ``other_phones``:
    "我老公电话138…，我的139…"), as they go on the order's note with whose they are
    ("☎我老公 13811110000"), so staff can still reach that person: a number given is not lost."""
    return "；".join(f"{OTHER_PHONE}{label} {phone}" if label else f"{OTHER_PHONE}{phone}" for label, phone in others)


RECURRING = "🔁"  # marks a standing arrangement asked for on an order's note, in any language


def recurring_note(words: str) -> str:
    """The note of a standing arrangement (nlu flag ``recurring``: "每周五下午三点", "every Tuesday
    9am"), marked so staff see at a glance that more visits are wished for: "🔁每周五下午三点". Only
    those words: the rest of the message is the booking, shown apart in its summary."""
    return f"{RECURRING}{words}"


WINDOW = "🕑"  # marks the hours a customer can be in (a repair's "tmrw between 2 and 4") on an order's note


def window_note(words: str) -> str:
    """The note of the window of hours a visit starts in ("🕑between 14:00 and 16:00"), marked so
    it can go when the visit moves to another hour (`without_window`): the old window, left on
    the note, sent the technician at the wrong time."""
    return f"{WINDOW}{words}"


def without_window(notes: str | None) -> str | None:
    """`notes` without the window of hours on them (`window_note`), None when nothing is left."""
    if not notes or WINDOW not in notes:
        return notes
    parts = notes.replace("; ", "；").split("；")
    kept = [p for p in parts if not p.startswith(WINDOW)]
    return ("；" if has_cjk(notes) else "; ").join(kept) or None


def hour_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether `after` sets another hour or part of day than `before` ("make it 5pm")."""
    return (("time" in after and after["time"] != before.get("time"))
            or ("period" in after and "time" not in after and after["period"] != before.get("period")))


def recurring_noted(draft: Mapping[str, Any]) -> bool:
    """Whether a standing arrangement is on the booking's note already (said once is enough)."""
    return RECURRING in (draft.get("notes") or "")


def joined_notes(first: str, then: str) -> str:
    """Two notes as one, punctuated as the customer writes: "家里有猫；带梯子", but
    "we have a cat; bring a ladder" (staff read English notes with a full-width ；). A note
    said again (the same question asked twice) is not written twice, nor one said again with
    more ("热水器", then "热水器是万家乐的，不出热水": the later one stands for both), nor the same
    thing in another spelling ("air conditioner", then "another AC": nlu.items.same_thing). A
    map pin (`PIN`) shared again stands for the one before: the technician goes to one place."""
    parts = first.replace("; ", "；").split("；")
    if PIN in then and any(p.startswith(PIN) for p in parts):
        parts = [p for p in parts if not p.startswith(PIN)]
        if not parts:
            return then[:MAX_NOTES]
        first = ("；" if has_cjk(first) else "; ").join(parts)
    if any(same_thing(p, then) for p in parts):
        return first
    sep = "；" if has_cjk(first) or has_cjk(then) else "; "
    kept = [p for p in parts if not then.startswith(p)]
    return (sep.join([*kept, then]) if len(kept) < len(parts) else f"{first}{sep}{then}")[:MAX_NOTES]


def thing_replaced(notes: str | None, thing: str, objects: Iterable[str]) -> str:
    """A draft's note with the thing a correction names (`thing`: "冰箱不制冷", nlu flag ``thing``) in
    place of each part that named another of the service's `objects` ("空调", "空调不制冷"); the rest
    of the note kept. "不对 是修冰箱" left "备注：空调", and the technician came for the aircon."""
    parts = (notes or "").replace("; ", "；").split("；")
    other = [o for o in objects if not thing.startswith(o)]
    kept = [p for p in parts if p and not any(p.startswith(o) for o in other)]
    return joined_notes("；".join(kept), thing) if kept else thing


def another_request(draft: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether `new` is a second booking rather than a change of the draft: another
    service with a day or time of its own, while the draft has a service and a day or
    time already. (A correction, "改成下周一擦玻璃", is the caller's to rule out.)"""
    return (changes_service(draft, new) and bool(WHEN_SLOTS & new.keys())
            and bool(WHEN_SLOTS & draft.keys()))


def changes_service(draft: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether `new` names another service than the draft's. Said with a "cancel"
    ("其实不用擦玻璃了，改成日常保洁") it is a correction of the draft, not its end."""
    return bool(draft) and bool(new.get("service")) and new["service"] != draft.get("service")


def what_or_when(new: Mapping[str, Any]) -> bool:
    """Whether `new` says what is to be done or when (a service, a day, a time, a
    quantity): what makes a message a booking rather than a contact detail."""
    return bool(set(booking_slots(new)) & WHAT_OR_WHEN)


def contact_only(new: Mapping[str, Any]) -> bool:
    """Whether `new` gives contact details (an address, a phone, a name) and nothing of
    a booking's what or when: from a customer with a booked order, that reads as a
    correction of it ("地址写错了，是…") at least as much as the start of another."""
    return bool(set(booking_slots(new)) & CONTACT_SLOTS) and not what_or_when(new)


def started(draft: Mapping[str, Any]) -> bool:
    """Whether a draft holds anything of a booking (what, when or where): a phone on file
    alone is none, and a question put on its note would reach no order staff see."""
    return what_or_when(draft) or bool(draft.get("address"))


def next_missing(draft: Mapping[str, Any], *, needs_destination: bool = False,
                 at_shop: bool = False) -> str | None:
    """The slot to ask for next, or None when the booking can be summed up. A move
    (`needs_destination`) is asked where it ends unless the customer said they do not
    know yet (`DESTINATION_UNKNOWN`): a move is booked before the new home is settled.
    A visit at our place (catalog `at_shop`) is asked no address: it is the business's."""
    for slot in REQUIRED_FOR_A_MOVE if needs_destination else REQUIRED:
        if slot == "address" and at_shop:
            continue
        if slot == "time":
            if needs_hour(draft):
                return "time"
        elif slot == "destination":
            if not draft.get("destination") and not draft.get(DESTINATION_UNKNOWN):
                return slot
        elif not draft.get(slot):
            return slot
    return None


def needs_hour(when: Mapping[str, Any]) -> bool:
    """Whether `when` still needs a clock time: it has none, nor a part of the day that
    stands for one. 下午 does (it starts at 13:00); 凌晨 does not: nobody means "at
    midnight" by it, and a locksmith at the wrong hour of the night is no booking."""
    period = when.get("period")
    return not when.get("time") and (not period or period == SMALL_HOURS)


def hour_in_period(time: str, period: str | None) -> str:
    """A clock time said without its half of the day (NLU flag ``bare_hour``: "3点", "3:00"),
    read in the part of the day already known. The contract reads a bare 3 as 15:00, but
    the answer to "凌晨几点？" means 03:00, and "8点" after 晚上 means 20:00: of the two
    readings, the one within `period` (`PERIODS`), else the contract's as it was."""
    span = PERIODS.get(period or "")
    clock = parse_time(time)
    if span is None or clock is None or _within(clock, span):
        return time
    other = clock.replace(hour=(clock.hour + 12) % 24)
    if _within(other, span) or _off_by(other, span) <= min(_off_by(clock, span), NEAR_PERIOD):
        return f"{other:%H:%M}"  # "7点" after 早上 (08:00-12:00) is 07:00, an hour early, not 19:00
    return time


def hour_still_ahead(time: str, date: str | None, now: dt.datetime, tz: ZoneInfo) -> str:
    """A bare hour (NLU flag ``bare_hour``) on a day that is today, read in the other half of
    the day when the contract's reading has passed and that one has not: "8" said at 14:00
    about today is 20:00, not 08:00 refused as past."""
    clock = parse_time(time)
    if clock is None or date != now.astimezone(tz).date().isoformat() or clock.hour >= 12:
        return time
    local = now.astimezone(tz).time()
    later = clock.replace(hour=clock.hour + 12)
    return f"{later:%H:%M}" if clock <= local < later else time


NEAR_PERIOD = 60  # minutes outside a part of the day that still read as in it: 早上 then "7点"


def _off_by(clock: dt.time, span: tuple[dt.time, dt.time]) -> int:
    """Minutes from `clock` to the nearest edge of `span` (0 inside it)."""
    if _within(clock, span):
        return 0
    minutes = clock.hour * 60 + clock.minute
    start, end = (t.hour * 60 + t.minute for t in span)
    end = end or 24 * 60
    return min(abs(minutes - start), abs(minutes - end))


def period_of(time: str) -> str | None:
    """The part of the day (`PERIODS`) a clock time falls in, the first that holds it: a
    refused "早上6点" (06:00, before opening) gives the small hours, where "7点" is 07:00."""
    clock = parse_time(time)
    return next((name for name, span in PERIODS.items() if clock is not None and _within(clock, span)), None)


def hour_when_open(time: str, hours: Hours | None) -> str:
    """A clock time said without its half of the day, with no part of the day known
    either: the contract's reading (8-11 morning, 12 and 1-7 afternoon) while the opening
    `hours` admit it, else the other half's when they admit that ("8" at a business open
    14:00-22:00 is 20:00); as it was when neither fits (then refused as closed)."""
    clock = parse_time(time)
    if hours is None or clock is None or hours.admits(clock):
        return time
    other = clock.replace(hour=(clock.hour + 12) % 24)
    return f"{other:%H:%M}" if hours.admits(other) else time


def _within(clock: dt.time, span: tuple[dt.time, dt.time]) -> bool:
    """`clock` in [start, end), an end of 00:00 being midnight at the end of the day."""
    start, end = span
    return start <= clock and (end == dt.time(0, 0) or clock < end)


def a_week_after(day: dt.date, time: dt.time | None, period: str | None) -> dict[str, str]:
    """The when of a visit a week after one on `day` at `time` (or in `period`), as draft slots:
    "下周同一时间再约一次" after a booking."""
    when = {"date": (day + dt.timedelta(days=7)).isoformat()}
    if time is not None:
        when["time"] = f"{time:%H:%M}"
    elif period:
        when["period"] = period
    return when


def day_after(day: str) -> str:
    """The ISO day after the ISO `day`."""
    return (parse_date(day) + dt.timedelta(days=1)).isoformat()


def midnight_ending(when: Mapping[str, Any]) -> str:
    """The ISO day of the midnight that ends the day of `when` ("明天" then "晚上12点"): the
    day after, unless `when` is at that midnight already (its 00:00 said again)."""
    if when.get("time") == "00:00":
        return when["date"]
    return day_after(when["date"])


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def parse_time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def start_clock(time: str | None, period: str | None, hours: Hours | None = None) -> dt.time:
    """When an appointment starts: its clock time, else the first moment of its part of
    the day that the opening hours admit (早上 at a business opening at 9 → 09:00)."""
    if time:
        return parse_time(time)
    span = PERIODS.get(period or "")
    if span is None:
        return UNSPECIFIED_START
    return (hours.first_start(*span) if hours else None) or span[0]


def appointment_start(date: str, time: str | None, period: str | None, tz: ZoneInfo,
                      hours: Hours | None = None) -> dt.datetime:
    """The aware start of an appointment (`start_clock` on its day)."""
    return dt.datetime.combine(parse_date(date), start_clock(time, period, hours), tzinfo=tz)


def when_problem(draft: Mapping[str, Any], now: dt.datetime, tz: ZoneInfo,
                 hours: Hours | None = None, days_off: DaysOff | None = None) -> str | None:
    """Why the draft's date/time cannot be booked, or None.

    "date_past": the day is over; "closed_day": a day off (`days_off`);
    "time_past": today but the hour has gone; "day_over": today, its hour gone or none said,
    and no visit can start any more (`next_start_today`: "今天保洁" at 22:30);
    "closed": outside the opening hours (`hours`: when visits may start), a clock time
    outside them or a part of the day that does not meet them.
    A period that has begun but not ended (今天下午 at 14:00) is still fine.
    """
    date = draft.get("date")
    if not date:
        return None
    local_now = now.astimezone(tz)
    day = parse_date(date)
    if day < local_now.date():
        return "date_past"
    if days_off is not None and days_off.covers(day):
        return "closed_day"
    time, period = draft.get("time"), draft.get("period")
    if day == local_now.date():
        if time:
            gone = appointment_start(date, time, None, tz) <= local_now
        else:
            end = PERIODS[period][1] if period in PERIODS else dt.time(0, 0)
            gone = end != dt.time(0, 0) and local_now.time() >= end
        if (gone or not (time or period)) and next_start_today(now, tz, hours) is None:
            return "day_over"
        if gone:
            return "time_past"
    if hours is not None:
        if time and not hours.admits(parse_time(time)):
            return "closed"
        if not time and period in PERIODS and hours.first_start(*PERIODS[period]) is None:
            return "closed"
    return None


# "full_day": no team free all that day; "day_over": today, with no start left in today's hours
DAY_PROBLEMS = frozenset({"date_past", "closed_day", "full_day", "day_over"})


ASAP_LEAD = dt.timedelta(minutes=30)  # the least a technician needs to get anywhere


def soonest(now: dt.datetime, tz: ZoneInfo) -> dict[str, str]:
    """The first half hour a visit asked for "now" (马上, "as soon as possible") can start:
    ASAP_LEAD from now, rounded up, as draft slots. The hours and free teams are then
    checked as for any other time, so a cleaner at 23:00 is refused as usual."""
    at = (now + ASAP_LEAD).astimezone(tz)
    at = at.replace(second=0, microsecond=0)
    if at.minute not in (0, 30):
        at += dt.timedelta(minutes=30 - at.minute % 30)
    return {"date": at.date().isoformat(), "time": at.strftime("%H:%M")}


def next_start_today(now: dt.datetime, tz: ZoneInfo, hours: Hours | None = None) -> dt.time | None:
    """The first start still bookable today: the first half hour from the soonest (`soonest`)
    to midnight that the opening `hours` admit, to offer when the hour asked for has gone;
    None when none is left, so that another day is asked for, not another hour of this one."""
    first = soonest(now, tz)
    start = parse_time(first["time"])
    if first["date"] != now.astimezone(tz).date().isoformat() or start is None:
        return None
    starts = (dt.time(m // 60, m % 60) for m in range(start.hour * 60 + start.minute, DAY, 30))
    return next((clock for clock in starts if hours is None or hours.admits(clock)), None)


def weekday_meant(when: Mapping[str, Any], now: dt.datetime, tz: ZoneInfo, hours: Hours | None = None) -> dict[str, Any]:
    """`when`, whose date is today named by its weekday alone (NLU flag ``weekday_today``: "周五",
    "make it friday" said on a Friday), a week on when today's visit can no longer be
    (`when_problem`'s "time_past" or "day_over": "周五" at 22:30, or at 21:30 with the 15:00 kept):
    next Friday is meant, not today in the past. Otherwise `when` as it is."""
    if when_problem(when, now, tz, hours) not in ("time_past", "day_over"):
        return dict(when)
    return {**when, "date": (parse_date(when["date"]) + dt.timedelta(days=7)).isoformat()}


def open_to_soonest(draft: Mapping[str, Any], soonest_when: Mapping[str, str]) -> bool:
    """Whether "马上" / "now" can set a draft's day and hour to `soonest_when` (`soonest`):
    it has no hour yet (`needs_hour`) and no day after that one. The answer to "今天几点？"
    is today's soonest (or just past midnight, tomorrow's); "明天" then "马上" names no time."""
    date = draft.get("date")
    return needs_hour(draft) and (not date or date <= soonest_when["date"])


def clear_when(draft: dict[str, Any], problem: str, *, proposed: bool = False) -> str:
    """Drop what made the time impossible; returns the slot to ask for again. A day that
    will not do keeps the hour asked for: "后天" next means 后天 at that hour. A time we
    `proposed` (`soonest`, for "马上") is dropped whole: neither its day nor its hour was
    the customer's, and the day may have no hour left (23:30 at a shop closing at 22:00)."""
    if proposed:
        for slot in ("date", "time", "period"):
            draft.pop(slot, None)
        return "date"
    if problem in DAY_PROBLEMS:
        draft.pop("date", None)
        return "date"
    draft.pop("time", None)
    draft.pop("period", None)
    return "time"


def moved_by(when: Mapping[str, Any], minutes: int, hours: Hours | None = None) -> dict[str, Any]:
    """An order's `when` (date, time or period) moved by `minutes` (the NLU's flag ``moved_by``):
    whole days keep its time or part of the day; anything else moves from its start (`start_clock`)."""
    day = parse_date(when["date"])
    if minutes % (24 * 60) == 0:
        return {**when, "date": (day + dt.timedelta(minutes=minutes)).isoformat()}
    start = dt.datetime.combine(day, start_clock(when.get("time"), when.get("period"), hours))
    at = start + dt.timedelta(minutes=minutes)
    return {"date": at.date().isoformat(), "time": at.strftime("%H:%M")}
