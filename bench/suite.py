"""How long the test suite takes, serial and in parallel (pytest-xdist), and whether `make test`'s
pytest stays under issue #18's 10 minutes.

    python bench/suite.py                       # a big subset, serial then with -n auto
    python bench/suite.py --full                # the whole suite with -n auto only (as make test)
    python bench/suite.py --workers 3 tests/e2e # choose the subset and the workers

Both databases run when TEST_DATABASE_URL names a PostgreSQL server (as in CI). The load average is
printed before and after each run: figures from a busy machine are not comparable with a quiet one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBSET = ["tests/e2e", "tests/payments", "tests/orders"]
TARGET_SECONDS = 600  # issue #18: `make test` under 10 minutes in CI


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(args: list[str]) -> tuple[float, int, str]:
    before = load()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    last = (done.stdout.strip().splitlines() or [""])[-1]
    print(
        f"  pytest {' '.join(args)}\n    {seconds:.0f} s, exit {done.returncode}; load {before} -> {load()}"
    )
    print(f"    {last}")
    return seconds, done.returncode, last


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="the whole suite, parallel only")
    parser.add_argument("--workers", default="auto", help="pytest-xdist -n (default: auto)")
    parser.add_argument("paths", nargs="*", help=f"the subset (default: {' '.join(SUBSET)})")
    options = parser.parse_args()
    parallel = ["-n", options.workers, "--dist", "load"]
    databases = "sqlite + postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    print(f"CPUs {os.cpu_count()}; databases: {databases}")
    if options.full:
        seconds, code, _ = run(parallel)
        met = code == 0 and seconds < TARGET_SECONDS
        print(f"whole suite: {seconds:.0f} s; target < {TARGET_SECONDS} s: {'met' if met else 'NOT met'}")
        return 0 if met else 1
    paths = options.paths or SUBSET
    serial, serial_code, _ = run(paths)
    fast, fast_code, _ = run([*parallel, *paths])
    saved = 100 * (1 - fast / serial)
    print(f"subset: serial {serial:.0f} s, -n {options.workers} {fast:.0f} s: {saved:.0f} % less")
    return 0 if serial_code == fast_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
