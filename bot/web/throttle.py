"""A small in-process sliding-window limiter for the public web endpoints.

Sign-in attempts per client address (a weak admin token cannot be guessed at
speed) and chat messages per visitor (a script cannot flood the dialogue and
the database). In-process on purpose: it needs no Redis, and several
processes behind a balancer only multiply the allowance.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from typing import Callable


class Throttle:
    """At most `limit` events per key in any `window` seconds; remembers `max_keys` keys."""

    def __init__(self, limit: int, window: float, *, max_keys: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.max_keys, self.clock = limit, window, max_keys, clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        cutoff = self.clock() - self.window
        while events and events[0] <= cutoff:
            events.popleft()
        return events

    def blocked(self, key: str) -> bool:
        """Whether `key` has used its allowance in the current window."""
        return len(self._recent(key)) >= self.limit

    def hit(self, key: str) -> None:
        """Count one event for `key` (the oldest keys are forgotten past `max_keys`)."""
        events = self._recent(key)
        events.append(self.clock())
        self._events[key] = events
        self._events.move_to_end(key)
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)
