"""mutmut on one data module at a time, in a scratch copy of the project.

mutmut 3 mutates the code inside functions and runs, for each mutant, the tests that reached that
function. Measuring the whole package at once would take hours on a small machine, so this runs
one module with the tests that concern it (MODULES below). The project's own `[tool.mutmut]`
table in pyproject.toml, if any, is kept; in the copy, the keys that choose the module and the
tests are set from MODULES, and two that every run here needs:

- `process_isolation = "forkserver"`: by default mutmut forks each mutant's worker from a process
  that has already run the tests, and DuckDB (its threads and locks) does not survive a fork;
  a fork server that has only imported pytest and collected the tests does;
- `also_copy`: the grammar, the rules and the demo data that the package reads next to `src`,
  and the docs that some tests compare with the code.

The copy lives in a fixed scratch directory per module (`--workdir`, default under the system
temporary directory), so a second run goes on where the first stopped and retests only what
changed. The work tree is never written to.

    python tests/mutation/run_mutmut.py values            # mutate src/kpilang/data/values.py
    python tests/mutation/run_mutmut.py values --results  # list the survivors of the last run
    python tests/mutation/run_mutmut.py values --show NAME
    python tests/mutation/run_mutmut.py numbers 'kpilang.evaluate.numbers.x_plain*'   # rerun these

Run it under `nice -n 19` on a shared machine.

Needs mutmut 3.8 (`pip install -e '.[mutation]'`). Not part of the test suite.
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
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPIED_DIRS = ("src", "tests", "grammar", "rules", "examples", "docs")
# The files the package reads beside src/, and the docs some tests compare with the code (mutmut
# copies src/, tests/ and pyproject.toml itself).
ALSO_COPY = ["grammar", "rules", "examples", "docs", "README.md"]

DATA_TESTS = [
    "tests/data/test_bad_rows.py",
    "tests/data/test_value_constants.py",
    "tests/data/test_timestamp_offsets.py",
    "tests/data/test_money.py",
    "tests/data/test_inference.py",
    "tests/data/test_timezones.py",
    "tests/data/test_many_problems.py",
    "tests/data/test_problems_in_russian.py",
]
# module -> (the file mutated, the tests run against its mutants)
MODULES: dict[str, tuple[str, list[str]]] = {
    "values": ("src/kpilang/data/values.py", DATA_TESTS),
    "problems": ("src/kpilang/data/problems.py", [
        "tests/data/test_data_problem.py", *DATA_TESTS, "tests/data/test_fatal.py",
        "tests/data/test_excel_exports.py",
    ]),
    # Also the tests of unknown managers and of the columns a run reads, which validation.py
    # decides (the people check, the columns left out of the clean table).
    "validation": ("src/kpilang/data/validation.py", [
        *DATA_TESTS, "tests/data/test_csv_files.py", "tests/data/test_formats.py",
        "tests/data/test_unknown_managers.py", "tests/data/test_unreadable_rows.py",
        "tests/evaluate/test_columns_read.py",
    ]),
    # The evaluator: the tests of tests/evaluate, and the few elsewhere that call a module's
    # functions directly (the linter's score intervals, `round()`'s digits, huge figures shown).
    "numbers": ("src/kpilang/evaluate/numbers.py", [
        "tests/evaluate", "tests/checks/test_intervals.py", "tests/compile/test_round_digits.py",
        "tests/explain/test_huge_values.py",
    ]),
    "period": ("src/kpilang/evaluate/period.py", ["tests/evaluate"]),
    "rowwise": ("src/kpilang/evaluate/rowwise.py", ["tests/evaluate"]),
    "results": ("src/kpilang/evaluate/results.py", ["tests/evaluate"]),
    "formulas": ("src/kpilang/evaluate/formulas.py", ["tests/evaluate"]),
    "aggregate": ("src/kpilang/evaluate/aggregate.py", ["tests/evaluate"]),
    "table_lookup": ("src/kpilang/evaluate/table_lookup.py", ["tests/evaluate"]),
}
# The rest of the evaluator: tests/evaluate, and the tests elsewhere that evaluate directly (the
# linter's past periods, and the CLI's table of evaluation errors).
EVALUATE_TESTS = ["tests/evaluate", "tests/checks/test_history_periods.py", "tests/checks/test_cases.py",
                  "tests/cli/test_eval_table.py"]
EVALUATE_REST = ("history", "team", "plan_code", "aggregate_plan", "sql", "run", "person_metrics", "no_value", "data_errors",
                 "eval_errors", "formula_code", "formula_text", "tracing", "plan_tests")
MODULES.update({name: (f"src/kpilang/evaluate/{name}.py", EVALUATE_TESTS) for name in EVALUATE_REST})
# Several modules in one copy: the tests run once to learn which reach what (minutes for
# tests/evaluate), then `run_mutmut.py evaluate 'kpilang.evaluate.period*'` checks one module.
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "evaluate": ([MODULES[m][0] for m in ("period", "rowwise", "results", "formulas", "aggregate", "table_lookup")],
                 ["tests/evaluate"]),
    "evaluate_rest": ([MODULES[m][0] for m in EVALUATE_REST], EVALUATE_TESTS),
}
# Set for every test process of a run: tests/conftest.py then loads the `mutation` Hypothesis
# profile (same draws for every mutant, no shrinking) and runs the property tests last.
MUTATION_RUN_ENV = "KPILANG_MUTATION_RUN"


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def without_mutmut_table(text: str) -> str:
    """pyproject.toml's text without its [tool.mutmut] table (up to the next table)."""
    return re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)


def mutmut_settings(module: str) -> dict[str, object]:
    paths, tests = GROUPS[module] if module in GROUPS else ([MODULES[module][0]], MODULES[module][1])
    own = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = dict(own.get("tool", {}).get("mutmut", {}))
    settings.update({
        "source_paths": ["src"],
        "only_mutate": paths,
        "pytest_add_cli_args_test_selection": tests,
        "pytest_add_cli_args": ["-p", "no:cacheprovider"],
        "process_isolation": "forkserver",
        "also_copy": sorted(set(settings.get("also_copy", [])) | set(ALSO_COPY)),
    })
    return settings


def prepare(workdir: Path, module: str) -> None:
    """Refresh the scratch copy from the work tree, keeping mutmut's results (mutants/)."""
    workdir.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for name in COPIED_DIRS:
        shutil.rmtree(workdir / name, ignore_errors=True)
        shutil.copytree(ROOT / name, workdir / name, ignore=ignore)
    shutil.copy2(ROOT / "README.md", workdir / "README.md")
    text = without_mutmut_table((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table = "".join(f"{k} = {toml_value(v)}\n" for k, v in mutmut_settings(module).items())
    (workdir / "pyproject.toml").write_text(text.rstrip("\n") + "\n\n[tool.mutmut]\n" + table,
                                            encoding="utf-8")


def mutmut(workdir: Path, *args: str) -> int:
    executable = Path(sys.executable).with_name("mutmut")
    command = [str(executable) if executable.exists() else "mutmut", *args]
    # The copy's src/ must win over the work tree's (an editable install puts that on the path).
    # mutants/ (where mutmut runs the tests) makes `tests` importable for the tests that share
    # helpers (`from tests.evaluate.test_sql import ...`): mutmut runs pytest in its own process,
    # which, unlike `python -m pytest`, does not put the working directory on the path.
    path = os.pathsep.join([str(workdir / "src"), str(workdir / "mutants")])
    env = {**os.environ, "PYTHONPATH": path, MUTATION_RUN_ENV: "1"}
    return subprocess.run(command, cwd=workdir, env=env).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", choices=sorted(MODULES | GROUPS))
    parser.add_argument("mutants", nargs="*",
                        help="rerun only these mutants (names or patterns, e.g. 'kpilang.evaluate.numbers.x_plain*'), "
                             "even those already checked: after adding a test that should kill them")
    parser.add_argument("--workdir", type=Path, help="scratch directory (kept between runs)")
    parser.add_argument("--max-children", type=int, default=1,
                        help="mutants tested at once (default 1: the machine is shared)")
    parser.add_argument("--results", action="store_true", help="list the last run's survivors")
    parser.add_argument("--show", metavar="MUTANT", help="show one mutant's change")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.gettempdir()) / "kpilang-mutmut" / args.module
    if args.results:
        return mutmut(workdir, "results")
    if args.show:
        return mutmut(workdir, "show", args.show)
    prepare(workdir, args.module)
    return mutmut(workdir, "run", "--max-children", str(args.max_children), *args.mutants)


if __name__ == "__main__":
    sys.exit(main())
