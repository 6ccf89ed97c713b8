"""W1: `kpilang eval` end to end on a month of CRM data at scale, against a hand-written baseline.

    python bench/w1_end_to_end.py [--scale 1] [--data DIR] [--repeat 1] [--phases]

The data comes from `bench/generate_w1.py` (10 000 people, 10 M activities, 1 M deals, 1 M leads
at scale 1); it is generated into `bench/out/w1` (or `bench/out/w1-SCALE`) when absent. Two child
processes compute the same figures for the normative cold-sales plan and period 2026-07:

- `kpilang eval examples/cold_sales/cold_sales.kpi --data DIR --period 2026-07 --format json`:
  the whole path, loading and validating every row, aggregating in DuckDB, formulas in Decimal;
- the baseline: one hand-written DuckDB query per table straight over the CSV files (typed
  columns, exact DECIMAL money, no validation) and the plan's KPIs, score and pays hard-coded in
  Python over Decimal, written as JSON.

kpilang runs twice each time: first with an empty cache of checked tables (cold: every file is
read and checked, and the checked tables are kept), then again on the same export (warm: the
tables come from the cache). Each run is timed on the wall clock, and its peak RSS is read with
`os.wait4` (the child's own rusage). Before the ratios are reported, every person's score and
pays of both runs are compared with the baseline's, and the two runs' JSON with each other: the
benchmark stops if any differs. `--phases` also times, in a third child, the stages of
kpilang's run (loading, aggregation, formulas), to show where the time goes. Goals: time ratio
≤ 1.5× cold and ≤ 0.3× warm, peak RSS ≤ 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
PERIOD = "2026-07"
# July 2026 in Europe/Moscow (UTC+3, no DST) as UTC instants.
START_UTC, END_UTC = "2026-06-30 21:00:00+00", "2026-07-31 21:00:00+00"
GOAL_COLD, GOAL_WARM, GOAL_RSS_BYTES = 1.5, 0.3, 1024**3


# ---- the baseline: hand-written SQL and Decimal -------------------------------------------------

def _read(path: Path, types: dict[str, str]) -> str:
    header = path.open(encoding="utf-8").readline().strip().split(",")
    columns = ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in header)
    return f"read_csv('{path}', header=true, columns={{{columns}}})"


def baseline(data: Path, out: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    period = f"BETWEEN TIMESTAMPTZ '{START_UTC}' AND TIMESTAMPTZ '{END_UTC}' - INTERVAL 1 MICROSECOND"
    activities = {m: (c, n) for m, c, n in con.execute(
        f"SELECT manager_id, count(*) FILTER (WHERE type = 'call' AND duration >= 60), "
        f"count(*) FILTER (WHERE type = 'meeting' AND status = 'done') "
        f"FROM {_read(data / 'activities.csv', {'started_at': 'TIMESTAMPTZ', 'duration': 'BIGINT'})} "
        f"WHERE started_at {period} GROUP BY manager_id").fetchall()}
    deals = {m: (w, r, n) for m, w, r, n in con.execute(
        f"SELECT manager_id, count(*) FILTER (WHERE stage = 'won'), "
        f"coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0), "
        f"count(*) FILTER (WHERE stage = 'won' AND is_new_client) "
        f"FROM {_read(data / 'deals.csv', {'closed_at': 'TIMESTAMPTZ', 'amount': 'DECIMAL(38, 2)', 'is_new_client': 'BOOLEAN'})} "
        f"WHERE closed_at {period} GROUP BY manager_id").fetchall()}
    leads = dict(con.execute(
        f"SELECT manager_id, count(*) FROM {_read(data / 'leads.csv', {'created_at': 'TIMESTAMPTZ'})} "
        f"WHERE created_at {period} GROUP BY manager_id").fetchall())
    targets = dict(con.execute(
        f"SELECT manager_id, value FROM {_read(data / 'targets.csv', {'value': 'DECIMAL(38, 2)'})} "
        f"WHERE period = '{PERIOD}' AND name = 'revenue'").fetchall())
    managers = con.execute(
        f"SELECT id, salary FROM {_read(data / 'managers.csv', {'salary': 'DECIMAL(38, 2)'})} "
        f"WHERE role = 'cold' ORDER BY id").fetchall()

    cent = Decimal("0.01")
    cap = Decimal("1.5")
    wide = Context(prec=60)

    def contribution(weight: Decimal, value: Decimal, target: Decimal) -> Decimal:
        # As the language specifies: a rounded attainment is weighed from value and target, to
        # 60 digits, so that a score exactly on a band's edge is not a hair below it.
        ratio = value / target
        attainment = min(max(ratio, Decimal(0)), cap)
        if attainment != ratio or wide.multiply(ratio, target) == value:
            return wide.multiply(weight, attainment)
        return wide.divide(wide.multiply(weight, value), target)

    results = {}
    with localcontext(prec=34):
        for pid, salary in managers:
            calls, meetings = activities.get(pid, (0, 0))
            _won, revenue, new_clients = deals.get(pid, (0, Decimal(0), 0))
            rate = Decimal(meetings) / Decimal(calls) if calls else Decimal(0)
            score = +wide.add(wide.add(contribution(Decimal("0.5"), revenue, targets[pid]),
                                       contribution(Decimal("0.2"), rate, Decimal("0.08"))),
                              contribution(Decimal("0.3"), Decimal(new_clients), Decimal(4)))
            factor = (Decimal(0) if score < Decimal("0.7") else Decimal("0.5") if score < Decimal("0.9")
                      else Decimal(1) if score < 1 else Decimal("1.2") if score < Decimal("1.2") else Decimal("1.5"))
            bonus = min(salary * factor, 2 * salary).quantize(cent, ROUND_HALF_UP)
            commission = (Decimal("0.02") * revenue).quantize(cent, ROUND_HALF_UP)
            total = (salary + bonus + commission).quantize(cent, ROUND_HALF_UP)
            results[pid] = {"kpi_score": str(score), "pays": {"bonus": str(bonus), "commission": str(commission),
                                                               "total": str(total)}, "leads_in": leads.get(pid, 0)}
    out.write_text(json.dumps(results), encoding="utf-8")


# ---- kpilang's phases, for the breakdown --------------------------------------------------------

def phases(data: Path) -> None:
    from kpilang.compile import compile_file
    from kpilang.data import load_data
    from kpilang.evaluate import run
    from kpilang.evaluate.aggregate import run_aggregates
    from kpilang.evaluate.period import period_for_plan
    from kpilang.evaluate.aggregate_plan import collect_aggregates

    t0 = time.perf_counter()
    program = compile_file(PLAN).program
    t1 = time.perf_counter()
    dataset = load_data(data, timezone=program.plan.timezone, needs=run.data_needs(program))
    t2 = time.perf_counter()
    period = period_for_plan(PERIOD, program.plan.period)
    start, end = period.bounds_utc(program.plan.timezone)
    run_aggregates(dataset.connection, collect_aggregates(program), start=start, end=end,
                   timezone=program.plan.timezone, team=False, tables_present=set(dataset.tables))
    t3 = time.perf_counter()
    run._evaluate_loaded(program, dataset, period, start, end, False, None)
    t4 = time.perf_counter()
    print(json.dumps({"compile": t1 - t0, "load": t2 - t1, "aggregate": t3 - t2,
                      "aggregate + formulas": t4 - t3}))


# ---- measuring ----------------------------------------------------------------------------------

def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS in bytes (the child's own rusage), stdout and CPU seconds (user +
    system, all threads) of one child. On a shared machine the CPU time moves much less with
    the load than the wall time does."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        text = stdout.read().decode("utf-8")
        stderr.seek(0)
        messages = stderr.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.exit(f"w1: {' '.join(cmd)} exited with {proc.returncode}:\n{messages[-2000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return elapsed, usage.ru_maxrss * 1024, text, usage.ru_utime + usage.ru_stime


def compile_bytecode(env: dict[str, str]) -> None:
    """Compile kpilang's modules to bytecode first, as an installed package's are (pip compiles a
    wheel's modules when it installs it): with PYTHONDONTWRITEBYTECODE set, or a source tree that
    was never imported, every run would otherwise compile them again, a cost no user pays."""
    subprocess.run([sys.executable, "-c", "import compileall, os, kpilang; "
                    "compileall.compile_dir(os.path.dirname(kpilang.__file__), quiet=1)"],
                   env={**env, "PYTHONDONTWRITEBYTECODE": ""}, check=True)


def compare(kpilang_json: Path, baseline_json: Path) -> int:
    got = {r["manager_id"]: r for r in json.loads(kpilang_json.read_text(encoding="utf-8"))["results"]}
    want = json.loads(baseline_json.read_text(encoding="utf-8"))
    if set(got) != set(want):
        sys.exit(f"w1: kpilang evaluated {len(got)} people, the baseline {len(want)}")
    differing = 0
    for pid, w in want.items():
        g = got[pid]
        if g["errors"] or Decimal(g["kpi_score"]) != Decimal(w["kpi_score"]) or any(
                Decimal(g["pays"][p]) != Decimal(v) for p, v in w["pays"].items()) or int(g["metrics"]["leads_in"]) != w["leads_in"]:
            differing += 1
            if differing <= 5:
                print(f"  differs: {pid}: kpilang {g['kpi_score']} {g['pays']}; baseline {w['kpi_score']} {w['pays']}")
    return differing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1", help="data size as a fraction of W1 (default 1)")
    parser.add_argument("--data", type=Path, help="an existing W1 data directory (default: generate it)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; the best counts")
    parser.add_argument("--phases", action="store_true", help="also time kpilang's stages")
    parser.add_argument("--before", type=Path, metavar="SRC",
                        help="also run the kpilang of another source tree (its src directory, e.g. a "
                             "`git archive` of an earlier commit), interleaved, for before/after figures")
    parser.add_argument("--baseline-run", nargs=2, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--phases-run", metavar="DATA", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_run:
        baseline(Path(args.baseline_run[0]), Path(args.baseline_run[1]))
        return
    if args.phases_run:
        phases(Path(args.phases_run))
        return

    data = args.data or ROOT / "bench" / "out" / ("w1" if args.scale == "1" else f"w1-{args.scale}")
    if not (data / "managers.csv").exists():
        print(f"generating W1 data at scale {args.scale} in {data} …", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_w1.py"), "--out", str(data),
                        "--scale", args.scale], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        base_json = Path(tmp) / "baseline.json"
        cold_json, warm_json = Path(tmp) / "cold.json", Path(tmp) / "warm.json"

        def kpilang_cmd(out: Path) -> list[str]:
            return [sys.executable, "-m", "kpilang", "eval", str(PLAN), "--data", str(data), "--period", PERIOD,
                    "--format", "json", "--out", str(out)]

        baseline_cmd = [sys.executable, __file__, "--baseline-run", str(data), str(base_json)]
        cache = Path(tmp) / "cache"
        env = {**os.environ, "KPILANG_CACHE_DIR": str(cache)}
        sides = {"": (env, cache, cold_json, warm_json)}
        if args.before is not None:
            before_cache = Path(tmp) / "cache-before"
            sides["before, "] = ({**env, "KPILANG_CACHE_DIR": str(before_cache),
                                  "PYTHONPATH": str(args.before.resolve())},
                                 before_cache, Path(tmp) / "before-cold.json", Path(tmp) / "before-warm.json")
        for side_env, *_ in sides.values():
            compile_bytecode(side_env)
        cold = {side: [] for side in sides}
        warm = {side: [] for side in sides}
        base = []
        for _ in range(args.repeat):  # interleaved, so that a slow moment of the machine hits every side
            for side, (side_env, side_cache, side_cold, side_warm) in sides.items():
                shutil.rmtree(side_cache, ignore_errors=True)
                cold[side].append(measure(kpilang_cmd(side_cold), side_env))
                warm[side].append(measure(kpilang_cmd(side_warm), side_env))
            base.append(measure(baseline_cmd))
        differing = 0
        for side, (_, _, side_cold, side_warm) in sides.items():
            differing += compare(side_cold, base_json) + compare(side_warm, base_json)
            if side_cold.read_bytes() != side_warm.read_bytes():
                sys.exit(f"w1: kpilang's JSON differs between the {side}cold and the warm run")
        people = len(json.loads(base_json.read_text(encoding="utf-8")))
    if differing:
        sys.exit(f"w1: {differing} people's figures differ between kpilang and the baseline")
    t_base, rss_base, cpu_base = (min(b[0] for b in base), max(b[1] for b in base), min(b[3] for b in base))
    print(f"W1 end to end: {people} people evaluated, figures identical to the baseline (cold and warm)")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}")
    print(f"  data: {data}")
    print(f"  baseline            {t_base:8.2f} s wall {cpu_base:8.2f} s CPU   peak RSS {rss_base / 2**20:6.0f} MiB")
    rss_ours = 0
    for side in reversed(cold):  # before, then now
        for name, runs, goal in (("cold", cold[side], GOAL_COLD), ("warm", warm[side], GOAL_WARM)):
            wall, rss, cpu = min(r[0] for r in runs), max(r[1] for r in runs), min(r[3] for r in runs)
            if not side:
                rss_ours = max(rss_ours, rss)
            print(f"  kpilang eval, {side}{name}  {wall:8.2f} s wall {cpu:8.2f} s CPU   peak RSS {rss / 2**20:6.0f} MiB")
            ratio, cpu_ratio = wall / t_base, cpu / cpu_base
            met = "met" if max(ratio, cpu_ratio) <= goal else "NOT met"
            print(f"  {side}time ratio ({name})  {ratio:8.2f} × wall {cpu_ratio:6.2f} × CPU   (goal ≤ {goal} ×: {met})")
    print(f"  load average        {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min, at the end)")
    print(f"  peak RSS            {rss_ours / 2**30:8.2f} GiB (goal ≤ 1 GiB: {'met' if rss_ours <= GOAL_RSS_BYTES else 'NOT met'})")
    if args.phases:
        _, _, text, _ = measure([sys.executable, __file__, "--phases-run", str(data)])
        for name, seconds in json.loads(text.strip().splitlines()[-1]).items():
            print(f"  phase {name:22s} {seconds:8.2f} s")


if __name__ == "__main__":
    main()
