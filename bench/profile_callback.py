"""Where a report callback's server time goes: one posted callback under cProfile.

It signs in and posts exactly as bench/reports.py does, then profiles one case, cold
(every cache cleared first) unless --cached, and prints the functions that took the
most cumulative time. It is a diagnostic: the figures to compare with the goals are
bench/reports.py's.

    python bench/profile_callback.py "Year Groups"
    python bench/profile_callback.py "360 report" --case "year to date" --cached
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reports import (  # noqa: E402
    NATIONAL_URL,
    UPDATE,
    largest_school,
    report_cases,
    signed_in_client,
)


def main(argv: list[str] | None = None) -> int:
    """Profile one report callback and print its most expensive functions."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from data.releases import current_release

    release = current_release(args.database_url)
    if release is None:
        raise SystemExit(f"No release in {args.database_url}.")
    school_id = args.school or largest_school(args.database_url, release.id)[0]
    client, forget = signed_in_client(args.database_url, school_id)
    cases = [
        c for c in report_cases(args.database_url, school_id) if c.report == args.report
    ]
    if not cases:
        raise SystemExit(f"No report called {args.report!r}.")
    case = next((c for c in cases if c.label == args.case), cases[0])

    client.post(UPDATE, json=case.body)  # the process's first call sets Dash up
    if not args.cached:
        forget()
    profile = cProfile.Profile()
    profile.enable()
    answer = client.post(UPDATE, json=case.body)
    profile.disable()
    if answer.status_code != 200:
        raise SystemExit(f"The callback answered {answer.status_code}.")

    kind = "cached" if args.cached else "cold"
    print(f"{case.report} ({case.label}), {kind}, school {school_id}")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", help='a report\'s title, e.g. "Year Groups"')
    parser.add_argument(
        "--case", help="a filter combination's label; default: the first"
    )
    parser.add_argument("--cached", action="store_true", help="profile a cached call")
    parser.add_argument("--database-url", default=NATIONAL_URL)
    parser.add_argument("--school", help="default: the school with the most pupils")
    parser.add_argument("--top", type=int, default=30, help="functions to print")
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key")
    return parser


if __name__ == "__main__":
    sys.exit(main())
