"""W1 floor: what checking every activities cell costs at least, next to the W1 baseline's query.

    python bench/w1_floor.py [--data DIR] [--repeat 3]

W1's baseline (`bench/w1_end_to_end.py`) reads activities.csv with DuckDB's typed CSV reader and
checks nothing. kpilang cannot do the same: DuckDB's reader rounds `12.5` seconds to 13 and
`12.345` roubles to 12.35, reads `infinity` as the year 9999 and `0x10` as 16, and says nothing
(see docs/benchmarks.md), so every cell must arrive as text and pass a strict check first. This
script times, in one process and one DuckDB connection, interleaved and best of `--repeat`:

- `baseline`: the W1 baseline's activities query, typed read and aggregation;
- `text read`: reading every activities column as text, nothing else;
- `check + aggregate`: the cheapest hand-written pass that honours data.md for the columns the
  plan reads: date-times against the ISO 8601 pattern, durations as whole seconds, both converted,
  and the two counts aggregated straight from the file, nothing kept, no row numbers, no repeated
  ids, no unknown managers, no bad-row report;
- `check + keep + aggregate`: the same pass keeping the typed rows in a table (what an evaluator
  that also serves statements, tests and the linter's history reads), then the aggregation;
- `check + Parquet + aggregate`: the same pass writing the typed rows as Parquet, as a first run
  with the cache of checked tables keeps them, then the aggregation over that file;
- `aggregate the Parquet`: the aggregation alone over the typed rows kept as Parquet, what a
  repeated run does for activities at least (the file from the previous pass).

Each line gives CPU seconds (user + system, all threads) and the ratio to the baseline's query.
The first two passes are a floor for any design that checks every cell it reads; kpilang's own
run adds the other checks of data.md and the bookkeeping that reports every bad row by line.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
START_UTC, END_UTC = "2026-06-30 21:00:00", "2026-07-31 21:00:00"
# The same pattern kpilang checks date-times against (src/kpilang/data/values.py).
ISO_DATETIME = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9]"
                r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?")
WHOLE_SECONDS = r"[0-9]+(\.0+)?"


def statements(csv: Path, parquet: Path) -> dict[str, list[str]]:
    header = csv.open(encoding="utf-8").readline().strip().split(",")
    typed = {"started_at": "TIMESTAMPTZ", "duration": "BIGINT"}
    columns = ", ".join(f"'{c}': '{typed.get(c, 'VARCHAR')}'" for c in header)
    text = f"read_csv('{csv}', header=true, all_varchar=true)"
    in_period = f"ts >= TIMESTAMP '{START_UTC}' AND ts < TIMESTAMP '{END_UTC}'"
    counts = (f"count(*) FILTER (WHERE type = 'call' AND dur >= 60 AND {in_period}), "
              f"count(*) FILTER (WHERE type = 'meeting' AND status = 'done' AND {in_period})")
    checked = (
        f"SELECT manager_id, type, status, "
        f"make_timestamp(epoch_us(TRY_CAST(started_at AS TIMESTAMPTZ))) AS ts, "
        f"TRY_CAST(duration AS BIGINT) AS dur, "
        f"NOT regexp_full_match(started_at, '{ISO_DATETIME}') OR ts IS NULL "
        f"OR (duration IS NOT NULL AND NOT regexp_full_match(duration, '{WHOLE_SECONDS}')) AS bad "
        f"FROM {text}"
    )
    return {
        "baseline": [
            f"SELECT manager_id, count(*) FILTER (WHERE type = 'call' AND duration >= 60), "
            f"count(*) FILTER (WHERE type = 'meeting' AND status = 'done') "
            f"FROM read_csv('{csv}', header=true, columns={{{columns}}}) "
            f"WHERE started_at BETWEEN TIMESTAMPTZ '{START_UTC}+00' AND "
            f"TIMESTAMPTZ '{END_UTC}+00' - INTERVAL 1 MICROSECOND GROUP BY manager_id"],
        "text read": [
            "SELECT " + ", ".join(f"count(\"{c}\")" for c in header) + f" FROM {text}"],
        "check + aggregate": [
            f"SELECT manager_id, {counts}, count(*) FILTER (WHERE bad) FROM ({checked}) "
            f"GROUP BY manager_id"],
        "check + keep + aggregate": [
            f"CREATE OR REPLACE TABLE kept AS {checked}",
            f"SELECT manager_id, {counts} FROM kept WHERE NOT bad GROUP BY manager_id",
            "DROP TABLE kept"],
        "check + Parquet + aggregate": [
            f"COPY (SELECT manager_id, type, status, ts, dur FROM ({checked}) WHERE NOT bad) "
            f"TO '{parquet}' (FORMAT parquet)",
            f"SELECT manager_id, {counts} FROM read_parquet('{parquet}') GROUP BY manager_id"],
        "aggregate the Parquet": [
            f"SELECT manager_id, {counts} FROM read_parquet('{parquet}') GROUP BY manager_id"],
    }


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "w1",
                        help="a W1 data directory (bench/generate_w1.py)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pass; the best counts")
    args = parser.parse_args()
    con = duckdb.connect()
    # The plan's timezone, as kpilang loads with it: a time without an offset is Moscow time.
    con.execute("SET TimeZone = 'Europe/Moscow'")
    kept = tempfile.TemporaryDirectory()
    passes = statements(args.data / "activities.csv", Path(kept.name) / "activities.parquet")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):  # interleaved, so that a slow moment hits every pass
        for name, sqls in passes.items():
            wall, cpu = time.perf_counter(), cpu_seconds()
            for sql in sqls:
                con.execute(sql).fetchall()
            wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
            if name not in best or cpu < best[name][1]:
                best[name] = (wall, cpu)
    base = best["baseline"][1]
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"activities.csv of {args.data}: best of {args.repeat}, {threads} DuckDB threads")
    for name, (wall, cpu) in best.items():
        print(f"  {name:28s} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {cpu / base:5.2f} × the baseline's CPU")


if __name__ == "__main__":
    main()
