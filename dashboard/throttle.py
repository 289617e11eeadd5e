"""Sign-in throttling: account lockout and per-address limits on failed sign-ins.

Failures live in the database (the `sign_in_attempts` table) or, when `redis_url` is
set, in Redis sorted sets, so every worker sees the same counts. Only failed password
or code checks are counted; tries refused because of a lock are not, so a lock ends
on time. Times are naive local times passed in by the caller (one clock for tests).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol, TypeVar

import redis
from sqlalchemy import delete, select

from data.db import session_scope
from data.schema import SignInAttempt

log = logging.getLogger(__name__)
T = TypeVar("T")

LOCK_AFTER = 5
LOCK_WINDOW = timedelta(minutes=15)
LOCK_FOR = timedelta(minutes=15)
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = timedelta(minutes=15)
RETENTION = timedelta(days=1)
REDIS_PREFIX = "tracker:sign-in:"
# Seconds to wait for Redis before using the database instead.
REDIS_TIMEOUT = 0.5


class AttemptStore(Protocol):
    """Where failed sign-ins are kept."""

    def add(self, email: str, address: str, at: datetime) -> None:
        """Keep one failed sign-in."""

    def email_failures(self, email: str, since: datetime) -> list[datetime]:
        """Return the times of an account's failures since a time, oldest first."""

    def address_failures(self, address: str, since: datetime) -> list[datetime]:
        """Return the times of an address's failures since a time, oldest first."""

    def clear_email(self, email: str) -> None:
        """Forget an account's failures (after it signs in)."""


class SqlAttempts:
    """Failed sign-ins in the `sign_in_attempts` table."""

    def __init__(self, url: str) -> None:
        self.url = url

    def add(self, email: str, address: str, at: datetime) -> None:
        """Keep one failed sign-in and drop those older than a day."""
        with session_scope(self.url) as session:
            session.execute(
                delete(SignInAttempt).where(SignInAttempt.at < at - RETENTION)
            )
            session.add(SignInAttempt(at=at, email=email[:255], address=address[:64]))

    def email_failures(self, email: str, since: datetime) -> list[datetime]:
        """Return the times of an account's failures since a time, oldest first."""
        return self._times(SignInAttempt.email == email[:255], since)

    def address_failures(self, address: str, since: datetime) -> list[datetime]:
        """Return the times of an address's failures since a time, oldest first."""
        return self._times(SignInAttempt.address == address[:64], since)

    def clear_email(self, email: str) -> None:
        """Forget an account's failures."""
        with session_scope(self.url) as session:
            session.execute(
                delete(SignInAttempt).where(SignInAttempt.email == email[:255])
            )

    def _times(self, condition, since: datetime) -> list[datetime]:  # type: ignore[no-untyped-def]
        query = (
            select(SignInAttempt.at)
            .where(condition, SignInAttempt.at >= since)
            .order_by(SignInAttempt.at)
        )
        with session_scope(self.url) as session:
            return list(session.scalars(query))


class RedisAttempts:
    """Failed sign-ins in Redis: one sorted set per account and per address.

    While Redis does not answer, failures are kept in and read from the database
    instead, so sign-in keeps working and keeps being throttled.
    """

    def __init__(self, url: str, fallback: AttemptStore) -> None:
        self.client = _redis_client(url)
        self.fallback = fallback

    def add(self, email: str, address: str, at: datetime) -> None:
        """Keep one failed sign-in under both keys; keys expire after a day."""
        self._either(
            lambda: self._add(email, address, at),
            lambda: self.fallback.add(email, address, at),
        )

    def email_failures(self, email: str, since: datetime) -> list[datetime]:
        """Return the times of an account's failures since a time, oldest first."""
        return self._either(
            lambda: self._times(_key("email", email), since),
            lambda: self.fallback.email_failures(email, since),
        )

    def address_failures(self, address: str, since: datetime) -> list[datetime]:
        """Return the times of an address's failures since a time, oldest first."""
        return self._either(
            lambda: self._times(_key("address", address), since),
            lambda: self.fallback.address_failures(address, since),
        )

    def clear_email(self, email: str) -> None:
        """Forget an account's failures, in Redis and in the database."""
        self._either(lambda: self.client.delete(_key("email", email)), lambda: None)
        self.fallback.clear_email(email)

    def _either(self, in_redis: Callable[[], T], in_database: Callable[[], T]) -> T:
        """Return what Redis answers, or the database's answer when Redis fails."""
        try:
            return in_redis()
        except redis.RedisError as error:
            log.warning(
                "Redis did not answer (%s); sign-in failures use the database", error
            )
            return in_database()

    def _add(self, email: str, address: str, at: datetime) -> None:
        stamp = at.timestamp()
        pipe = self.client.pipeline()
        for key in (_key("email", email), _key("address", address)):
            pipe.zadd(key, {f"{stamp}:{uuid.uuid4().hex}": stamp})
            pipe.zremrangebyscore(key, "-inf", (at - RETENTION).timestamp())
            pipe.expire(key, RETENTION)
        pipe.execute()

    def _times(self, key: str, since: datetime) -> list[datetime]:
        members = self.client.zrangebyscore(
            key, since.timestamp(), "+inf", withscores=True
        )
        return [datetime.fromtimestamp(float(pair[1])) for pair in members]  # type: ignore[index,union-attr]


def attempt_store(database_url: str, redis_url: str = "") -> AttemptStore:
    """Return the store for failed sign-ins: Redis when configured, else the database."""
    if redis_url:
        return RedisAttempts(redis_url, SqlAttempts(database_url))
    return SqlAttempts(database_url)


def locked_until(store: AttemptStore, email: str, now: datetime) -> datetime | None:
    """Return when an account's lock ends, or None when it is not locked.

    Five failures within 15 minutes lock the account for 15 minutes from the fifth.
    """
    times = store.email_failures(email, now - LOCK_WINDOW - LOCK_FOR)
    ends = [
        times[last] + LOCK_FOR
        for last in range(LOCK_AFTER - 1, len(times))
        if times[last] - times[last - LOCK_AFTER + 1] <= LOCK_WINDOW
    ]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > now else None


def address_blocked_until(
    store: AttemptStore, address: str, now: datetime
) -> datetime | None:
    """Return when an address may try again, or None when it is under its limit."""
    times = store.address_failures(address, now - ADDRESS_WINDOW)
    if len(times) < ADDRESS_LIMIT:
        return None
    return times[len(times) - ADDRESS_LIMIT] + ADDRESS_WINDOW


@cache
def _redis_client(url: str) -> redis.Redis:
    """Return one Redis client per URL, shared by every request of a worker."""
    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def _key(kind: str, value: str) -> str:
    return f"{REDIS_PREFIX}{kind}:{value}"
