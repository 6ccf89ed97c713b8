"""Hand-written mutants of the data checks' constants and patterns; the tests must kill each.

mutmut only mutates code inside functions, but most of what decides whether a value is accepted
lives in module-level constants: regular expressions (dates, offsets, money, durations, periods),
word lists, limits, the table contract in schema.py and the reason table in reasons.py. Each
mutant below is one plausible mistake in such a constant (a pattern that lets `+25:00` through, a
money pattern that takes a leading `+`, a stage list with one word too many), written as the
exact text it replaces, the text that replaces it, and what it would let through.

For each mutant the script writes the mutated file into a scratch copy of the project (the work
tree is never edited), runs tests/data there (the mutant's likeliest killers first, with -x) with
that copy first on the import path, and says whether a test failed (killed) or all passed
(survived). A mutant whose original text is no
longer found exactly once is stale: the list must follow the code.

    python tests/mutation/constant_mutants.py            # every mutant, each with its tests
    python tests/mutation/constant_mutants.py --list     # the mutants, and whether each applies
    python tests/mutation/constant_mutants.py --only offset-hour-25 money-leading-plus
    python tests/mutation/constant_mutants.py --tests tests/data/test_money.py  # only these tests

Exit status: 0 when every mutant is killed, 1 when one survives, 2 when a mutant is stale or the
unmutated copy fails its tests. Not part of the test suite: it runs the suite once per mutant.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = "src/kpilang/data"
# What the tests need of the project: the package, the tests, the files the package reads, and
# the docs some tests compare with the code.
COPIED = ("src", "tests", "grammar", "rules", "examples", "docs", "README.md", "pyproject.toml")
# One mutant's test run may not take longer than this; a mutant that hangs counts as killed.
RUN_TIMEOUT_S = 600
# Every mutant is run against these after its own tests (which come first only so that a killed
# mutant fails fast): a mutant survives only if no data test notices it.
ALL_DATA_TESTS = ("tests/data",)

BAD_ROWS = "tests/data/test_bad_rows.py"
OFFSETS = "tests/data/test_timestamp_offsets.py"
TIMEZONES = "tests/data/test_timezones.py"
MONEY = "tests/data/test_money.py"
INFERENCE = "tests/data/test_inference.py"
CONSTANTS = "tests/data/test_value_constants.py"
FORMATS = "tests/data/test_formats.py"


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str  # under src/kpilang/data
    original: str  # exact text, found exactly once in the file
    replacement: str
    lets_through: str  # what the mistake would let through (or do wrongly)
    tests: tuple[str, ...] = (BAD_ROWS,)  # the tests most likely to kill it, run first

    def test_runs(self, chosen: list[str] | None) -> list[list[str]]:
        """The pytest runs for this mutant, in order, each as its arguments: its own tests,
        then the rest of tests/data (pytest would merge both into one run in its own order)."""
        if chosen:
            return [chosen]
        return [list(self.tests), [*ALL_DATA_TESTS, *(f"--ignore={t}" for t in self.tests)]]


MUTANTS: tuple[Mutant, ...] = (
    # --- date-times and their offsets (values.py) ---
    Mutant("offset-hour-25", "values.py", r"(Z|\+(0[0-9]|1[0-3])", r"(Z|\+(0[0-9]|[12][0-9])",
           "an offset east of +14:00, such as +25:00", (OFFSETS,)),
    Mutant("offset-any-digits", "values.py", r"(Z|\+(0[0-9]|1[0-3])(:?[0-5][0-9])?",
           r"(Z|\+[0-9]{2}(:?[0-9]{2})?", "any two digits east: +99:99", (OFFSETS,)),
    Mutant("offset-east-minutes-60", "values.py", r"\+(0[0-9]|1[0-3])(:?[0-5][0-9])?",
           r"\+(0[0-9]|1[0-3])(:?[0-6][0-9])?", "minutes 60-69 east: +03:60 read as +04:00",
           (OFFSETS,)),
    Mutant("offset-west-minutes-60", "values.py", r"-(0[0-9]|1[01])(:?[0-5][0-9])?",
           r"-(0[0-9]|1[01])(:?[0-9][0-9])?", "minutes over 59 west: -03:75", (OFFSETS,)),
    Mutant("offset-plus-14-minutes", "values.py", r"\+14(:?00)?", r"\+14(:?[0-5][0-9])?",
           "+14:30, past the last time zone", (OFFSETS,)),
    Mutant("offset-west-13", "values.py", r"|-12(:?00)?)", r"|-1[23](:?00)?)",
           "-13:00, past the first time zone", (OFFSETS,)),
    Mutant("offset-west-12-minutes", "values.py", r"|-12(:?00)?)", r"|-12(:?[0-5][0-9])?)",
           "-12:30", (OFFSETS,)),
    Mutant("offset-lower-z", "values.py", r"(Z|\+", r"([Zz]|\+", "a lower-case z offset",
           (OFFSETS, TIMEZONES, CONSTANTS)),
    Mutant("offset-space-before", "values.py", "{_TIME}{_OFFSET}?)?", "{_TIME} ?{_OFFSET}?)?",
           "a space before the offset", (OFFSETS, TIMEZONES, CONSTANTS)),
    Mutant("time-hour-24", "values.py", '_TIME = r"([01][0-9]|2[0-3]):',
           '_TIME = r"([01][0-9]|2[0-4]):', "hour 24: 2026-07-01T24:00 read silently as midnight of 2 July"),
    Mutant("time-minute-60", "values.py", '|2[0-3]):[0-5][0-9](:', '|2[0-3]):[0-9][0-9](:',
           "minute 60-99 (reported as no such time, not unparsable)", (BAD_ROWS, CONSTANTS)),
    Mutant("time-second-60", "values.py", r"(:[0-5][0-9](\.", r"(:[0-9][0-9](\.",
           "second 60-99 (reported as no such time, not unparsable)", (BAD_ROWS, CONSTANTS)),
    Mutant("time-seven-fraction-digits", "values.py", r"(\.[0-9]{1,6})?)?", r"(\.[0-9]{1,7})?)?",
           "seven digits of a second, rounded away silently"),
    Mutant("time-lower-t", "values.py", "([T ]{_TIME}", "([Tt ]{_TIME}", "a lower-case t",
           (BAD_ROWS, CONSTANTS)),
    Mutant("date-one-digit-month", "values.py",
           'ISO_DATETIME = rf"[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}',
           'ISO_DATETIME = rf"[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}',
           "2026-7-1, a date written without its leading zeros", (BAD_ROWS, CONSTANTS)),
    Mutant("date-inferred-one-digit-month", "values.py",
           'ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"', 'ISO_DATE = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"',
           "an extra column of 2026-7-1 typed as dates", (INFERENCE, CONSTANTS)),
    Mutant("sub-microsecond-eight", "values.py", r'SUB_MICROSECOND = r"\.[0-9]{7,}"',
           r'SUB_MICROSECOND = r"\.[0-9]{8,}"',
           "seven fraction digits reported as unparsable, not as too precise"),
    Mutant("datetime-no-offset-read", "values.py", "AS TIMESTAMPTZ)))", "AS TIMESTAMP)))",
           "every offset ignored: 23:30+03:00 read as 23:30 UTC", (TIMEZONES,)),
    # --- money and numbers (values.py) ---
    Mutant("money-leading-plus", "values.py", 'KEEPABLE_DECIMAL = rf"-?', 'KEEPABLE_DECIMAL = rf"[-+]?',
           "a leading + on an amount", (MONEY, CONSTANTS)),
    Mutant("money-thousands-comma", "values.py", 'KEEPABLE_DECIMAL = rf"-?[0-9]+(',
           'KEEPABLE_DECIMAL = rf"-?[0-9][0-9,]*(', "a thousands separator: 1,234.50"),
    Mutant("money-thousands-space", "values.py", 'KEEPABLE_DECIMAL = rf"-?[0-9]+(',
           'KEEPABLE_DECIMAL = rf"-?[0-9][0-9 ]*(', "digit grouping by spaces: 1 234.50"),
    Mutant("money-bare-point", "values.py", r'KEEPABLE_DECIMAL = rf"-?[0-9]+(\.[0-9]{{1,',
           r'KEEPABLE_DECIMAL = rf"-?[0-9]+(\.[0-9]{{0,', "a bare trailing point: 12.",
           (MONEY, CONSTANTS)),
    Mutant("money-scale-19", "values.py", "MAX_SCALE = 18", "MAX_SCALE = 19",
           "19 digits after the point, past what is kept exactly", (MONEY, BAD_ROWS)),
    Mutant("money-scale-17", "values.py", "MAX_SCALE = 18", "MAX_SCALE = 17",
           "18 digits after the point refused though documented as kept", (MONEY,)),
    Mutant("money-38-digits", "values.py", "DECIMAL_DIGITS = 38", "DECIMAL_DIGITS = 37",
           "amounts with 36 digits before the point refused though they fit", (MONEY, CONSTANTS)),
    Mutant("money-min-scale-0", "values.py", "MONEY_MIN_SCALE = 2", "MONEY_MIN_SCALE = 0",
           "60000 stored as 60000 rather than 60000.00", (MONEY,)),
    Mutant("money-fraction-one-digit", "values.py", r'FRACTION_DIGITS = r"\.([0-9]+)$"',
           r'FRACTION_DIGITS = r"\.([0-9])[0-9]*$"',
           "the scale measured as one digit: 0.25 rounded to 0.3", (MONEY, BAD_ROWS)),
    Mutant("money-negative-zero", "values.py", "WHEN {typed} < 0 THEN 'negative'",
           "WHEN {typed} <= 0 THEN 'negative'", "an amount of 0 refused as negative",
           (MONEY, CONSTANTS)),
    Mutant("money-currency-rouble", "values.py", "[$€£¥₽₴₸₹]", "[$€£¥₴₸₹]",
           "₽ reported as not a number instead of a currency sign"),
    Mutant("money-currency-words", "values.py", "|(?i)(rub|rur|usd|eur|gbp|руб|р\\.)",
           "|(rub|rur|usd|eur|gbp|руб|р\\.)", "RUB in capitals reported as not a number",
           (BAD_ROWS, CONSTANTS)),
    Mutant("money-digit-spaces-nbsp", "values.py", r'DIGIT_SPACES = "[0-9][ \u00a0',
           r'DIGIT_SPACES = "[0-9][ ', "1\u00a0234,50 (no-break space) not said to be grouping",
           (BAD_ROWS, CONSTANTS)),
    Mutant("money-comma-separators", "values.py", 'DIGITS_AND_SEPARATORS = r"-?[0-9][0-9.,]*"',
           'DIGITS_AND_SEPARATORS = r"-?[0-9][0-9,]*"', "1,234.50 not said to be a comma problem"),
    Mutant("money-padding-tab", "values.py", r'SURROUNDING_SPACE = " \t', 'SURROUNDING_SPACE = "',
           "a tab around a value not said to be padding", (BAD_ROWS, CONSTANTS)),
    Mutant("money-too-many-decimals", "values.py", r'PLAIN_DECIMAL = r"-?[0-9]+(\.[0-9]+)?"',
           r'PLAIN_DECIMAL = r"-?[0-9]+(\.[0-9]{1,18})?"',
           "19 fraction digits said to be not a number instead of too many decimals",
           (BAD_ROWS, MONEY)),
    # --- durations (values.py) ---
    Mutant("duration-fraction", "values.py", r'WHOLE_SECONDS = r"[0-9]+(\.0+)?"',
           r'WHOLE_SECONDS = r"[0-9]+(\.[0-9]+)?"', "262.5 seconds, rounded silently"),
    Mutant("duration-negative", "values.py", 'WHOLE_SECONDS = r"[0-9]+', 'WHOLE_SECONDS = r"-?[0-9]+',
           "a negative duration"),
    Mutant("duration-negative-fraction", "values.py", r'NEGATIVE_NUMBER = r"-[0-9]+(\.[0-9]+)?"',
           r'NEGATIVE_NUMBER = r"-[0-9]+"', "-5.5 said to be of no known form, not negative",
           (BAD_ROWS, CONSTANTS)),
    Mutant("duration-clock-minutes", "values.py", 'CLOCK_TIME = r"[0-9]+:[0-5][0-9]',
           'CLOCK_TIME = r"[0-9]+:[0-9][0-9]', "4:75 said to be a clock time", (BAD_ROWS, CONSTANTS)),
    Mutant("duration-fractional-reason", "values.py", r'FRACTIONAL_NUMBER = r"[0-9]+\.[0-9]+"',
           r'FRACTIONAL_NUMBER = r"[0-9]+\.5"', "262.25 said to be of no known form",
           (BAD_ROWS, CONSTANTS)),
    # --- periods (values.py) ---
    Mutant("period-month-00", "values.py", 'PERIOD = r"[0-9]{4}-(0[1-9]|', 'PERIOD = r"[0-9]{4}-(0[0-9]|',
           "the period 2026-00", (BAD_ROWS, CONSTANTS)),
    Mutant("period-month-13", "values.py", "|1[0-2])|", "|1[0-3])|", "the period 2026-13"),
    Mutant("period-quarter-5", "values.py", "-Q[1-4]|", "-Q[1-5]|", "the period 2026-Q5"),
    Mutant("period-week-00", "values.py", "-W(0[1-9]|", "-W(0[0-9]|", "the period 2026-W00"),
    Mutant("period-week-54", "values.py", "|5[0-3])", "|5[0-4])", "the period 2026-W54"),
    Mutant("period-week-53-always", "values.py", "12, 28)) = 53", "12, 28)) >= 52",
           "2025-W53, in a year of 52 weeks"),
    Mutant("period-week-53-never", "values.py", 'WEEK_53 = r"[0-9]{4}-W53"', 'WEEK_53 = r"[0-9]{4}-W5[0-3]"',
           "2026-W52 refused as a week 53"),
    # --- yes/no (values.py) ---
    Mutant("bool-yes", "values.py", 'BOOL_WORDS = ("true", "false", "1", "0")',
           'BOOL_WORDS = ("true", "false", "1", "0", "yes")', "yes as a yes/no value"),
    Mutant("bool-one-false", "values.py", 'TRUE_WORDS = ("true", "1")', 'TRUE_WORDS = ("true",)',
           "1 read as false", (BAD_ROWS, CONSTANTS)),
    Mutant("bool-case", "values.py", "WHEN lower({ref}) NOT IN ({words})", "WHEN {ref} NOT IN ({words})",
           "TRUE in capitals refused"),
    # --- extra columns (inference.py) ---
    Mutant("infer-integer-leading-zeros", "inference.py", 'INTEGER = r"-?(0|[1-9][0-9]{0,17})"',
           'INTEGER = r"-?([0-9]{1,18})"', "00123 read as the number 123", (INFERENCE,)),
    Mutant("infer-integer-19-digits", "inference.py", "[1-9][0-9]{0,17})", "[1-9][0-9]{0,18})",
           "a 19-digit whole number typed BIGINT, which cannot hold it", (INFERENCE,)),
    Mutant("infer-number-leading-zeros", "inference.py", 'NUMBER = rf"-?(0|[1-9][0-9]*)',
           'NUMBER = rf"-?([0-9]+)', "00123.5 read as a number", (INFERENCE, CONSTANTS)),
    Mutant("infer-bool-digits", "inference.py", "IN ('true', 'false'))", "IN ('true', 'false', '1'))",
           "a column of 1s and 0s typed yes/no", (INFERENCE,)),
    # --- the table contract (schema.py) ---
    Mutant("schema-amount-may-be-negative", "schema.py", 'ColumnSpec("amount", _M, non_negative=True)',
           'ColumnSpec("amount", _M)', "a negative deal amount"),
    Mutant("schema-salary-may-be-negative", "schema.py",
           'ColumnSpec("salary", _M, required=True, non_negative=True)',
           'ColumnSpec("salary", _M, required=True)', "a negative salary", (MONEY,)),
    Mutant("schema-salary-optional", "schema.py",
           'ColumnSpec("salary", _M, required=True, non_negative=True)',
           'ColumnSpec("salary", _M, non_negative=True)', "a person without a salary",
           (BAD_ROWS, CONSTANTS)),
    Mutant("schema-started-at-optional", "schema.py", 'ColumnSpec("started_at", _DT, required=True)',
           'ColumnSpec("started_at", _DT)', "an activity with no time", (BAD_ROWS, CONSTANTS)),
    Mutant("schema-stage-extra-word", "schema.py", 'allowed=("open", "won", "lost")',
           'allowed=("open", "won", "lost", "Won")', "the stage Won"),
    Mutant("schema-target-key-without-name", "schema.py", 'key=("manager_id", "period", "name")',
           'key=("manager_id", "period")', "two targets of one person and period refused"),
    Mutant("schema-target-period-free", "schema.py",
           'ColumnSpec("period", _S, required=True, is_period=True)',
           'ColumnSpec("period", _S, required=True)', "any text as a target period"),
    Mutant("schema-deals-dated-by-creation", "schema.py", '"deals": "closed_at"', '"deals": "created_at"',
           "a rejected deal said to concern the period it was created in"),
    # --- problems and their words (problems.py, reasons.py, loader.py) ---
    Mutant("preview-800", "problems.py", "VALUE_PREVIEW_CHARS = 80", "VALUE_PREVIEW_CHARS = 800",
           "a runaway value quoted whole in a problem", ("tests/data/test_excel_exports.py", CONSTANTS)),
    Mutant("preview-no-ellipsis", "problems.py", 'VALUE_PREVIEW_CHARS - 1] + "…"',
           "VALUE_PREVIEW_CHARS]", "a cut value shown as if whole", ("tests/data/test_excel_exports.py", CONSTANTS)),
    Mutant("reason-currency-no-advice", "reasons.py", 'Reason("currency", then=PLAIN_DECIMAL_HINT)',
           'Reason("currency")', "the currency hint without how to write the number",
           (BAD_ROWS, CONSTANTS)),
    Mutant("reason-comma-own-hint", "reasons.py", 'Reason("comma", PLAIN_DECIMAL_HINT)',
           'Reason("comma", WHOLE_SECONDS_HINT)', "a comma in an amount answered with the seconds hint",
           (BAD_ROWS, CONSTANTS)),
    Mutant("reason-fractional-duration-hint", "reasons.py",
           'Reason("fractional_duration", WHOLE_SECONDS_HINT)',
           'Reason("fractional_duration", PLAIN_DECIMAL_HINT)',
           "262.5 seconds answered with the money hint", (BAD_ROWS, CONSTANTS)),
    Mutant("detailed-problems-100", "loader.py", "DETAILED_PROBLEMS_PER_KIND = 1000",
           "DETAILED_PROBLEMS_PER_KIND = 100", "only 100 bad rows listed by default",
           ("tests/data/test_many_problems.py",)),
)


def scratch_copy(destination: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, destination / name)


def mutated(mutant: Mutant, text: str) -> str | None:
    """The file's text with the mutant applied, or None when the original is not there once."""
    if text.count(mutant.original) != 1 or mutant.original == mutant.replacement:
        return None
    return text.replace(mutant.original, mutant.replacement)


def run_tests(copy: Path, tests: list[str]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return -1, "timed out"
    return done.returncode, done.stdout + done.stderr


def first_failure(output: str) -> str:
    found = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    return found.group(1) if found else ""


def check_copy_is_imported(copy: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    where = subprocess.run([sys.executable, "-c", "import kpilang; print(kpilang.__file__)"],
                           cwd=copy, env=env, capture_output=True, text=True, check=True).stdout
    if not Path(where.strip()).resolve().is_relative_to(copy.resolve()):
        sys.exit(f"the tests would import kpilang from {where.strip()}, not from the scratch copy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutants and whether each applies")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument("--tests", nargs="+", metavar="PATH",
                        help="run these tests for every mutant instead of each mutant's own")
    args = parser.parse_args(argv)

    chosen = [m for m in MUTANTS if not args.only or m.id in args.only]
    unknown = set(args.only or ()) - {m.id for m in MUTANTS}
    if unknown:
        parser.error(f"no such mutant: {', '.join(sorted(unknown))}")
    stale = [m for m in chosen if mutated(m, (ROOT / DATA / m.file).read_text(encoding="utf-8")) is None]
    if args.list:
        for m in chosen:
            mark = "STALE" if m in stale else "ok"
            print(f"{mark:5}  {m.id:34} {m.file:13} lets through: {m.lets_through}")
        return 2 if stale else 0
    if stale:
        for m in stale:
            print(f"stale: {m.id}: its original text is not found exactly once in {DATA}/{m.file}")
        return 2

    with tempfile.TemporaryDirectory(prefix="kpilang-mutants-") as scratch:
        copy = Path(scratch)
        scratch_copy(copy)
        check_copy_is_imported(copy)
        baseline = args.tests or list(ALL_DATA_TESTS)
        code, output = run_tests(copy, baseline)
        if code != 0:
            print(output[-4000:])
            print(f"the unmutated copy fails {' '.join(baseline)}: fix that first")
            return 2
        survivors = []
        for m in chosen:
            path = copy / DATA / m.file
            pristine = path.read_text(encoding="utf-8")
            path.write_text(mutated(m, pristine), encoding="utf-8")
            started = time.monotonic()
            try:
                for tests in m.test_runs(args.tests):
                    code, output = run_tests(copy, tests)
                    if code != 0:
                        break
            finally:
                path.write_text(pristine, encoding="utf-8")
            took = time.monotonic() - started
            if code == 0:
                survivors.append(m)
                verdict = "SURVIVED"
            elif code in (1, 2):  # a test failed, or the mutated module could not be imported
                verdict = f"killed by {first_failure(output) or 'a collection error'}"
            elif code == -1:
                verdict = "killed (timed out)"
            else:
                print(output[-4000:])
                verdict = f"pytest stopped with status {code}"
                survivors.append(m)
            print(f"{m.id:34} {took:6.1f}s  {verdict}", flush=True)
    print(f"\n{len(chosen) - len(survivors)} of {len(chosen)} mutants killed")
    for m in survivors:
        print(f"survived: {m.id} ({m.file}): {m.lets_through}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
