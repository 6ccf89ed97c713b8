"""W1 warm steps: each step of a repeated `kpilang eval` (tables from the cache) next to its floor.

    python bench/w1_warm_steps.py [--data DIR] [--repeat 3]

A warm run of `kpilang eval` on W1 (`bench/w1_end_to_end.py`'s "warm") is split into the steps
`kpilang eval … --format json --out FILE` takes, each timed in CPU seconds (user + system, all
threads) in a child process that does just what the command does, in the same order; beside each,
what the step costs at least, measured in the same child on the same values:

- Python and `import duckdb, pydantic`: the interpreter and the two libraries every run needs
  (their own floor);
- kpilang's modules (and the libraries they import): every module a warm eval ends up with,
  imported up front. Floor: the import time (`-X importtime`, "self") of the modules whose code
  the run calls, against that of all of them (found by a profiled run of the same command);
- compile and lint the plan (as `kpilang eval` does before and after the figures);
- the tables from the cache (managers read and checked): `load_data` with the cache;
- aggregates over the Parquet: `run_aggregates`. Floor: the same queries in DuckDB, their rows
  fetched, nothing converted;
- formulas and the results of each person: the rest of the evaluation. Floor: the formula
  engine over each person's prepared inputs, one outcome kept per person;
- the JSON (`render_json`), then the file. Floor: every figure written as text (the `Decimal`
  formatting the contract needs) and the same document, as dicts made beforehand, through the
  standard C encoder without an indent (the least Python can write its strings for).

The first run fills the benchmark's own cache; the child then runs `--repeat` times and the best
of each step counts. The child's JSON is compared byte for byte with `kpilang eval`'s own and the
script stops if it differs. The whole warm `kpilang eval` is timed too (best of `--repeat`), so
the steps can be held against the total.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "cold_sales" / "cold_sales.kpi"
PERIOD = "2026-07"


def cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---- the child: one warm eval, step by step -------------------------------------------------------

def steps_run(data: Path, modules_file: Path, out: Path) -> None:
    """Print one JSON object: step → CPU seconds, and each floor."""
    import gc

    gc.disable()  # as `kpilang eval` runs (kpilang.cli.RUN_WITHOUT_COLLECTOR)
    import duckdb  # noqa: F401  (timed on their own by the parent)
    import pydantic  # noqa: F401

    times: dict[str, float] = {}
    start = cpu()
    for name in json.loads(modules_file.read_text(encoding="utf-8")):
        __import__(name)
    times["kpilang's modules"] = cpu() - start

    from kpilang.cli.common import table_cache
    from kpilang.cli.run_inputs import lint_warning, load_plan
    from kpilang.data import load_data
    from kpilang.evaluate import run
    from kpilang.payouts.json import render_json
    from kpilang.cli import refusals
    from kpilang.messages import language

    lang = language(None)

    start = cpu()
    compiled = load_plan(str(PLAN), verb="computed", lang=lang)
    lint_warning(str(PLAN), compiled, verb="computed", lang=lang)
    program = compiled.program
    times["compile and lint the plan"] = cpu() - start

    start = cpu()
    dataset = load_data(data, timezone=program.plan.timezone, needs=run.data_needs(program), cache=table_cache(False))
    times["the tables from the cache, managers checked"] = cpu() - start

    report, aggregates_cpu, rest_cpu = evaluate_timed(program, dataset)
    times["aggregates over the Parquet"] = aggregates_cpu
    times["formulas and the results of each person"] = rest_cpu

    start = cpu()
    text = render_json(report, lang, refusals.fatal_list())
    times["the JSON"] = cpu() - start
    start = cpu()
    out.write_text(text, encoding="utf-8", newline="")
    times["the JSON written to its file"] = cpu() - start

    # ---- floors, on the same values
    aggregates_floor, formulas_floor, json_floor = evaluation_floors(program, dataset, report, lang)
    times["floor: aggregates over the Parquet"] = aggregates_floor
    times["floor: formulas and the results of each person"] = formulas_floor
    times["floor: the JSON"] = json_floor
    dataset.close()
    print(json.dumps(times))


def evaluate_timed(program, dataset):
    """The evaluation of `kpilang eval` on loaded tables: the report, the CPU seconds of the
    aggregates' queries and of the rest (formulas and each person's results)."""
    from kpilang.evaluate import run
    from kpilang.evaluate.period import period_for_plan

    period = period_for_plan(PERIOD, program.plan.period)
    begin, end = period.bounds_utc(program.plan.timezone)
    aggregates_cpu = []
    timed_aggregates = run.run_aggregates

    def aggregates(*args, **kwargs):
        before = cpu()
        try:
            return timed_aggregates(*args, **kwargs)
        finally:
            aggregates_cpu.append(cpu() - before)

    run.run_aggregates = aggregates
    start = cpu()
    try:
        report = run._evaluate_loaded(program, dataset, period, begin, end, False, None)
    finally:
        run.run_aggregates = timed_aggregates
    whole = cpu() - start
    return report, sum(aggregates_cpu), whole - sum(aggregates_cpu)


def evaluation_floors(program, dataset, report, lang) -> tuple[float, float, float]:
    """CPU seconds of the floors of the aggregates (the same queries, rows fetched, nothing
    converted), the formulas (the engine alone over each person's prepared inputs) and the JSON
    (every figure formatted, the same document through the C encoder without an indent)."""
    from kpilang.cli import refusals
    from kpilang.evaluate.formulas import FormulaEngine
    from kpilang.evaluate.period import period_for_plan
    from kpilang.evaluate.aggregate_plan import collect_aggregates
    from kpilang.evaluate.sql import build_query
    from kpilang.payouts.json import to_json

    begin, end = period_for_plan(PERIOD, program.plan.period).bounds_utc(program.plan.timezone)
    plan = collect_aggregates(program)
    con = dataset.connection
    start = cpu()
    for table, listed in sorted(plan.by_table.items()):
        query = build_query(table, listed, table_ref=f'"{table}"', managers_ref='"managers"', start=begin, end=end,
                            timezone=program.plan.timezone, team=False, column_type=dataset.column_type)
        con.execute(query.sql, query.params).fetchall()
    aggregates = cpu() - start
    engine = FormulaEngine(program)
    prepared = [(r.manager_id, r.inputs) for r in report.results]
    start = cpu()
    kept = [(pid, engine.evaluate(inputs, trace=False)) for pid, inputs in prepared]
    formulas = cpu() - start
    del kept
    figures = [v for r in report.results for v in _figures(r)]
    document = to_json(report, lang)  # the same values as dicts, made beforehand
    document["fatal"] = refusals.fatal_list()
    start = cpu()
    for value in figures:
        format(value, "f")
    json.dumps(document, ensure_ascii=False)
    return aggregates, formulas, cpu() - start


def _figures(result):
    """Every Decimal the JSON writes for one person."""
    yield from (v for v in result.metrics.values() if v is not None)
    outcome = result.outcome
    if outcome is None:
        return
    for kpi in outcome.kpis.values():
        yield from (v for v in (kpi.value, kpi.target, kpi.attainment, kpi.weight, kpi.contribution) if v is not None)
    if outcome.kpi_score is not None:
        yield outcome.kpi_score
    yield from (p.value for p in outcome.pays.values() if p.value is not None)


# ---- which modules a warm eval imports, and which of them it runs -----------------------------------

def discover_run(argv: list[str], profile_out: Path, modules_out: Path) -> None:
    """Run `kpilang eval` in this process under cProfile; write the kpilang and third-party
    modules it ends with (to import up front in the steps child)."""
    import cProfile
    import runpy

    before = set(sys.modules)
    sys.argv = ["kpilang", *argv]
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        runpy.run_module("kpilang", run_name="__main__")
    except SystemExit as exited:
        if exited.code not in (None, 0):
            raise
    finally:
        profiler.disable()
    profiler.dump_stats(str(profile_out))
    # Not the command's own entry point: importing it runs the command.
    modules = sorted(m for m in set(sys.modules) - before if not m.startswith("__") and not m.endswith("__main__"))
    modules_out.write_text(json.dumps(modules), encoding="utf-8")


def import_floor(python: list[str], env: dict[str, str], argv: list[str], profile: Path) -> tuple[float, float, int, int]:
    """Import time (-X importtime, self, seconds) of every kpilang module a warm eval imports, and
    of those whose functions it calls (beyond running the module itself), with their counts."""
    done = subprocess.run([*python, "-X", "importtime", "-m", "kpilang", *argv], env=env,
                          capture_output=True, text=True)
    self_us: dict[str, int] = {}
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s+(\S+)", line)
        if found and found.group(2).startswith("kpilang"):
            self_us[found.group(2)] = int(found.group(1))
    stats = pstats.Stats(str(profile))
    called = set()
    for (filename, _line, function), *_ in stats.stats.items():  # type: ignore[attr-defined]
        if function != "<module>" and "/kpilang/" in filename:
            called.add(_module_name(filename))
    used = {m: us for m, us in self_us.items() if m in called}
    if os.environ.get("W1_STEPS_LIST_UNUSED"):
        for m, us in sorted(self_us.items(), key=lambda item: -item[1]):
            if m not in used:
                print(f"  imported, never run: {m} {us} µs")
    return sum(self_us.values()) / 1e6, sum(used.values()) / 1e6, len(self_us), len(used)


def _module_name(filename: str) -> str:
    tail = filename[filename.rindex("/kpilang/") + 1:].removesuffix(".py").replace("/", ".")
    return tail.removesuffix(".__init__")


# ---- the parent ---------------------------------------------------------------------------------------

def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    with tempfile.TemporaryFile() as stdout:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"w1 warm steps: {' '.join(map(str, cmd))} exited with {code}:\n{stderr[-2000:]}")
        stdout.seek(0)
        return usage.ru_utime + usage.ru_stime, stdout.read().decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "bench" / "out" / "w1",
                        help="a W1 data directory (bench/generate_w1.py)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts")
    parser.add_argument("--steps-run", nargs=3, help=argparse.SUPPRESS)
    if sys.argv[1:2] == ["--discover-run"]:  # the rest is kpilang's command line, not this script's
        discover_run(sys.argv[4:], Path(sys.argv[2]), Path(sys.argv[3]))
        return
    args = parser.parse_args()
    if args.steps_run:
        steps_run(Path(args.steps_run[0]), Path(args.steps_run[1]), Path(args.steps_run[2]))
        return
    if not (args.data / "managers.csv").exists():
        sys.exit(f"w1 warm steps: no W1 data in {args.data} (bench/generate_w1.py makes it)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KPILANG_CACHE_DIR": str(Path(tmp) / "cache")}
        python = [sys.executable]
        subprocess.run([*python, "-c", "import compileall, os, kpilang; "
                        "compileall.compile_dir(os.path.dirname(kpilang.__file__), quiet=1)"],
                       env={**env, "PYTHONDONTWRITEBYTECODE": ""}, check=True)
        eval_json, steps_json = Path(tmp) / "eval.json", Path(tmp) / "steps.json"
        argv = ["eval", str(PLAN), "--data", str(args.data), "--period", PERIOD, "--format", "json",
                "--out", str(eval_json)]
        measure([*python, "-m", "kpilang", *argv], env)  # cold: fills the cache
        profile, modules = Path(tmp) / "eval.prof", Path(tmp) / "modules.json"
        measure([*python, __file__, "--discover-run", str(profile), str(modules), *argv], env)
        whole, libraries, best = [], [], {}
        for _ in range(args.repeat):  # interleaved, so that a slow moment hits every side
            whole.append(measure([*python, "-m", "kpilang", *argv], env)[0])
            libraries.append(measure([*python, "-c", "import duckdb, pydantic"], env)[0])
            _, text = measure([*python, __file__, "--steps-run", str(args.data), str(modules), str(steps_json)], env)
            for name, seconds in json.loads(text.strip().splitlines()[-1]).items():
                best[name] = min(seconds, best.get(name, seconds))
        if steps_json.read_bytes() != eval_json.read_bytes():
            sys.exit("w1 warm steps: the steps' JSON differs from kpilang eval's")
        every, used, count, count_used = import_floor(python, env, argv, profile)
    print(f"W1 warm steps: {args.data}, best of {args.repeat}, CPU seconds (user + system)")
    print(f"  {'kpilang eval, warm, the whole run':44s} {min(whole):6.2f}")
    floors = {name.removeprefix("floor: "): s for name, s in best.items() if name.startswith("floor: ")}
    print(f"  {'python, import duckdb, pydantic':44s} {min(libraries):6.2f}   (a floor)")
    total = min(libraries)
    for name, seconds in best.items():
        if name.startswith("floor: "):
            continue
        total += seconds
        floor = floors.get(name)
        beside = f"   floor {floor:6.2f}" if floor is not None else ""
        print(f"  {name:44s} {seconds:6.2f}{beside}")
    print(f"  {'sum of the steps':44s} {total:6.2f}")
    print(f"  {'the rest of the run (the command line, exit)':44s} {min(whole) - total:6.2f}")
    print(f"  kpilang's modules: {count} imported, self import time {every:.3f} s; "
          f"{count_used} of them run code in a warm eval: {used:.3f} s")
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min, at the end)")


if __name__ == "__main__":
    main()
