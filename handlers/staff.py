"""What staff do with orders, whatever screen they press the button on.

Telegram's staff group uses this today and the web dashboard will tomorrow,
so the rules live here and not in a channel adapter: who may move an order
where (one conditional UPDATE in `storage.staff.transition`, so the first
claim wins), what the customer is told (queued with `outbox.notify` in the
same transaction, so a crash cannot lose it), and when the staff card must be
posted or refreshed (a durable `staff_card` job, run by whichever channel
shows cards). The pure helpers (masking, the window for relaying a
customer's messages to staff) are here so every channel applies the same ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import handoff, lifecycle
from handlers.answers import catalog_answers
from handlers.outbox import notify
from handlers.privacy import mask_address, mask_phone
from handlers.render import Say
from handlers.slots import booking_slots
from handlers.state import REVIEWING, DialogueState
from handlers.turn import DomainEvent
from nlu.names import TITLES
from nlu.normalize import has_cjk, normalize
from nlu.types import ParseResult
from storage import customers as customer_repo
from storage import jobs
from storage import orders as order_repo
from storage import staff as staff_repo
from storage.catalog import Catalog
from storage.messages import StaffPost
from storage.models import ACTIVE_STATUSES, BOOKED_STATUSES, Customer, Order, OrderStatus, Staff

# An order number as staff type it after /order (`storage.orders.next_number` writes YYYYMMDD-NNNN).
_TYPED_NUMBER_RE = re.compile(r"#?\s*(\d{8})\s*[-_ ]?\s*(\d{4,})")


def typed_number(text: str) -> str:
    """The order number staff mean by `text`: they type what they read off a card or a phone,
    "#20261124-0001", "20261124 0001", "202611240001", a full-width dash from a Chinese
    keyboard. Anything else is kept as typed (and then not found)."""
    m = _TYPED_NUMBER_RE.fullmatch(normalize(text).norm.strip())
    return f"{m[1]}-{m[2]}" if m else text.strip()


CARD = "staff_card"      # job: post an order's card to the staff chat, or refresh it
RELAY = "staff_relay"    # job: a message in the order's card thread (the customer's words, or news)
ACTIONS = tuple(staff_repo.TRANSITIONS)
# A customer's free text goes to staff while staff and customer are talking:
# for this long after the last staff reply, or after they asked for a person.
THREAD_WINDOW = dt.timedelta(hours=2)
WAITING, TALKING = "waiting", "talking"  # where a talk with a person stands (`person_thread`)
# The customer template that tells them about each staff action.
CUSTOMER_TEMPLATES = {
    "claim": "order_claimed", "start": "order_started", "done": "order_done", "release": "order_released",
}
# What the customer asks the dialogue for even while talking to staff ("book" only when
# asked for clearly, `asks_to_book`); asking for a person again goes to the person.
DIALOGUE_INTENTS = ("book", "reschedule", "cancel", "status", "price", "review")
# Mid-booking, what goes to the person instead of answering the booking's question.
PERSON_INTENTS = ("other", "greet")
WHEN = frozenset({"date", "time", "period"})
START_MARGIN = dt.timedelta(hours=2)
"""How long before the booked time Start may be pressed. Start tells the customer the
visit has begun, so tomorrow's order started today would mislead them and silence its
reminders; but a technician who arrives early, or sets off for a long drive (Start is
also what staff press "on the way"), must not be stopped: two hours covers a cross-town
trip and an early arrival, as the 2 h customer reminder says "coming soon"."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a staff action: `ok`, or why not (`reason`)."""

    ok: bool
    reason: str  # done | taken | already_yours | not_yours | not_allowed | not_found | not_yet | too_early
    order: Order | None = None


async def act(session: AsyncSession, order_id: int, action: str, staff: Staff, catalog: Catalog,
              now: dt.datetime, tz: ZoneInfo | None = None, *, early: bool = False) -> Outcome:
    """Apply `action` (claim, start, done, release) by `staff` to the order.

    On success the customer's notification, the card refresh and what the
    order's new state schedules (a review invitation after done, unclaimed
    watches after release) are queued (after done the invitation is the customer's
    notice when it goes out at once: `lifecycle.invitation_says_done`) in the caller's transaction; on failure
    nothing changes and `reason` says why (another staff member was faster,
    or the order is not this person's). Every staff front-end calls this.

    Done on a visit that has neither started (no Start press) nor reached its booked time
    is refused as "not_yet" unless `early` (the dashboard's "Mark completed anyway"): a
    ✅ pressed next to ▶️ right after claiming would ask the customer to rate a visit that
    has not happened, and a completed card has no buttons left to undo it. Start more
    than `START_MARGIN` before the booked time is refused as "too_early", the same way.
    """
    if action not in staff_repo.TRANSITIONS:
        return Outcome(False, "not_allowed")
    order = await order_repo.get(session, order_id)
    if order is None:
        return Outcome(False, "not_found")
    if order.assignee_id == staff.id and order.status == OrderStatus.ASSIGNED:
        if action == "done" and not early and ahead(order, now):
            return Outcome(False, "not_yet", order)
        if action == "start" and ahead(order, now, START_MARGIN):
            return Outcome(False, "too_early", order)
    moved = await staff_repo.transition(session, order_id, action, staff, now)
    await session.refresh(order)  # the UPDATE bypassed the identity map
    if not moved:
        return Outcome(False, refusal(order, action, staff.id), order)
    if not (action == "done" and lifecycle.invitation_says_done(catalog, now, tz)):
        await notify(session, customer_id=order.customer_id, template=CUSTOMER_TEMPLATES[action],
                     data=notice_data(order, staff), order_id=order.id, due_at=now)
    await refresh_card(session, order.id, now)
    await lifecycle.after_staff_action(session, order.id, action, catalog, now, tz)
    return Outcome(True, "done", order)


def ahead(order: Order, now: dt.datetime, margin: dt.timedelta = dt.timedelta(0)) -> bool:
    """The booked time is more than `margin` ahead (pure)."""
    return now < order.start_at - margin


def refusal(order: Order, action: str, staff_id: int) -> str:
    """Why `action` did not apply to `order` as it is now (pure, for the answer to staff)."""
    if action == "claim" and order.assignee_id == staff_id:
        return "already_yours"  # e.g. the same press delivered twice
    if action == "claim" and order.assignee_id is not None:
        return "taken"
    if staff_repo.TRANSITIONS[action][2] and order.assignee_id not in (None, staff_id):
        return "not_yours"
    return "not_allowed"


def notice_data(order: Order, staff: Staff | None = None) -> dict[str, Any]:
    """What customer notifications about an order show; plain JSON for the job queue."""
    return {"number": order.number, "service": order.service_id,
            "staff": staff.name if staff is not None else None}


async def refresh_card(session: AsyncSession, order_id: int, now: dt.datetime) -> bool:
    """Queue an update of the order's card, if it has one."""
    if await staff_repo.card_of(session, order_id) is None:
        return False
    return await jobs.enqueue(session, CARD, {"order_id": order_id}, due_at=now, order_id=order_id)


async def refresh_customer_cards(session: AsyncSession, customer_id: int, now: dt.datetime,
                                 why: str) -> int:
    """Queue a refresh of the cards of the customer's open orders, once per order and
    `why` (a key naming the change, e.g. that they became unreachable at a moment): their
    cards show whether the chat reaches the customer (`card_data`). One query for the
    orders with a card, one insert for the jobs."""
    order_ids = await staff_repo.cards_of_customer(session, customer_id, ACTIVE_STATUSES)
    return await _queue_cards(session, order_ids, now, why)


async def _queue_cards(session: AsyncSession, order_ids: list[int], now: dt.datetime, why: str) -> int:
    """One card job per order, in one insert; `why` keys them, so a change reported
    twice (or by several processes) queues each order's card once."""
    return await jobs.enqueue_all(session, [
        jobs.job_row(CARD, {"order_id": i}, due_at=now, order_id=i, dedupe_key=f"{CARD}:{i}:{why}")
        for i in order_ids])


# What a customer may put round a staff member's name ("王师傅", "小王", "老李", "保洁阿姨"): the
# person is who is left. Longest first, so "保洁阿姨" goes whole.
_AROUND_A_NAME = tuple(sorted({*TITLES, "师父", "保洁", "保洁员", "保洁师", "技师", "小哥"}, key=len, reverse=True))


def _bare_name(name: str) -> str:
    """`name` without the titles and the 小/老 a customer says it with, lower case: "王师傅" → "王",
    "小王" → "王", "Li" → "li"."""
    bare = name.strip().lower()
    for title in _AROUND_A_NAME:
        if bare.endswith(title) and len(bare) > len(title):
            bare = bare[:-len(title)]
            break
    return bare[1:] if len(bare) > 1 and bare[0] in "小老" else bare


def named_exactly(members: list[Staff], said: str) -> list[Staff]:
    """The staff members whose name, as stored, is the words `said` ("李娜", "li na")."""
    return [m for m in members if m.name.strip().lower() == said.strip().lower()]


def called(members: list[Staff], said: str) -> list[Staff]:
    """The staff members `said` names ("让王师傅来", "can Li come again?"), from the business's
    staff as stored (`storage.staff.active_members`): the one whose name is the words said,
    else those whose name, titles left off, is the name said or, in Chinese, starts with it
    (a surname: "王师傅" is 王建国) or, in English, has it as a word ("Li" is "Li Na"). Several
    when the name is not enough to tell them apart; none when nobody is so called."""
    exact = named_exactly(members, said)
    if exact:
        return exact
    bare = _bare_name(said)
    if not bare:
        return []

    def named(member: Staff) -> bool:
        own = _bare_name(member.name)
        if has_cjk(bare):
            return own == bare or own.startswith(bare)
        return own == bare or bare in own.split()
    return [m for m in members if named(m)]


def card_data(order: Order, tz: ZoneInfo) -> dict[str, Any]:
    """What an order's card shows (the `staff_card` template), whichever staff channel posts
    it: phone and address masked (a whole group reads it; the claimer gets them privately; the
    template shows a visit at our place in full, the shop's address being no secret),
    the assignee, the staff member the customer asked for (so that one claims it; anyone may),
    and, while the chat cannot reach the customer on the channel the worker
    would use (`customers.out_of_reach`), why and since when (business time), so staff in
    the group know to phone without opening the dashboard. Needs the order's assignee and
    its customer's identities and the staff member asked for loaded."""
    ident = customer_repo.out_of_reach(order.customer.identities)
    unreachable = None if ident is None else {
        "reason": ident.unreachable_reason, "channel": ident.channel,
        "since": ident.unreachable_since.astimezone(tz) if ident.unreachable_since else None}
    return {"order": order, "phone": mask_phone(order.phone), "address": mask_address(order.address),
            "assignee": _name_of(order.assignee_id, order.assignee),
            "preferred": _name_of(order.preferred_staff_id, order.preferred_staff), "unreachable": unreachable}


def _name_of(staff_id: int | None, staff: Staff | None) -> str | None:
    """The name of an order's staff member (its assignee, the one asked for), when it has one."""
    return staff.name if staff_id is not None and staff else None


async def cards_moved(session: AsyncSession, channel: str, old_chat_id: str, new_chat_id: str,
                      now: dt.datetime) -> int:
    """The staff chat got a new id (a Telegram group upgraded to a supergroup): the open
    orders' cards are posted again in the new chat, where staff now work, since the old
    chat's messages can no longer be edited. Once per order and move, however many
    processes report the move."""
    order_ids = await staff_repo.cards_in_chat(session, channel, old_chat_id, ACTIVE_STATUSES)
    return await _queue_cards(session, order_ids, now, f"moved:{new_chat_id}")


async def on_order_event(session: AsyncSession, event: DomainEvent, now: dt.datetime) -> None:
    """In the customer's transaction: a confirmed order gets its card posted (once);
    a cancelled, rescheduled or amended one gets its card refreshed and a line in its
    thread, because an edit alone notifies nobody and a technician may be on the way
    (an amendment names the fields; the assignee gets the new details privately,
    `lifecycle.amend`). The line says who did it (`lifecycle.who_did`): the customer, or
    the office from the dashboard."""
    if event.kind == "order_confirmed":
        await jobs.enqueue(session, CARD, {"order_id": event.order_id}, due_at=now,
                           order_id=event.order_id, dedupe_key=f"{CARD}:{event.order_id}:new")
    elif await refresh_card(session, event.order_id, now):
        await _to_thread(session, event.order_id, "staff_order_changed",
                         {"kind": event.kind, "fields": list(event.fields),
                          **await lifecycle.who_did(session, event.actor)}, now)


async def staff_says(session: AsyncSession, order: Order, staff: Staff, text: str, *,
                     key: str, now: dt.datetime) -> bool:
    """A staff member's message to the order's customer, through the card thread.

    `key` is the channel's id of the staff message, so a redelivered one is
    sent once. Opens (or keeps open) the thread the customer's answers go to.
    Signed as the technician only by the order's assignee: anyone else in the group
    (the office answering, another technician) writes as customer service, so the
    customer is not told a stranger is the one coming.
    """
    queued = await says_to_customer(session, order.customer_id, staff.name, text,
                                    key=f"staff_message:{key}", now=now, about=order,
                                    technician=order.assignee_id == staff.id)
    if queued:
        await staff_repo.mark_staff_reply(session, order.id, now)
    return queued


async def says_to_customer(session: AsyncSession, customer_id: int, sender: str | None, text: str, *,
                           key: str, now: dt.datetime, about: Order | None = None,
                           technician: bool = False) -> bool:
    """A staff member's message to a customer, about an order (`about`) or not (they asked
    for a person, or wrote in that conversation), signed as customer service unless
    `technician` (the order's assignee writing, `staff_says`). `key` makes a
    message sent twice (a redelivered update, a form posted twice) go out once.
    Opens the customer's own thread too: it outlives an order's (a completed
    order's complaint is answered after its card's thread has closed)."""
    data = notice_data(about) if about is not None else {"number": None, "service": None}
    queued = await notify(session, customer_id=customer_id, template="staff_message", due_at=now,
                          data={**data, "staff": sender, "text": text, "technician": technician}, key=key,
                          order_id=about.id if about is not None else None)
    if queued:
        await customer_repo.mark_staff_reply(session, customer_id, now)
    return queued


async def answer_post(session: AsyncSession, post: StaffPost, staff: Staff, text: str, *,
                      key: str, now: dt.datetime) -> bool:
    """A staff reply to a card or to a post in a conversation with a customer
    (`StaffPost.customer_id`): to them through the order's thread when it is about
    one, else as the team."""
    order = await order_repo.get(session, post.order_id) if post.order_id is not None else None
    if order is not None:
        return await staff_says(session, order, staff, text, key=key, now=now)
    if post.customer_id is None:
        return False
    return await says_to_customer(session, post.customer_id, staff.name, text, key=f"staff_message:{key}", now=now)


async def relay_to_staff(session: AsyncSession, customer: Customer, state: DialogueState, text: str,
                         parse: ParseResult, now: dt.datetime, *, to_chat: bool,
                         window: dt.timedelta = THREAD_WINDOW) -> list[Say] | None:
    """Take the customer's free text away from the booking dialogue while a person is
    waited for or talking to them: the card thread of the order staff wrote about, else
    their own thread when they asked for a person or staff wrote to them
    (`person_thread`). With a staff chat (`to_chat`) the words are posted there; the
    dashboard shows them either way. None when the text stays with the dialogue; else
    the answer: a word that a person has it while nobody has answered yet, nothing once
    staff are talking.

    What the dialogue serves stays with it (`relays`), so relaying never swallows a
    booking, a cancel or "my orders", nor the answer to a booking's open question.
    "不用了" to the wait ends it (`ends_wait`): staff are told; mid-booking the dialogue
    then says so and asks its open question again, the draft kept.

    A question the catalog answers ("深度保洁要多久？", "你们几点开始上门", the owner's FAQ:
    `catalog_answers`) asked while nobody has answered yet is answered by the dialogue too,
    at once, as at any other time: the customer is waiting for a person, and minutes of
    waiting for a fact the bot knows helps nobody. Staff still see the words under the
    request, marked as answered, so whoever picks it up knows what was asked and said. Once
    a person is talking the bot keeps out of it, so the customer never gets two answers.
    """
    talk = person_thread(customer.human_requested_at, customer.staff_replied_at, now, window)
    if talk is None or not text.strip():  # every staff reply marks the customer: no thread is open
        return None
    if state.offered and parse.intent in ("affirm", "deny", "book") and not parse.flags.get("no_person"):
        return None  # "yes" / "no" to the bot's own "Shall I book it?" (`catalog_answers`) is the bot's
    ended = ends_wait(state, parse, talk)
    if parse.intent == "human" and not handoff.alerted_this_hour(customer, now):
        return None  # asking again once this hour's alert is old: the dialogue alerts staff anew
    if not ended and not relays(state, parse) and not await _asks_after_the_person(session, customer, state, parse, talk):
        return None
    answered = talk == WAITING and not ended and catalog_answers(parse)
    data = {"text": text, "customer": customer.display_name, "ended": ended, "answered": answered}
    order = await staff_repo.open_thread_order(session, customer.id, now - window) if to_chat else None
    if order is not None:
        await _to_thread(session, order.id, "staff_relay", data, now)
    elif to_chat:
        await jobs.enqueue(session, RELAY, {"customer_id": customer.id, "template": "staff_relay", "data": data},
                           due_at=now)
    if answered:
        return None  # the dialogue answers it
    if ended:
        handoff.end_talk(customer)
        if state.busy:  # the dialogue answers: no person after all, and its question again
            state.asked_person = True
            return None
        return [Say("human_ended", {"busy": False})]
    if talk != WAITING:
        return []
    if parse.intent == "human":  # asked again: the request stands, and these words went with it
        return [Say("human_handoff", {"again": True, "busy": state.busy,
                                      "complaint": parse.flags.get("complaint"), "order": None})]
    return [Say("human_waiting", {"busy": state.booking})]


async def _asks_after_the_person(session: AsyncSession, customer: Customer, state: DialogueState,
                                 parse: ParseResult, talk: str) -> bool:
    """"人呢？" while waiting for a person, from a customer with no order to ask after: the
    person is asked after (the words go to them, and the customer hears they were), not
    "您还没有订单". With an order booked the dialogue answers it, as "where is the technician?"."""
    if talk != WAITING or state.busy or parse.intent != "status" or parse.slots:
        return False
    return not await order_repo.active_for_customer(session, customer.id)


async def _to_thread(session: AsyncSession, order_id: int, template: str, data: dict[str, Any],
                     now: dt.datetime) -> None:
    """Queue `template` (a staff template, given the order and `data`) for the card's thread."""
    await jobs.enqueue(session, RELAY, {"order_id": order_id, "template": template, "data": data},
                       due_at=now, order_id=order_id)


# ---------------------------------------------------------------- pure helpers
def unanswered(requested_at: dt.datetime | None, replied_at: dt.datetime | None) -> bool:
    """Whether the customer asked for a person and no staff member has written to them since."""
    return requested_at is not None and (replied_at is None or replied_at < requested_at)


def person_thread(requested_at: dt.datetime | None, replied_at: dt.datetime | None,
                  now: dt.datetime, window: dt.timedelta = THREAD_WINDOW) -> str | None:
    """Where a customer's talk with a person stands: WAITING for an answer to their
    request, TALKING since staff wrote, None when neither is within `window` (then the
    bot answers them again)."""
    latest = max((t for t in (requested_at, replied_at) if t is not None), default=None)
    if latest is None or latest < now - window:
        return None
    return WAITING if unanswered(requested_at, replied_at) else TALKING


def ends_wait(state: DialogueState, parse: ParseResult, talk: str) -> bool:
    """Whether the message says no person is needed after all (pure): in so many words
    ("不需要人工了"), or a no while the customer waits for one ("不用了"). Mid-booking
    only a "never mind" ("算了，不用了") is about the wait; "不对" answers the booking's
    question."""
    if parse.intent != "deny":
        return False
    if parse.flags.get("no_person"):
        return True
    return talk == WAITING and (not state.busy or bool(parse.flags.get("never_mind")))


def relays(state: DialogueState, parse: ParseResult) -> bool:
    """Whether a message goes to the person rather than to the dialogue, while a talk is
    open (pure). The requests the dialogue serves stay with it. Mid-booking so does all
    that answers its question (details, yes or no, "稍等", "不知道"), and the rest ("在吗？？",
    "about 200 yuan", a complaint) is for the person. Out of a booking a new one is
    taken only when asked for clearly (`asks_to_book`): a story that names a service
    ("上次保洁阿姨把花瓶打碎了") or details alone ("3号楼2单元") answer the person."""
    if parse.intent in DIALOGUE_INTENTS and parse.intent != "book":
        return False
    # asked again, or a complaint whatever service it names; at a review a complaint is its comment
    if parse.intent == "human" and state.stage != REVIEWING:
        return True
    if state.stage == REVIEWING and parse.intent == "other" and (
            state.awaiting == "comment" or parse.flags.get("word_rating")):
        return False  # the review's comment, or a rating in words: stored for the order, not lost in the talk
    if state.busy:
        answers = parse.flags.get("wait") or parse.flags.get("dont_know")
        return parse.intent in PERSON_INTENTS and not booking_slots(parse.slots) and not answers
    return parse.intent != "book" or not asks_to_book(parse)


def asks_to_book(parse: ParseResult) -> bool:
    """A booking asked for clearly enough to take it from the person (pure): in so many
    words (the NLU's ``request``: "我想预约", "book a deep clean"), or a service with a
    day or hour ("明天下午3点深度保洁")."""
    slots = parse.slots
    return bool(parse.flags.get("request")) or ("service" in slots and bool(WHEN & slots.keys()))


def visible_statuses() -> tuple[str, ...]:
    """Statuses shown in a staff day list: everything but unconfirmed drafts."""
    return BOOKED_STATUSES
