"""A cache of finished answers shared by every worker and machine, in Redis.

Each worker keeps answers in memory (`data.access.remember`); with `REDIS_URL` set, an
answer one worker computed is stored in Redis too, so the others need not compute it
again. Keys are a digest of the in-memory key, which names the release, so a new
release never serves an old answer. Values are pickled and signed with the app's
secret: an answer whose signature does not match is ignored, never unpickled.

Redis is a help, not a need: when it does not answer, the cache stays off for a short
while and every answer is computed from the database as without Redis.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import redis

log = logging.getLogger(__name__)

PREFIX = "tracker:cache:"
# Answers are kept for a week: a release is replaced within one.
EXPIRES_SECONDS = 7 * 24 * 3600
TIMEOUT_SECONDS = 0.5
# After Redis fails to answer, leave it alone this long before trying again.
PAUSE_SECONDS = 30.0
SIGNATURE_BYTES = 32
MISSING = object()


@dataclass
class SharedCache:
    """Signed, pickled answers in Redis, paused for a while after a failure."""

    client: redis.Redis
    secret: bytes
    paused_until: float = 0.0

    def get(self, key: Hashable) -> Any:
        """Return the stored answer for a key, or MISSING."""
        name = _name(key)
        if name is None or self._paused():
            return MISSING
        try:
            stored = self.client.get(name)
        except redis.RedisError as error:
            self._pause(error)
            return MISSING
        if not isinstance(stored, bytes) or len(stored) <= SIGNATURE_BYTES:
            return MISSING
        signature, payload = stored[:SIGNATURE_BYTES], stored[SIGNATURE_BYTES:]
        if not hmac.compare_digest(signature, self._sign(payload)):
            log.warning("Shared cache: ignored an answer with a wrong signature")
            return MISSING
        return pickle.loads(payload)  # noqa: S301 (signed with the app's secret)

    def put(self, key: Hashable, answer: Any) -> None:
        """Store an answer for a key, signed."""
        name = _name(key)
        if name is None or self._paused():
            return
        payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.client.set(name, self._sign(payload) + payload, ex=EXPIRES_SECONDS)
        except redis.RedisError as error:
            self._pause(error)

    def _sign(self, payload: bytes) -> bytes:
        return hmac.new(self.secret, payload, hashlib.sha256).digest()

    def _paused(self) -> bool:
        return time.monotonic() < self.paused_until

    def _pause(self, error: redis.RedisError) -> None:
        self.paused_until = time.monotonic() + PAUSE_SECONDS
        log.warning(
            "Shared cache: Redis did not answer (%s); computing answers without it "
            "for %.0f s",
            type(error).__name__,
            PAUSE_SECONDS,
        )


def connect(redis_url: str, secret: str) -> SharedCache:
    """Return a shared cache on the Redis at `redis_url`, signing with `secret`."""
    client = redis.Redis.from_url(
        redis_url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    return SharedCache(client, secret.encode("utf-8"))


def _name(key: Hashable) -> str | None:
    """Return the Redis key of an in-memory key, or None when its text is not the same
    in every process (an object shown by its address)."""
    text = repr(key)
    if " at 0x" in text:
        return None
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()
