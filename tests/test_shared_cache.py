"""The cache shared by workers in Redis: one worker's answer serves another, a new
release is never served an old answer, a forged answer is ignored, and without Redis
answers are computed as before."""

from __future__ import annotations

import pytest
import redis

from data import access
from data.shared_cache import PREFIX, connect

SECRET = "shared-cache-tests"


@pytest.fixture
def shared(redis_url: str):  # type: ignore[no-untyped-def]
    """A shared cache on a throw-away Redis, emptied first; none again afterwards."""
    redis.Redis.from_url(redis_url).flushdb()
    access.clear_cache()
    cache = connect(redis_url, SECRET)
    access.share_answers(cache)
    yield cache
    access.share_answers(None)
    access.clear_cache()


def _not_again() -> object:
    raise AssertionError("computed again")


def test_an_answer_computed_by_one_worker_serves_another(shared) -> None:
    key = ("report", "sqlite:///x.db", 7, "6811001", ("autumn1",))
    assert access.remember(key, lambda: {"School %": "93.9"}) == {"School %": "93.9"}

    access.clear_cache()  # another worker: nothing in its own memory
    assert access.remember(key, _not_again) == {"School %": "93.9"}


def test_a_new_release_is_computed_afresh(shared) -> None:
    access.remember(("report", 7, "6811001"), lambda: "release 7")
    access.clear_cache()

    assert access.remember(("report", 8, "6811001"), lambda: "release 8") == "release 8"


def test_an_answer_with_a_wrong_signature_is_ignored(shared, redis_url) -> None:
    key = ("report", 7, "6811001")
    access.remember(key, lambda: "right")
    client = redis.Redis.from_url(redis_url)
    (name,) = client.keys(PREFIX + "*")
    client.set(name, b"x" * 32 + b"forged payload")
    access.clear_cache()

    assert access.remember(key, lambda: "computed") == "computed"


def test_without_redis_answers_are_computed() -> None:
    access.clear_cache()
    access.share_answers(connect("redis://127.0.0.1:1/0", SECRET))
    try:
        assert access.remember(("report", 1), lambda: "computed") == "computed"
        access.clear_cache()
        assert access.remember(("report", 1), lambda: "again") == "again"
    finally:
        access.share_answers(None)
        access.clear_cache()
