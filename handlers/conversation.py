"""The handlers' front door: one normalized inbound message in, replies out.

Everything a channel needs is `Conversations.handle`. It answers a flood
politely (a per-customer rate limit, counted by the lock before it is taken),
serialises each customer's messages (a lock per customer, in Redis when several
processes serve), ignores redelivered
ones, runs the turn in one database transaction, and answers politely instead
of failing when anything breaks, the lock store and the database included.

Redelivery is caught by the message log's unique (channel, message id) inside
the turn's transaction, after the customer's lock is taken: a redelivery that
lands on another process waits for the first turn and then finds it logged.
The check is the turn's last statement, the one INSERT that logs the message
and its answer (`messages.record_turn`); a redelivered message's turn is rolled
back. That costs a wasted turn on a rare redelivery and saves a statement on
every message; if that wasted run fails, the failure is logged and the first
answer stands, with no apology (`_answered_before`). No Redis fast path sits
in front of it: it would be a second source of truth that can disagree with the
database after a Redis restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Awaitable, Callable
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from handlers import reach
from handlers.dialogue import Turn
from handlers.messages import Inbound, Reply
from handlers.reading import labelled_choice, numbered_choice, offer_accepted, payload_to_parse, the_day_meant
from handlers.review_steps import resume_review_prompt
from handlers.reviews import could_be_rating
from handlers.render import Renderer, Say
from handlers.state import DialogueState
from handlers.turn import DomainEvent
from nlu.normalize import detect_lang
from nlu.pipeline import NluParser
from nlu.types import ParseResult
from storage import customers, messages
from storage.catalog import Catalog
from storage.db import Database
from storage.locks import Locks, LockUnavailable, RateLimited
from storage.models import Customer
from storage.ratelimit import RateLimiter
from storage.state import SqlStateStore, StateStore

log = logging.getLogger(__name__)

MAX_TEXT = 2000  # longer messages are cut: nobody books with an essay, and the NLU stays fast

EventHandler = Callable[[DomainEvent], Awaitable[None]]
# Runs in the turn's transaction, so what it writes (e.g. a job) commits with the order.
TransactionalHandler = Callable[[AsyncSession, DomainEvent, dt.datetime], Awaitable[None]]
# May take a customer's free text away from the dialogue (e.g. to staff): None = not
# taken, else what to answer (often nothing: the person they talk to answers).
Diverter = Callable[[AsyncSession, Customer, DialogueState, str, ParseResult, dt.datetime],
                    Awaitable[list[Say] | None]]


class Conversations:
    def __init__(
        self, *, db: Database, catalog: Catalog, nlu: NluParser, renderer: Renderer,
        states: StateStore, locks: Locks, timezone: str,
        clock: Callable[[], dt.datetime] | None = None, limiter: RateLimiter | None = None,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.nlu = nlu
        self.renderer = renderer
        self.states = states
        self.locks = locks
        self.limiter = limiter
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.subscribers: list[EventHandler] = []
        self.in_transaction: list[TransactionalHandler] = []
        self.diverters: list[Diverter] = []
        # State kept in this same database is read and written in the turn's own
        # transaction (one transaction per message instead of three).
        self._sql_state = states if isinstance(states, SqlStateStore) and states.db is db else None
        # Any other store's state travels with the customer's lock (with Redis, on
        # the lock's own round trips: storage/locks.py).
        self._lock_states = None if self._sql_state else states

    def subscribe(self, handler: EventHandler) -> None:
        """Called after commit for each domain event (staff cards, reminders)."""
        self.subscribers.append(handler)

    def subscribe_in_transaction(self, handler: TransactionalHandler) -> None:
        """Called inside the turn's transaction for each domain event: what it
        writes commits or rolls back with the change that caused it."""
        self.in_transaction.append(handler)

    def divert(self, diverter: Diverter) -> None:
        """Let `diverter` take free text before the dialogue sees it (staff relay)."""
        self.diverters.append(diverter)

    async def handle(self, inbound: Inbound) -> list[Reply]:
        if inbound.event is not None:  # before the rate limit: an event must never be dropped
            await self._event(inbound)
            return []  # left: the channel could not deliver an answer; came back: none is due
        key = f"{inbound.channel}:{inbound.user_id}"
        try:  # the lock counts the message against the rate limit first (with Redis, as it takes it)
            async with self.locks.hold(key, self._lock_states, self.limiter) as held:
                try:
                    replies, events, state = await self._handle_locked(key, inbound, held.state)
                except Exception as exc:  # noqa: BLE001 - the customer gets an answer whatever broke
                    if await self._answered_before(inbound):
                        log.warning("a redelivered %s message %s failed on its second run; its first "
                                    "answer stands", inbound.channel, inbound.message_id, exc_info=True)
                        return []
                    log.exception("handling a %s message failed", inbound.channel)
                    await self._keep_failed(inbound, exc)
                    return [await self._apology("error", key, inbound)]
                if state is not None:  # the turn has committed: the lock saves it as it lets go
                    held.keep = state.to_dict()
        except RateLimited:
            log.warning("rate limit: a %s message from one customer was not processed", inbound.channel)
            # No state read for a message that is turned away: a flood costs no store round trip.
            lang = detect_lang(inbound.text or "")
            lang = lang if lang != "und" else _lang_from_hint(inbound.lang_hint or "", "zh")
            return [self.renderer.render([Say("rate_limited")], lang)]
        except Exception as exc:  # noqa: BLE001 - the lock store (Redis) is down, or the lock is stuck
            log.exception("could not take the lock for a %s message", inbound.channel)
            # A store that could not lock cannot tell the language either, and asking it
            # would cost its client's retries again (seconds, against WeChat's five).
            return [await self._apology("error", key, inbound, ask_store=isinstance(exc, LockUnavailable))]
        await self.publish(events)
        return replies

    async def _apology(self, template: str, key: str, inbound: Inbound, *, ask_store: bool = True) -> Reply:
        return self.renderer.render([Say(template)], await self._lang_of(key, inbound, ask_store=ask_store))

    async def _handle_locked(
        self, key: str, inbound: Inbound, loaded: dict | None,
    ) -> tuple[list[Reply], list[DomainEvent], DialogueState | None]:
        now = self.clock()
        text = (inbound.text or "")[:MAX_TEXT]
        sql_state = self._sql_state
        try:
            async with self.db.sessions.begin() as session:
                state = DialogueState.from_dict(await sql_state.load_in(session, key, now) if sql_state
                                                else loaded)
                replies, events, diverted = await self._turn(session, inbound, state, text, now)
                if diverted:  # to staff: the dialogue's state stays as it was
                    return replies, [], None
                if sql_state:  # saved with the turn; nothing left for `handle` to save
                    await sql_state.save_in(session, key, state.to_dict(), now)
        except _Redelivered:  # rolled back: the first delivery's turn stands
            log.info("ignored a redelivered %s message %s", inbound.channel, inbound.message_id)
            return [], [], None
        return replies, events, None if sql_state else state

    async def _turn(self, session: AsyncSession, inbound: Inbound, state: DialogueState, text: str,
                    now: dt.datetime) -> tuple[list[Reply], list[DomainEvent], bool]:
        """One message's turn in the caller's transaction: the answers, the domain events,
        and whether a diverter took the text (then the dialogue did not run). Raises `_Redelivered` at the end when the channel had already delivered the
        message (see `messages.record_turn`)."""
        if not state.busy and inbound.lang_hint and not state.lang_said:
            state.lang = _lang_from_hint(inbound.lang_hint, state.lang)
        customer, ident = await customers.identify(
            session, inbound.channel, inbound.user_id, thread_id=inbound.thread_id,
            display_name=inbound.display_name, lang=state.lang, now=now)
        received = messages.inbound(
            channel=inbound.channel, channel_message_id=inbound.message_id, customer_id=customer.id,
            text=text, meta={"payload": inbound.payload} if inbound.payload else None, at=now)
        await reach.back(session, ident, now)  # they wrote: messages to them go out again

        if could_be_rating(text, inbound.payload):
            await resume_review_prompt(session, customer, state, self.catalog, now)
        payload = (inbound.payload or numbered_choice(text, state.choices)
                   or labelled_choice(text, state.choices, state.labels))
        parse = payload_to_parse(payload) if payload else \
            await self.nlu.parse_async(text, now=now, expected=state.awaiting)
        parse = the_day_meant(parse)  # every reader below sees the day meant, not the contract's slot
        # "how much?" keeps a conversation's Chinese: one under way, or one had before (its messages)
        talked = state.busy or (bool(parse.flags.get("few_words")) and state.lang != parse.lang
                                and bool(await messages.history(session, customer.id, limit=1)))
        if not text.startswith("/"):  # a command ("/order 20261124-0001") is in no language
            state.lang = reply_lang(state.lang, parse, engaged=state.busy, talked=talked)  # a person's answer too
            if payload is None and parse.lang in ("zh", "en"):  # words of theirs, not our button's label
                state.lang_said = True
        for diverter in () if payload else self.diverters:
            says = await diverter(session, customer, state, text, parse, now)
            if says is not None:
                replies = [self.renderer.render(says, state.lang)] if says else []
                await _log_turn(session, received, [messages.outbound(
                    channel=inbound.channel, customer_id=customer.id, text=r.text, at=now) for r in replies])
                return replies, [], True
        if payload is None and (accepted := offer_accepted(parse, state.choices)) is not None:
            parse = payload_to_parse(accepted)  # "好的" to the one start offered, as if pressed
        if customer.lang != state.lang:  # an unchanged assignment would still cost the commit a flush
            customer.lang = state.lang

        turn = Turn(session=session, customer=customer, channel=inbound.channel, state=state,
                    catalog=self.catalog, tz=self.tz, now=now, text=text, label=self.renderer.label)
        await turn.run(parse)
        await self.publish_in_transaction(session, turn.events, now)
        reply = self.renderer.render(turn.says, state.lang, awaiting=state.awaiting)
        if reply.choices:  # the same choices as `state.choices`: the turn's last offer
            state.labels = [c.label for c in reply.choices]
        elif not state.choices:
            state.labels = []
        await _log_turn(session, received, [messages.outbound(
            channel=inbound.channel, customer_id=customer.id, order_id=turn.order_id, text=reply.text,
            meta={"choices": [c.payload for c in reply.choices],
                  "labels": [c.label for c in reply.choices]}, at=now)])
        return [reply], turn.events, False

    async def _event(self, inbound: Inbound) -> None:
        """The customer left or came back (handlers/reach.py); a failure is logged, not
        raised: there is nobody to apologise to."""
        try:
            await reach.on_event(self.db, inbound, self.clock())
        except Exception:  # noqa: BLE001 - the database may be down; the next send finds out too
            log.exception("could not record a %s customer's %s event", inbound.channel, inbound.event)

    async def _answered_before(self, inbound: Inbound) -> bool:
        """Whether a message whose turn just failed had been handled already.

        The redelivery check is a turn's last statement, so a redelivered
        message runs its turn again first; when that run fails, the customer
        already has the first delivery's answer and must not get an apology for
        it too. Asked only on this failure path; a database that cannot answer
        means "no" (the apology is then the safe side)."""
        if not inbound.message_id:
            return False
        try:
            async with self.db.sessions() as session:
                return await messages.seen_inbound(session, inbound.channel, inbound.message_id)
        except Exception:  # noqa: BLE001 - the database may be what failed
            return False

    async def _keep_failed(self, inbound: Inbound, exc: Exception) -> None:
        """Log the message that could not be handled, so staff can see what was asked.

        It is stored without the channel message id, so a redelivery is handled afresh."""
        try:
            async with self.db.sessions.begin() as session:
                now = self.clock()
                customer, _ = await customers.identify(session, inbound.channel, inbound.user_id, now=now)
                await messages.record_inbound(
                    session, channel=inbound.channel, channel_message_id=None, customer_id=customer.id,
                    text=(inbound.text or "")[:MAX_TEXT],
                    meta={"failed": type(exc).__name__, "message_id": inbound.message_id}, at=now)
        except Exception:  # noqa: BLE001 - the database itself may be what failed
            log.exception("could not record the failed message either")

    async def publish_in_transaction(self, session: AsyncSession, events: list[DomainEvent],
                                     now: dt.datetime) -> None:
        """Run the in-transaction handlers for `events` (also for changes staff make
        outside a conversation, e.g. on the dashboard)."""
        for event in events:
            for handler in self.in_transaction:
                await handler(session, event, now)

    async def publish(self, events: list[DomainEvent]) -> None:
        """Tell the after-commit subscribers; one failing must not stop the others."""
        for event in events:
            for handler in self.subscribers:
                try:
                    await handler(event)
                except Exception:  # noqa: BLE001 - one subscriber must not break the others
                    log.exception("event subscriber failed on %s", event)

    async def _lang_of(self, key: str, inbound: Inbound, *, ask_store: bool = True) -> str:
        """The language of the customer's saved state, else the channel's hint."""
        if ask_store:
            try:
                return DialogueState.from_dict(await self.states.load(key)).lang
            except Exception:  # noqa: BLE001
                pass
        return _lang_from_hint(inbound.lang_hint or "", "zh")


class _Redelivered(Exception):
    """The message was handled before: its turn is rolled back."""


async def _log_turn(session: AsyncSession, received: dict, answers: list[dict]) -> None:
    if not await messages.record_turn(session, received, answers):
        raise _Redelivered


def reply_lang(current: str, parse: ParseResult, *, engaged: bool, talked: bool = False) -> str:
    """The language to answer in: the message's, except that a bare yes or no ("ok",
    "yes", "好"), or in a conversation under way (`engaged`) a message not understood
    at all ("asdf"), keeps the conversation's. Such words say too little to mean a
    switch: a Chinese customer's "ok" to a Chinese summary wants the confirmation in
    Chinese, and a typo halfway through a booking is no request for English ("no need
    for a human" says more than a no, and does switch). A first
    message not understood still picks the language: it may be all we have to go on.
    Nor does a price question of a few English words ("how much?", NLU flag ``few_words``)
    in a conversation the customer has `talked` in: a Chinese customer asking "how much?"
    mid-booking got the price in English; a whole English sentence still switches.
    Nor does a message that is as much English as Chinese (flag ``either_lang``: "deep clean
    明天 3pm", or a Chinese address pasted from a map): an English customer who wrote the day
    in Chinese, or pasted the address, got the rest of the booking in Chinese."""
    if (parse.flags.get("few_words") and talked) or parse.flags.get("either_lang"):
        return current
    if parse.lang not in ("zh", "en") or parse.slots:
        return parse.lang if parse.lang in ("zh", "en") else current
    if (parse.intent in ("affirm", "deny") and not parse.flags.get("no_person")) or \
            (engaged and parse.intent == "other"):
        return current
    return parse.lang


def _lang_from_hint(hint: str, default: str) -> str:
    hint = hint.lower()
    if hint.startswith("zh"):
        return "zh"
    if hint.startswith("en"):
        return "en"
    return default
