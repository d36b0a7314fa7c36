"""Per-key mutual exclusion: one customer's messages are handled one at a time.

In-process locks serve the single-process default; Redis locks make several
processes behave as one. A lock also carries the customer's dialogue state
into and out of the turn (`Held`) and counts the message against the
customer's rate limit before it is taken (`RateLimited`), so with Redis a
message costs one round trip to count it, take the lock and read the state,
and one to save it and let go.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from storage.ratelimit import WINDOW_LUA, RateLimiter, RedisWindow
from storage.state import STATE_TTL_SECONDS, RedisStateStore, StateStore

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # how often a waiting turn retries a held lock (as redis-py's Lock does)


class LockUnavailable(Exception):
    """The lock could not be taken in time (another turn of the customer's is stuck)."""


class RateLimited(Exception):
    """The customer is over their rate limit: the message was not let in, nor the lock taken."""


@dataclass(slots=True)
class Held:
    """A customer's turn while their lock is held.

    `state` is the dialogue state read with the lock (None when there is none
    yet, or when no store was given because the caller keeps the state itself,
    e.g. in the turn's database transaction). It is decoded when first read, so
    a state that cannot be decoded fails the turn (which answers with an
    apology and frees the lock), not the taking of the lock.

    Set `keep` once the turn has committed: the lock saves it as it is released.
    A failed save is logged, not raised, because the committed turn's answer
    stands; the next message then starts from the last saved state.
    """

    raw: Any = None
    decode: Callable[[Any], dict[str, Any] | None] | None = None
    keep: dict[str, Any] | None = None

    @property
    def state(self) -> dict[str, Any] | None:
        return self.decode(self.raw) if self.decode else self.raw


class Locks(Protocol):
    def hold(self, key: str, states: StateStore | None = None,
             limiter: RateLimiter | None = None) -> AbstractAsyncContextManager[Held]:
        """Hold `key`'s lock for the `async with` block, with `states`' state for `key` in and out;
        first count the message with `limiter`, and raise `RateLimited` when it refuses it."""
        ...


async def _count(limiter: RateLimiter | None, key: str) -> None:
    if limiter is not None and not await limiter.allow(key):
        raise RateLimited(key)


async def _load(states: StateStore | None, key: str) -> dict[str, Any] | None:
    return await states.load(key) if states is not None else None


async def _keep(states: StateStore | None, key: str, held: Held) -> None:
    if states is None or held.keep is None:
        return
    try:
        await states.save(key, held.keep)
    except Exception:  # noqa: BLE001 - see Held
        log.exception("could not save the conversation state of a turn that committed")


class LocalLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str, states: StateStore | None = None,
                   limiter: RateLimiter | None = None) -> AsyncIterator[Held]:
        await _count(limiter, key)  # before waiting: a flood must not queue up for the lock
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                held = Held(await _load(states, key))
                try:
                    yield held
                finally:
                    await _keep(states, key, held)
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # forget idle keys so the dict does not grow forever
                del self._users[key]
                del self._locks[key]


# `take(lock, state, token, lease)`: take `lock` for `token` with a lease of `lease` ms;
# once taken, return {the value of `state`} ({nil} when it has none or `state` is nil), else 0.
_TAKE_LUA = """
local function take(lock, state, token, lease)
  if not redis.call('set', lock, token, 'NX', 'PX', lease) then return 0 end
  if state then return {redis.call('get', state)} end
  return {false}
end
"""
# Take lock KEYS[1] for token ARGV[1], lease ARGV[2] ms, with state KEYS[2] if given.
_TAKE = _TAKE_LUA + "return take(KEYS[1], KEYS[2], ARGV[1], ARGV[2])"
# Count the message in rate window KEYS[1] (ARGV[3..5]: now, per, seconds: see
# storage/ratelimit.py) and return -1 when it is over the limit, else take as _TAKE
# does with lock KEYS[2] and state KEYS[3].
_COUNT_AND_TAKE = WINDOW_LUA + _TAKE_LUA + """
if not counted(KEYS[1], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])) then return -1 end
return take(KEYS[2], KEYS[3], ARGV[1], ARGV[2])
"""
# Save state KEYS[2] = ARGV[2] for ARGV[3] s when given (even if the lease ran out:
# the turn has committed), then delete lock KEYS[1] only if it still holds token ARGV[1].
_LET_GO = """
if KEYS[2] then redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
# Extend lock KEYS[1] to ARGV[2] ms if it still holds token ARGV[1].
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class RedisLocks:
    """A Redis lock with a lease, so a crashed holder cannot block a customer forever.

    The lease (`timeout`) is short so a killed process frees the customer quickly,
    and a live holder renews it every third of the lease, so a long turn (a slow
    database, the Rasa backend) keeps it. Only the owner can release it: the lock
    holds a random token and is deleted only if it still holds that token, so a
    holder whose lease ran out never frees a lock someone else has taken.

    Given the RedisStateStore on the same client, the lock reads the customer's
    state in the script that takes it and writes it in the script that frees it;
    given the RedisWindow rate limit on the same client, the script that takes
    it counts the message first: two round trips a turn instead of five (Lua
    scripts, so all keys must live on one server, which a plain Redis URL
    guarantees). A message is counted once, on the first try; a waiting turn
    then polls every POLL_SECONDS for up to `wait` seconds.
    """

    def __init__(self, redis: Redis, prefix: str = "jiedan:lock:", timeout: float = 10.0,
                 wait: float = 60.0) -> None:
        self._r = redis
        self._prefix = prefix
        self._lease_ms = int(timeout * 1000)
        self._renew_every = timeout / 3
        self._wait = wait
        self._take = redis.register_script(_TAKE)
        self._count_and_take = redis.register_script(_COUNT_AND_TAKE)
        self._let_go = redis.register_script(_LET_GO)
        self._renew = redis.register_script(_RENEW)

    @asynccontextmanager
    async def hold(self, key: str, states: StateStore | None = None,
                   limiter: RateLimiter | None = None) -> AsyncIterator[Held]:
        carried = states if isinstance(states, RedisStateStore) and states.redis is self._r else None
        window = limiter if isinstance(limiter, RedisWindow) and limiter.redis is self._r else None
        if window is None:
            await _count(limiter, key)
        lock_key, token = self._prefix + key, secrets.token_hex(16)
        keys = [lock_key, carried.redis_key(key)] if carried else [lock_key]
        [raw] = await self._taken(key, keys, token, window)
        lease = _Lease(lambda: self._renew([lock_key], [token, self._lease_ms]), self._renew_every, key)
        held = Held(raw, carried.decode) if carried else Held()
        try:
            if carried is None:
                held.raw = await _load(states, key)
            yield held
        finally:
            await lease.end()
            if carried is None:
                await _keep(states, key, held)
            await self._release(key, keys, token, carried, held.keep)

    async def _taken(self, key: str, keys: list[str], token: str, window: RedisWindow | None) -> list[Any]:
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self._wait
        if window is None:
            got = await self._take(keys, [token, self._lease_ms])
        else:
            got = await self._count_and_take([window.redis_key(key), *keys],
                                             [token, self._lease_ms, *window.args()])
            if got == -1:
                raise RateLimited(key)
        while not isinstance(got, list):
            if loop.time() + POLL_SECONDS > give_up:
                raise LockUnavailable(key)
            await asyncio.sleep(POLL_SECONDS)
            got = await self._take(keys, [token, self._lease_ms])
        return got

    async def _release(self, key: str, keys: list[str], token: str, carried: RedisStateStore | None,
                       keep: dict[str, Any] | None) -> None:
        saving = carried is not None and keep is not None
        args: list[Any] = [token, carried.encode(keep), STATE_TTL_SECONDS] if saving else [token]
        try:
            if not await self._let_go(keys if saving else keys[:1], args):
                log.warning("the lock on %s had run out before the turn ended", key)
        except Exception:  # noqa: BLE001 - Redis gone: the lease frees the lock on its own; see Held
            log.exception("could not release the lock on %s%s", key,
                          " nor save the state of its turn, which committed" if saving else "")


class _Lease:
    """Renews a held lock every `every` seconds for as long as its turn runs.

    A timer rather than a task per turn: nearly every turn ends long before the
    first renewal is due, and cancelling a timer is free where a task costs a
    spawn, a cancel and an await on every message.
    """

    def __init__(self, renew: Callable[[], Awaitable[Any]], every: float, key: str) -> None:
        self._renew, self._every, self._key = renew, every, key
        self._loop = asyncio.get_running_loop()
        self._task: asyncio.Task[None] | None = None
        self._timer = self._loop.call_later(every, self._due)

    def _due(self) -> None:
        self._task = self._loop.create_task(self._run())

    async def _run(self) -> None:
        try:
            if not await self._renew():
                log.error("lost the lock on %s mid-turn", self._key)
                return
        except RedisError as e:
            log.warning("could not renew the lock on %s: %s", self._key, e)
        self._timer = self._loop.call_later(self._every, self._due)

    async def end(self) -> None:
        self._timer.cancel()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
