"""W7: `kpilang eval` from PostgreSQL against the same data from CSV files, side by side.

    python bench/w7_warehouse.py [--scale 0.02] [--repeat 3] [--baseline-src DIR]

The W1 data (bench/generate_w1.py) at the given scale is generated into a temporary directory,
loaded into a real PostgreSQL server started for the run (Debian's package, as in the warehouse
tests: initdb and pg_ctl in a temporary directory, a unix socket of its own) as typed tables, and
the normative cold-sales plan is evaluated for 2026-07 both ways, each as its own
`kpilang eval … --format json` process:

- files: every CSV row read, checked and loaded into DuckDB in the kpilang process, then
  aggregated there;
- PostgreSQL: the checks and the aggregates run as SQL in the server; only counts, the first bad
  rows and one row per person come back.

With `--baseline-src DIR` (the `src` folder of another checkout of kpilang, e.g. one extracted with
`git archive main | tar -x -C /tmp/base`), a third process per round evaluates from the same server
with that code (`PYTHONPATH=DIR`), so a change of the engine path is measured side by side against
its baseline, on the same data, in the same run.

Every person's figures are compared before any time is reported (the run stops if one differs).
It prints the median wall time of each, their ratio, and the peak RSS of the kpilang process.
The default scale (2 % of W1: 200 people, 200 000 activities) takes about two minutes on two
shared cores; the server runs on the same machine, so the comparison shows where the work is done,
not a network. Results and their reading: docs/benchmarks.md, "W7 warehouse".
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "warehouse"))

from warehouse_engines import clean_tables, load_postgres, postgres_binaries, start_postgres  # noqa: E402
from generate_w1 import Generator, parse_scale  # noqa: E402

PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
PERIOD = "2026-07"
TIMEZONE = "Europe/Moscow"


def run_eval(data: str, src: str | None = None) -> tuple[float, int, dict]:
    """Wall seconds, peak RSS in bytes and the JSON report of one `kpilang eval` process (with the
    kpilang of `src` first on the path, when given)."""
    command = [sys.executable, "-m", "kpilang", "eval", str(PLAN), "--data", data, "--period", PERIOD,
               "--format", "json"]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        env = None if src is None else {**os.environ, "PYTHONPATH": src}
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        report = json.loads(out.read())
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"kpilang eval --data {data} failed")
    return elapsed, usage.ru_maxrss * 1024, report


def figures(report: dict) -> dict:
    return {r["manager_id"]: (r["metrics"], r["pays"], r["errors"]) for r in report["results"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=parse_scale, default=Decimal("0.02"), help="fraction of W1 (default 0.02)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the median is reported (default 3)")
    parser.add_argument("--baseline-src", help="also evaluate from PostgreSQL with the kpilang of this src folder")
    args = parser.parse_args(argv)
    # A run stopped from outside (timeout, kill) still stops its server and removes its files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if postgres_binaries() is None:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
    with tempfile.TemporaryDirectory(prefix="kpilang-w7-") as work:
        data = Path(work) / "data"
        Generator(data, args.scale, 1).run()
        server = start_postgres()
        try:
            started = time.perf_counter()
            with server.connect() as con:
                load_postgres(con, clean_tables(data, TIMEZONE, Path(work)))
                con.execute("ANALYZE")
            print(f"loaded into PostgreSQL in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            sources = [("files", str(data), None), ("postgres", server.url, None)]
            if args.baseline_src:
                sources.append(("baseline", server.url, str(Path(args.baseline_src).resolve())))
            runs: dict[str, list] = {name: [] for name, _, _ in sources}
            reports = {}
            for _ in range(args.repeat):
                for name, source, src in sources:
                    elapsed, rss, report = run_eval(source, src)
                    runs[name].append((elapsed, rss))
                    reports[name] = report
            for name in runs:
                if figures(reports["files"]) != figures(reports[name]):
                    raise SystemExit(f"the figures of {name} differ from the files'")
        finally:
            server.stop()
    rows = sum(t["rows_read"] for t in reports["files"]["tables"])
    print(f"W7 at scale {args.scale}: {len(reports['files']['results'])} people, {rows} rows, median of {args.repeat}")
    print(f"{'source':<10} {'wall s':>8} {'peak RSS MB':>12}")
    medians = {}
    for name, measured in runs.items():
        medians[name] = statistics.median(e for e, _ in measured)
        print(f"{name:<10} {medians[name]:>8.2f} {max(r for _, r in measured) / 2**20:>12.0f}")
    print(f"ratio postgres / files: {medians['postgres'] / medians['files']:.2f}")
    if "baseline" in medians:
        print(f"ratio postgres / baseline postgres: {medians['postgres'] / medians['baseline']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
