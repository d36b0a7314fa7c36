"""The optional Rasa backend: a running Rasa server's `POST /model/parse`.

A business that trains its own Rasa model on `nlu/data` (Rasa 3.x runs on
Python < 3.11, so it is a separate process) points `JIEDAN_NLU_BACKEND=rasa`
and `JIEDAN_RASA_URL` at it. Rasa decides the intent and which entities the
message holds; each entity's text is then read by the embedded pipeline's
own normalisers, so dates follow the contract's rules ("下周六" is the
following week's Saturday), phones come out as digits or E.164 and services
as catalog ids, exactly as with the embedded backend. When the server cannot
be reached the embedded parser answers: a customer is never left waiting on
a model server.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import aiohttp

from nlu.pipeline import NluParser
from nlu.types import INTENTS, SLOT_NAMES, ParseResult

log = logging.getLogger(__name__)

# Slots whose value must come out of a normaliser; the others are kept as written.
_TYPED = {"service", "date", "time", "period", "phone", "quantity", "rating", "order_ref"}


_OWN_SLOT_FLAGS = frozenset({"more", "destination"})

class RasaParser:
    """Same interface as `NluParser`; `parse_async` is the one the dialogue uses."""

    def __init__(self, url: str, embedded: NluParser, *, timeout: float = 3.0, token: str | None = None) -> None:
        self.url = url.rstrip("/") + "/model/parse"
        self.embedded = embedded
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.params = {"token": token} if token else {}
        self._session: aiohttp.ClientSession | None = None

    async def parse_async(self, text: str, now: datetime | None = None,
                          expected: str | None = None) -> ParseResult:
        try:
            answer = await self._post(text)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as e:
            log.warning("Rasa at %s did not answer (%s): using the embedded NLU", self.url, e)
            return self.embedded.parse(text, now=now, expected=expected)
        return self.from_rasa(answer, text, now, expected)

    def parse(self, text: str, now: datetime | None = None, expected: str | None = None) -> ParseResult:
        """For `jiedan nlu parse`, which runs outside an event loop."""
        async def once() -> ParseResult:
            try:
                return await self.parse_async(text, now, expected)
            finally:
                await self.close()
        return asyncio.run(once())

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _post(self, text: str) -> dict[str, Any]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        async with self._session.post(self.url, json={"text": text}, params=self.params) as resp:
            if resp.status != 200:
                raise ValueError(f"HTTP {resp.status}")
            body = await resp.json(content_type=None)
        if not isinstance(body, dict):
            raise ValueError("not a Rasa parse result")
        return body

    def from_rasa(self, answer: dict[str, Any], text: str, now: datetime | None,
                  expected: str | None) -> ParseResult:
        """Rasa's response shape (`intent`, `entities`) → our `ParseResult`."""
        # The one full parse of the message: language and dialogue flags (some flags
        # depend on the embedded intent, so nothing cheaper gives the same ones).
        base = self.embedded.parse(text, now=now, expected=expected)
        intent_obj = answer.get("intent") or {}
        name = intent_obj.get("name")
        intent = name if name in INTENTS else "other"
        confidence = float(intent_obj.get("confidence") or 0.0)
        slots: dict[str, Any] = {}
        for ent in answer.get("entities") or []:
            kind, value = ent.get("entity"), ent.get("value")
            if kind not in SLOT_NAMES or value is None:
                continue
            start, end = ent.get("start"), ent.get("end")
            written = text[start:end] if isinstance(start, int) and isinstance(end, int) else str(value)
            slots.update(self._normalised(kind, written, str(value), now))
        ordered = {k: slots[k] for k in SLOT_NAMES if k in slots}
        # Flags about the embedded reading's own slots (a second booking split off, a move's
        # end) do not fit Rasa's slots, read from the whole message.
        flags = {k: v for k, v in base.flags.items() if k not in _OWN_SLOT_FLAGS}
        return ParseResult(intent, max(0.0, min(1.0, confidence)), ordered, base.lang, flags)

    def _normalised(self, kind: str, written: str, value: str, now: datetime | None) -> dict[str, Any]:
        """One entity through its own slot's reader (`NluParser.read_slot`), not a whole
        parse: Rasa already said what the text is. Typed slots the reader cannot
        confirm are dropped; free text the reader does not recognise is kept as written."""
        if kind == "service" and value in self.embedded.service_ids:
            return {"service": value}  # Rasa's synonym mapper already gave the catalog id
        for candidate in (value, written):
            found = self.embedded.read_slot(kind, candidate, now)
            if found:
                return found
        if kind in _TYPED:
            return {}  # never guess a slot the normalisers cannot confirm
        return {kind: written.strip()}
