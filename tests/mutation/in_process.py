"""mutmut's mutants of one module, each checked in one process against chosen test files.

`run_mutmut.py` checks a mutant by running every test that reaches its function, in a fresh
process, until one fails: thorough, and on a shared two-core machine about four mutants a minute
for the modules every evaluation reaches. This script checks the same mutants (mutmut generates
them: the same names and changes as a run's) much faster: it writes the module with all its
mutants behind mutmut's trampolines into a scratch copy of `src/`, and then, in this one process,
makes each mutant active in turn (mutmut's `MUTANT_UNDER_TEST`, which the trampolines read at every
call) while pytest runs the test files given. A mutant is killed when a test fails, or when the
tests pass the time limit or the memory limit (a mutant that loops).

A kill found so is a kill by those test files. Name test files that are among the module's tests
in `run_mutmut.py` (`MODULES`), so that the verdict is one a full run would give too; a survivor
here may still be killed by a test file not named (run it by name through `run_mutmut.py`).

    python tests/mutation/in_process.py src/kpilang/evaluate/no_value.py \\
        tests/evaluate/test_eval_errors.py tests/evaluate/test_formulas.py --out /tmp/no_value.json
    python tests/mutation/in_process.py src/kpilang/evaluate/no_value.py TESTS... --only 'xǁReferenceEvaluatorǁ_eval*'

Verdicts are kept in `--out` (JSON, name → killed/survived) and a second run goes on where the
first stopped; `--again` checks the survivors in it again (after adding a test). The module's
state is not reset between mutants: a cache filled under one mutant could hide another, so a
survivor worth a test is confirmed by `run_mutmut.py` by name. Run it under `nice -n 19` on a
shared machine. Needs mutmut 3.8 (`pip install -e '.[mutation]'`). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import io
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from run_mutmut import MUTATION_RUN_ENV  # the `mutation` Hypothesis profile, as a run sets it

ROOT = Path(__file__).resolve().parents[2]
# What the package reads beside src/ (the grammar, the ready plans) and what tests compare with it.
COPIED = ("src", "grammar", "rules", "examples", "docs")
MEMORY_LIMIT = 3 * 2**30


class TimeLimit(Exception):
    pass


def _on_alarm(*_: object) -> None:
    raise TimeLimit()


def mutated_copy(module: Path, workdir: Path) -> tuple[str, list[str]]:
    """A copy of the project's package beside `workdir/src` with `module` replaced by its mutants
    behind trampolines; the module's dotted name and its mutants' full names."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        shutil.rmtree(workdir / name, ignore_errors=True)
        shutil.copytree(ROOT / name, workdir / name, ignore=ignore)
    relative = module.resolve().relative_to(ROOT / "src")
    mutated = mutate_file_contents(str(relative), module.read_text(encoding="utf-8"))
    (workdir / "src" / relative).write_text(mutated.code, encoding="utf-8")
    dotted = ".".join(relative.with_suffix("").parts)
    return dotted, [f"{dotted}.{name}" for name in mutated.mutant_names]


def run_tests(mutant: str, tests: list[str], seconds: int) -> str:
    """killed or survived: the tests with `mutant` active ("" for none), quietly."""
    os.environ["MUTANT_UNDER_TEST"] = mutant
    signal.alarm(seconds)
    try:
        import pytest

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests])
    except (TimeLimit, MemoryError):
        return "killed"
    finally:
        signal.alarm(0)
    return "survived" if code == 0 else "killed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path, help="the module's file, e.g. src/kpilang/evaluate/no_value.py")
    parser.add_argument("tests", nargs="+", help="the test files run against each mutant")
    parser.add_argument("--out", type=Path, required=True, help="verdicts (JSON), kept between runs")
    parser.add_argument("--only", action="append", default=[], help="check only mutants matching this pattern")
    parser.add_argument("--again", action="store_true", help="check the survivors in --out again")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a mutant's tests may take")
    parser.add_argument("--workdir", type=Path, help="scratch copy of the package (default: a temporary one)")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kpilang-in-process-"))
    dotted, names = mutated_copy(args.module, workdir)
    if args.only:
        names = [n for n in names if any(fnmatch.fnmatchcase(n.rpartition(".")[2], p) or fnmatch.fnmatchcase(n, p)
                                         for p in args.only)]
    verdicts: dict[str, str] = json.loads(args.out.read_text()) if args.out.exists() else {}
    verdicts = {n: v for n, v in verdicts.items() if n.startswith(dotted + ".")}
    if args.again:
        verdicts = {n: v for n, v in verdicts.items() if v != "survived"}

    # The copy's package first, the project's root for the tests' shared helpers (`tests.…`).
    sys.path[:0] = [str(workdir / "src"), str(ROOT)]
    os.chdir(ROOT)
    os.environ[MUTATION_RUN_ENV] = "1"
    signal.signal(signal.SIGALRM, _on_alarm)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    if run_tests("", args.tests, args.timeout * 5) != "survived":
        print("the tests fail without a mutant: nothing to measure", file=sys.stderr)
        return 2
    import kpilang

    assert Path(kpilang.__file__).is_relative_to(workdir), "the mutated copy is not the one imported"
    # A control: a mutant of no module leaves every function as it is, so the tests must pass;
    # were a verdict "killed" for another reason than the mutant, this would be killed too.
    if run_tests("kpilang.no_such_module.x_control__mutmut_1", args.tests, args.timeout * 5) != "survived":
        print("the tests fail with no mutant active: nothing to measure", file=sys.stderr)
        return 2
    for number, name in enumerate(names, start=1):
        if name in verdicts:
            continue
        verdicts[name] = run_tests(name, args.tests, args.timeout)
        args.out.write_text(json.dumps(verdicts, indent=0, ensure_ascii=False))
        print(number, name, verdicts[name], flush=True)
    checked = [n for n in names if n in verdicts]
    killed = sum(verdicts[n] == "killed" for n in checked)
    survivors = [n for n in checked if verdicts[n] == "survived"]
    score = f"{100 * killed / len(checked):.1f}%" if checked else "-"
    print(f"{dotted}: {len(names)} mutants, {len(checked)} checked, {killed} killed, {score}")
    for name in survivors:
        print("survived:", name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
