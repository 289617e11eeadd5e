"""The attack script (bench/attack.py) on a small scale, in its own process (Dash
shares registered callbacks between the apps of one process, so an app built after
other tests' apps would not dispatch as a server's does): forged callbacks from four
kinds of user reach nothing outside their scope, and every refusal holds. The full
run of 10,000 forged payloads is `python bench/attack.py`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = 300
CHECKS = (
    "callback without CSRF token",
    "callback with a wrong CSRF token",
    "cookie replayed after sign-out",
    "session fixation: old cookie not signed in",
    "oversized request refused",
    "XML entity bomb rejected",
    "right password refused while locked",
    "anonymous GET",
)


def test_forged_callbacks_and_other_attacks_reach_nothing() -> None:
    run = subprocess.run(
        [sys.executable, "bench/attack.py", "--examples", str(EXAMPLES), "--seed", "7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )

    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert lines[-1].startswith("attack: PASS: ")
    assert " 0 leaks, 0 refusals not held" in lines[-1]
    counts = {
        found.group(1).strip(): int(found.group(2).replace(",", ""))
        for line in lines
        if (found := re.match(r"(.+?)\s+([\d,]+)$", line))
    }
    forged = {
        kind: n for kind, n in counts.items() if kind.startswith("forged callback (")
    }
    assert len(forged) == 4 and sum(forged.values()) == EXAMPLES
    for check in CHECKS:
        assert counts.get(check, 0) >= 1, check
