"""W1 cold steps: each step of a first `kpilang eval` (an empty cache) next to its floor.

    python bench/w1_cold_steps.py [--data DIR] [--repeat 2]

A cold run of `kpilang eval` on W1 (`bench/w1_end_to_end.py`'s "cold": every file read and
checked, the checked tables written to the cache) is split into its steps, each timed in CPU
seconds (user + system, all threads) in a child process that does what
`kpilang eval … --format json --out FILE` does, in the same order, with an empty cache of its own
and the collector off as the command runs. The loading steps are timed per table by wrapping the
functions `load_data` calls (each step's own time: a step called inside another is taken out of
it):

- the SHA-256 of the file (the cache's key and the run's record of inputs);
- read: the header, the relation over the file (`read_table`);
- columns measured (`plan_columns`: an aggregate pass over the cells when a column's scale or
  kind must be found, e.g. the money of deals);
- the one pass that reads, converts and checks every cell and keeps the typed rows
  (`create_checked_table`);
- row numbers: the file's line breaks counted, to prove that a row's position gives its line
  (`scan_bytes`; `kpilang eval` runs it in a second thread while DuckDB reads the file, the child
  when it is asked for, so that it is timed on its own: the same work in the same process);
- repeated keys (`find_repeats`), the bad rows found and moved out, unknown managers joined, the
  helper columns dropped (`separate_bad_rows`), the unknown managers counted (`unknown_ids`,
  `unknown_people`), the bad rows' problems written (`bad_row_problems`, `fault_problems`,
  `attributed`), the rows counted, managers' list of people (`known_people`, `People.listed`);
- the cache's Parquet written (`TableCache.keep`); the load's helper objects dropped;
- the rest of `load_data` (the connection, its settings, finding the files, the headers' checks);

then, as in `bench/w1_warm_steps.py`, the aggregates, the formulas and results of each person,
and the JSON. Beside each, its floor, measured in the same child after the run, on a DuckDB
connection of its own with the same settings (memory limit, timezone), for each table on the
columns the run checks:

- `typed read`: DuckDB's own typed CSV reader (types sniffed), the columns kept in a table: no
  rule of data.md, the W1 baseline's way of reading;
- `text read, cheapest checks, kept`: every cell as text, each converted column checked by the
  least data.md asks (a date-time against the ISO 8601 pattern, a duration or an integer as
  digits, money as a plain decimal, a boolean as `true`/`false`) and converted, a bad-row flag,
  the rows kept in a table;
- repeated keys: the cheaper of one hash aggregation and one ordered pass over the key;
- unknown managers: one anti-join with the ids of managers;
- bad-row bookkeeping: counting the flagged rows (the data is clean: nothing else is needed);
- Parquet: the kept rows written with DuckDB's `COPY … (FORMAT parquet)`;
- SHA-256: `hashlib.file_digest` of the file; line breaks: `bytes.count` over the file in
  chunks of 16 MiB.

The whole cold `kpilang eval` is timed too (best of `--repeat`, each with an empty cache), and the
child's JSON is compared byte for byte with `kpilang eval`'s own: the script stops if it differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import Future
from pathlib import Path

from w1_warm_steps import PERIOD, PLAN, ROOT, cpu, evaluate_timed, evaluation_floors, measure

TABLES = ("managers", "activities", "deals", "leads", "targets")
ISO_DATETIME = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01][0-9]|2[0-3]):[0-5][0-9]"
                r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?")
FLOOR_CHECKS = {  # kind → (pattern, DuckDB type): the least data.md asks of a converted cell
    "datetime": (ISO_DATETIME, "TIMESTAMPTZ"),
    "date": (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "DATE"),
    "duration": (r"[0-9]+(\.0+)?", "BIGINT"),
    "integer": (r"-?[0-9]+", "BIGINT"),
    "money": (r"-?[0-9]+(\.[0-9]+)?", "DECIMAL(18,{scale})"),
    "number": (r"-?[0-9]+(\.[0-9]+)?", "DECIMAL(38,{scale})"),
}


# ---- the child: one cold eval, step by step ---------------------------------------------------------

class StepClock:
    """Each wrapped function's own CPU time (a wrapped call inside another is taken out of the
    outer one), by table and step."""

    def __init__(self) -> None:
        self.times: dict[tuple[str, str], float] = defaultdict(float)
        self.table = "-"
        self._inner: list[float] = []

    def wrap(self, owner, attr: str, step: str, table_of=None, static: bool = False) -> None:
        original = getattr(owner, attr)

        def timed(*args, **kwargs):
            table = None
            if table_of is not None:
                self.table = table = table_of(args)
            self._inner.append(0.0)
            before = cpu()
            try:
                return original(*args, **kwargs)
            finally:
                spent = cpu() - before
                inner = self._inner.pop()
                self.times[(table or self.table, step)] += spent - inner
                if self._inner:
                    self._inner[-1] += spent

        setattr(owner, attr, staticmethod(timed) if static else timed)


def steps_run(data: Path, out: Path) -> None:
    """Print one JSON object: [table, step, CPU seconds] rows, the floors likewise."""
    import gc

    gc.disable()  # as `kpilang eval` runs (kpilang.cli.RUN_WITHOUT_COLLECTOR)
    import duckdb  # noqa: F401  (timed on their own by the parent)
    import pydantic  # noqa: F401

    start = cpu()
    from kpilang.cli import refusals
    from kpilang.cli.common import table_cache
    from kpilang.cli.run_inputs import lint_warning, load_plan
    from kpilang.data import attribution, loader, validation
    from kpilang.data.readers import csv_file
    from kpilang.data.table_cache import TableCache
    from kpilang.evaluate import run
    from kpilang.messages import language
    from kpilang.payouts.json import render_json

    clock = StepClock()
    clock.times[("-", "kpilang's modules")] = cpu() - start
    lang = language(None)
    start = cpu()
    compiled = load_plan(str(PLAN), verb="computed", lang=lang)
    lint_warning(str(PLAN), compiled, verb="computed", lang=lang)
    program = compiled.program
    clock.times[("-", "compile and lint the plan")] = cpu() - start

    plans: dict[str, list] = {}

    class RightAway:
        """The line breaks counted when asked rather than in a second thread, so that they are
        timed on their own (the same work, in the same process)."""

        @staticmethod
        def submit(function, *args):
            done = Future()
            done.set_result(function(*args))
            return done

    csv_file._SCANNER = RightAway()
    original_plan_columns = loader.plan_columns

    def plan_columns(con, raw, spec, columns_read):
        plans[spec.name] = found = original_plan_columns(con, raw, spec, columns_read)
        return found

    loader.plan_columns = plan_columns
    by_arg = lambda i: (lambda args: args[i])  # noqa: E731
    clock.wrap(TableCache, "hashed_file", "SHA-256 of the file", lambda args: args[1])
    clock.wrap(loader, "read_table", "read: header, relation", by_arg(1))
    # (owner, function, step): the steps called inside a table's reading or check, timed for it.
    for owner, function, step in (
            (csv_file, "scan_bytes", "row numbers: line breaks counted"),
            (loader, "plan_columns", "columns measured"),
            (loader, "build_checks", "read, converted, checked: one pass"),
            (loader, "create_checked_table", "read, converted, checked: one pass"),
            (loader, "known_people", "managers: the people listed"),
            (validation, "find_repeats", "repeated keys"),
            (loader, "separate_bad_rows", "bad rows found and moved out, unknown managers joined"),
            (loader, "bad_row_problems", "bad rows' problems written"),
            (loader, "fault_problems", "bad rows' problems written"),
            (loader, "attributed", "bad rows' problems written"),
            (loader, "unknown_ids", "unknown managers counted"),
            (loader, "unknown_people", "unknown managers counted"),
            (loader, "count_rows", "rows counted"),
            (TableCache, "keep", "the cache's Parquet written"),
            (loader, "drop_load_objects", "the load's helper objects dropped"),
    ):
        clock.wrap(owner, function, step)
    clock.wrap(loader, "_validate", "the rest of the check", lambda args: args[2].name)
    clock.wrap(attribution.People, "listed", "managers: the people listed", static=True)
    clock.wrap(loader, "load_data", "the rest of load_data", lambda args: "-")

    dataset = loader.load_data(data, timezone=program.plan.timezone, needs=run.data_needs(program),
                               cache=table_cache(False))

    report, aggregates_cpu, rest_cpu = evaluate_timed(program, dataset)
    clock.times[("-", "aggregates")] = aggregates_cpu
    clock.times[("-", "formulas and the results of each person")] = rest_cpu
    start = cpu()
    text = render_json(report, lang, refusals.fatal_list())
    out.write_text(text, encoding="utf-8", newline="")
    clock.times[("-", "the JSON, written")] = cpu() - start

    # ---- floors
    floors: dict[tuple[str, str], float] = defaultdict(float)
    (floors[("-", "aggregates")], floors[("-", "formulas and the results of each person")],
     floors[("-", "the JSON, written")]) = evaluation_floors(program, dataset, report, lang)
    del report
    dataset.close()
    table_floors(data, {t: [(p.name, p.kind.value, p.scale) for p in ps] for t, ps in plans.items()},
                 program.plan.timezone, floors)
    print(json.dumps({"steps": [[t, s, v] for (t, s), v in clock.times.items()],
                      "floors": [[t, s, v] for (t, s), v in floors.items()]}))


def table_floors(data: Path, plans: dict[str, list[tuple[str, str, int | None]]], timezone: str,
                 floors: dict[tuple[str, str], float]) -> None:
    """The floor of each loading step, per table, on a connection of its own."""
    import duckdb

    from kpilang.data.loader import memory_limit, spill_directory

    con = duckdb.connect(config={"temp_directory": spill_directory(), "memory_limit": memory_limit()})
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET TimeZone = '{timezone}'")
    keys = {"managers": "id", "activities": "id", "deals": "id", "leads": "id", "targets": None}
    with tempfile.TemporaryDirectory() as kept:
        for table in TABLES:
            path = data / f"{table}.csv"
            columns = plans[table]
            names = ", ".join(f'"{name}"' for name, _, _ in columns)

            def timed(step: str, *sqls: str) -> None:
                start = cpu()
                for sql in sqls:
                    con.execute(sql).fetchall()
                floors[(table, step)] += cpu() - start

            timed("typed read", f"CREATE OR REPLACE TABLE typed AS SELECT {names} FROM read_csv('{path}', header=true)",
                  "DROP TABLE typed")
            converted, bad = [], []
            for name, kind, scale in columns:
                if kind == "bool":
                    converted.append(f"\"{name}\" = 'true' AS \"{name}\"")
                    bad.append(f"(\"{name}\" IS NOT NULL AND \"{name}\" NOT IN ('true', 'false'))")
                elif kind in FLOOR_CHECKS:
                    pattern, duck_type = FLOOR_CHECKS[kind]
                    duck_type = duck_type.format(scale=scale or 0)
                    converted.append(f"CASE WHEN regexp_full_match(\"{name}\", '{pattern}') "
                                     f"THEN TRY_CAST(\"{name}\" AS {duck_type}) END AS \"{name}\"")
                    bad.append(f"(\"{name}\" IS NOT NULL AND NOT regexp_full_match(\"{name}\", '{pattern}'))")
                else:
                    converted.append(f'"{name}"')
            flag = " OR ".join(bad) or "false"
            timed("text read, cheapest checks, kept",
                  f"CREATE OR REPLACE TABLE checked AS SELECT {', '.join(converted)}, {flag} AS _bad "
                  f"FROM read_csv('{path}', header=true, all_varchar=true)")
            key = keys[table]
            if key is not None:
                start = cpu()
                con.execute(f"SELECT count(*) FROM (SELECT \"{key}\" FROM checked GROUP BY ALL HAVING count(*) > 1)").fetchall()
                hashed = cpu() - start
                start = cpu()
                con.execute(f"SELECT count(*) FILTER (WHERE k <= p) FROM (SELECT \"{key}\" AS k, "
                            f"lag(\"{key}\") OVER () AS p FROM checked)").fetchall()
                floors[(table, "repeated keys")] += min(hashed, cpu() - start)
            if table == "managers":
                timed("managers: the people listed", "CREATE OR REPLACE TABLE people AS SELECT DISTINCT id FROM checked")
            else:
                timed("unknown managers", "SELECT count(*) FROM checked c ANTI JOIN people p ON c.manager_id = p.id")
            timed("bad-row bookkeeping", "SELECT count(*) FROM checked WHERE _bad")
            if table != "managers":
                timed("the cache's Parquet written",
                      f"COPY (SELECT {names} FROM checked WHERE NOT _bad) TO '{kept}/{table}.parquet' (FORMAT parquet)")
            con.execute("DROP TABLE checked")
            start = cpu()
            with path.open("rb") as stream:
                hashlib.file_digest(stream, "sha256")
            floors[(table, "SHA-256 of the file")] += cpu() - start
            start = cpu()
            buffer = bytearray(16 * 1024 * 1024)
            with path.open("rb", buffering=0) as stream:
                while size := stream.readinto(buffer):
                    memoryview(buffer)[:size].tobytes().count(b"\n")
            floors[(table, "row numbers: line breaks counted")] += cpu() - start
    con.close()


# ---- the parent ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "w1",
                        help="a W1 data directory (bench/generate_w1.py)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side; the best counts")
    parser.add_argument("--steps-run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps_run:
        steps_run(Path(args.steps_run[0]), Path(args.steps_run[1]))
        return
    if not (args.data / "managers.csv").exists():
        sys.exit(f"w1 cold steps: no W1 data in {args.data} (bench/generate_w1.py makes it)")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "KPILANG_CACHE_DIR": str(cache)}
        python = [sys.executable]
        subprocess_env = {**env, "PYTHONDONTWRITEBYTECODE": ""}
        measure([*python, "-c", "import compileall, os, kpilang; "
                 "compileall.compile_dir(os.path.dirname(kpilang.__file__), quiet=1)"], subprocess_env)
        eval_json, steps_json = Path(tmp) / "eval.json", Path(tmp) / "steps.json"
        argv = ["eval", str(PLAN), "--data", str(args.data), "--period", PERIOD, "--format", "json",
                "--out", str(eval_json)]
        baseline_cmd = [*python, str(ROOT / "bench" / "w1_end_to_end.py"), "--baseline-run", str(args.data),
                        str(Path(tmp) / "baseline.json")]
        whole, libraries, base = [], [], []
        best: dict[tuple[str, str, str], float] = {}
        for _ in range(args.repeat):  # interleaved, so that a slow moment hits every side
            shutil.rmtree(cache, ignore_errors=True)
            whole.append(measure([*python, "-m", "kpilang", *argv], env)[0])
            libraries.append(measure([*python, "-c", "import duckdb, pydantic"], env)[0])
            base.append(measure(baseline_cmd, env)[0])
            shutil.rmtree(cache, ignore_errors=True)
            _, text = measure([*python, __file__, "--steps-run", str(args.data), str(steps_json)], env)
            found = json.loads(text.strip().splitlines()[-1])
            for side in ("steps", "floors"):
                for table, step, seconds in found[side]:
                    name = (side, table, step)
                    best[name] = min(seconds, best.get(name, seconds))
        if steps_json.read_bytes() != eval_json.read_bytes():
            sys.exit("w1 cold steps: the steps' JSON differs from kpilang eval's")
    print(f"W1 cold steps: {args.data}, best of {args.repeat}, CPU seconds (user + system)")
    print(f"  {'the W1 baseline (typed reads, DuckDB + Decimal, no checks)':66s} {min(base):6.2f}")
    print(f"  {'kpilang eval, cold, the whole run':66s} {min(whole):6.2f}   {min(whole) / min(base):5.2f} × the baseline")
    print(f"  {'python, import duckdb, pydantic':66s} {min(libraries):6.2f}   (a floor)")
    total = min(libraries)
    # Under data.md's rules: every step at its floor; a step without one counts as it is.
    floor_total = min(libraries)
    for table in ("-", *TABLES):
        steps = sorted((s, v) for (side, t, s), v in best.items() if side == "steps" and t == table)
        floors = {s: v for (side, t, s), v in best.items() if side == "floors" and t == table}
        for step, seconds in steps:
            total += seconds
            floor = floors.pop(step, None)
            beside = f"   floor {floor:6.2f}" if floor is not None else ""
            # A step below the floor written here is itself the cheapest way known.
            floor_total += seconds if floor is None else min(seconds, floor)
            print(f"  {table:10s} {step:55s} {seconds:6.2f}{beside}")
        for step, seconds in sorted(floors.items()):
            print(f"  {table:10s} {'floor: ' + step:55s} {'':6s}   floor {seconds:6.2f}")
            if step in ("text read, cheapest checks, kept", "unknown managers", "bad-row bookkeeping"):
                floor_total += seconds
    # The steps whose floor is the text read and checks: that pass covers them.
    covered = ("read, converted, checked: one pass", "columns measured", "read: header, relation",
               "bad rows found and moved out, unknown managers joined", "bad rows' problems written",
               "unknown managers counted", "the rest of the check", "rows counted",
               "the load's helper objects dropped")
    floor_total -= sum(v for (side, t, s), v in best.items() if side == "steps" and t != "-" and s in covered)
    print(f"  {'sum of the steps':66s} {total:6.2f}")
    print(f"  {'the rest of the run (the command line, exit)':66s} {min(whole) - total:6.2f}")
    print(f"  {'the floors summed (a step below its floor or without one: as it is)':66s} {floor_total:6.2f}   "
          f"{floor_total / min(base):5.2f} × the baseline")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min, at the end)")


if __name__ == "__main__":
    main()
