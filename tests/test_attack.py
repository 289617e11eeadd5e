"""The attack script (bench/attack.py) on a small scale: forged callbacks from four
kinds of user reach nothing outside their scope, and every refusal holds. The full run
of 10,000 forged payloads is `python bench/attack.py`."""

from __future__ import annotations

from pathlib import Path

from bench.attack import attack, passed

EXAMPLES = 300


def test_forged_callbacks_and_other_attacks_reach_nothing(tmp_path: Path) -> None:
    tally = attack(tmp_path, EXAMPLES, seed=7)

    assert tally.leaks == []
    assert tally.failed_checks == []
    assert passed(tally)
    forged = sum(n for kind, n in tally.attempts.items() if kind.startswith("forged"))
    assert forged == EXAMPLES
    # Every kind of attacker was tried, and each check below ran at least once.
    assert len([kind for kind in tally.attempts if kind.startswith("forged")]) == 4
    for check in (
        "callback without CSRF token",
        "callback with a wrong CSRF token",
        "cookie replayed after sign-out",
        "oversized request refused",
        "XML entity bomb rejected",
        "right password refused while locked",
    ):
        assert tally.attempts[check] >= 1, check
