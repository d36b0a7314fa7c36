"""How this service connects to Redis: one pool recipe, for riding out an outage or failing fast.

Each pool waits for a free connection instead of failing: redis-py's default
pool raises "Too many connections" past 100 commands in flight, so a burst of
messages would be answered with apologies (the lock) or go uncounted (the rate
limit). Each command holds a connection only for its own round trip, so
CONNECTIONS is ample for one process on a 2-core machine; more would only
queue longer inside Redis.
"""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

CONNECTIONS = 32


def redis_pool(url: str, *, fail_fast: bool = False) -> BlockingConnectionPool:
    """By default each command is retried on a lost connection for about two
    seconds (a Redis restart) before the caller sees the error. `fail_fast`:
    one immediate reconnect (a pooled connection gone stale across a restart),
    for callers that have a better answer than waiting (the rate limiter lets
    the message through)."""
    retry = Retry(NoBackoff(), 1) if fail_fast else Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=8)
    return BlockingConnectionPool.from_url(
        url, max_connections=CONNECTIONS, timeout=2 if fail_fast else 5,
        socket_connect_timeout=1 if fail_fast else 2, socket_timeout=2 if fail_fast else 5,
        health_check_interval=10, retry=retry, retry_on_error=[RedisConnectionError, RedisTimeoutError])
