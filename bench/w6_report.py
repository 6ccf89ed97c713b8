"""W6: `kpilang report` over twelve months against twelve single-month `kpilang eval` runs.

    python bench/w6_report.py [--scale 0.01] [--data DIR] [--repeat 1]

The data is W1's month (`bench/generate_w1.py`) repeated over twelve months, 2026-07 to 2027-06:
every activity, deal and lead of July is copied into each month (its timestamps moved by whole
months, a day past the month's end kept on its last day; ids made unique per month), and every
target is given for each month. It is written to `bench/out/w6-SCALE` when absent. At scale 1
that is 10 000 people and 120 M activities; the issue's question is whether a report over
twelve months costs more than twelve single-month evaluations, which the ratio answers at any
size.

Two sides, each in child processes, on the same data and plan (the normative cold-sales plan):

- `kpilang report PLAN --data DIR --periods 2026-07..2027-06 --out report.html` (one process:
  the data read once, twelve evaluations, the next-band search of the last month, the page);
- twelve `kpilang eval PLAN --data DIR --period P --format json` (twelve processes: the first
  reads and checks the data, the others take the checked tables from the cache).

Each side starts from an empty cache of checked tables of its own (`KPILANG_CACHE_DIR` in a
temporary directory), never the user's.

Before any time is reported, the payroll of every month on the report's page is checked against
the sum of the final pays of that month's eval JSON; the benchmark stops if one differs. Printed:
both wall times and their ratio (goal: report ≤ 12 evals, a ratio ≤ 1), both CPU times (user +
system of the children) and their ratio, and the load average at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
MONTHS = [f"2026-{m:02d}" for m in range(7, 13)] + [f"2027-{m:02d}" for m in range(1, 7)]
KPILANG = [sys.executable, "-m", "kpilang"]

# A timestamp `YYYY-MM-DDTHH:MM:SS+03:00` (or a date) moved by `k` whole months, its day kept
# within the new month.
_SHIFT = """
CREATE MACRO months_of(s, k) AS CAST(substr(s, 1, 4) AS INTEGER) * 12 + CAST(substr(s, 6, 2) AS INTEGER) - 1 + k;
CREATE MACRO shifted(s, k) AS CASE WHEN s IS NULL OR s = '' THEN s ELSE
    lpad(CAST(months_of(s, k) // 12 AS VARCHAR), 4, '0') || '-' ||
    lpad(CAST(months_of(s, k) % 12 + 1 AS VARCHAR), 2, '0') || '-' ||
    lpad(CAST(least(CAST(substr(s, 9, 2) AS INTEGER),
                    day(last_day(make_date(months_of(s, k) // 12, months_of(s, k) % 12 + 1, 1)))) AS VARCHAR), 2, '0') ||
    substr(s, 11) END;
"""

SHIFTED_COLUMNS = {
    "activities": ("started_at",),
    "deals": ("created_at", "closed_at"),
    "leads": ("created_at", "first_response_at"),
}
ID_COLUMNS = {"activities": ("id",), "deals": ("id",), "leads": ("id",)}


def generate(month: Path, out: Path) -> None:
    """Twelve months from W1's one, written as CSV into `out`."""
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(_SHIFT)
    con.execute(f"COPY (SELECT * FROM read_csv('{month / 'managers.csv'}', all_varchar=true)) "
                f"TO '{out / 'managers.csv'}' (HEADER, DELIMITER ',')")
    for table, columns in SHIFTED_COLUMNS.items():
        header = (month / f"{table}.csv").open(encoding="utf-8").readline().strip().split(",")
        select = []
        for column in header:
            if column in columns:
                select.append(f"shifted({column}, k) AS {column}")
            elif column in ID_COLUMNS[table] or column == "lead_id":
                select.append(f"CASE WHEN {column} IS NULL OR {column} = '' THEN {column} "
                              f"ELSE {column} || '-' || CAST(k AS VARCHAR) END AS {column}")
            else:
                select.append(column)
        con.execute(f"COPY (SELECT {', '.join(select)} FROM read_csv('{month / (table + '.csv')}', all_varchar=true), "
                    f"range(12) AS months(k) ORDER BY k) TO '{out / (table + '.csv')}' (HEADER, DELIMITER ',')")
    labels = ", ".join(f"({k}, '{label}')" for k, label in enumerate(MONTHS))
    con.execute(f"COPY (SELECT t.manager_id, p.label AS period, t.name, t.value "
                f"FROM read_csv('{month / 'targets.csv'}', all_varchar=true) AS t, (VALUES {labels}) AS p(k, label) "
                f"ORDER BY p.k) TO '{out / 'targets.csv'}' (HEADER, DELIMITER ',')")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time, CPU time (user + system of the child) and the finished process."""
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return wall, cpu, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="0.01", help="data size as a fraction of W1 (default 0.01)")
    parser.add_argument("--data", type=Path, help="an existing W6 data directory (default: generate it)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; the best counts")
    args = parser.parse_args()

    data = args.data
    if data is None:
        data = ROOT / "bench" / "out" / f"w6-{args.scale}"
        if not (data / "targets.csv").exists():
            month = ROOT / "bench" / "out" / f"w1-{args.scale}"
            if not (month / "targets.csv").exists():
                subprocess.run([sys.executable, str(ROOT / "bench" / "generate_w1.py"), "--out", str(month),
                                "--scale", args.scale], check=True)
            print(f"generating twelve months into {data} ...", file=sys.stderr)
            generate(month, data)

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        report_command = [*KPILANG, "report", str(PLAN), "--data", str(data), "--periods",
                          f"{MONTHS[0]}..{MONTHS[-1]}", "--out", str(page)]
        best_report = best_evals = None
        evaluations: dict[str, dict] = {}
        # Each side starts from an empty cache of checked tables of its own: the report reads
        # and checks the data once; of the twelve evals, the first does and the others take the
        # tables from the cache, as twelve evals in a row on one export do.
        cache = Path(tmp) / "cache"
        env = {**os.environ, "KPILANG_CACHE_DIR": str(cache)}
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            wall, cpu, _ = timed(report_command, env)
            best_report = min(best_report or (wall, cpu), (wall, cpu))
            wall = cpu = 0.0
            shutil.rmtree(cache, ignore_errors=True)
            for month in MONTHS:
                w, c, done = timed([*KPILANG, "eval", str(PLAN), "--data", str(data), "--period", month,
                                    "--format", "json"], env)
                wall, cpu = wall + w, cpu + c
                evaluations[month] = json.loads(done.stdout)
            best_evals = min(best_evals or (wall, cpu), (wall, cpu))
        html = page.read_text(encoding="utf-8")

    people = 0
    for month, result in evaluations.items():
        payroll = sum((Decimal(p["pays"]["total"]) for p in result["results"]
                       if not p["errors"] and p["pays"]["total"] is not None), Decimal(0))
        found = re.search(rf'data-key="payroll:{month}" data-value="([^"]+)"', html)
        if found is None or Decimal(found.group(1)) != payroll:
            sys.exit(f"the report's payroll for {month} is not the sum of eval's pays ({payroll}): stopping")
        people = max(people, len(result["results"]))

    (report_wall, report_cpu), (evals_wall, evals_cpu) = best_report, best_evals
    print(f"W6 at scale {args.scale if args.data is None else data}: {people} people paid, 12 months")
    print(f"report over 12 months : wall {report_wall:7.2f} s   cpu {report_cpu:7.2f} s")
    print(f"12 single-month evals : wall {evals_wall:7.2f} s   cpu {evals_cpu:7.2f} s")
    print(f"ratio report / evals  : wall {report_wall / evals_wall:.2f}   cpu {report_cpu / evals_cpu:.2f}   "
          f"(goal ≤ 1)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
