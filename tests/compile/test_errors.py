"""One test per diagnostic the parser and the compiler can give: the exact code, position and the
words a head of sales needs (what is wrong, what to do). Rendered text is checked against golden
files in tests/compile/golden/ (regenerate with `pytest --update-golden` and review the diff)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpilang.cli import main
from kpilang.compile import compile_file, compile_text
from kpilang.diagnostics import render_text

SRC = Path(__file__).resolve().parents[2] / "src" / "kpilang"
GOLDEN = Path(__file__).resolve().parent / "golden"


PLAN = '''plan p "P" {
    role      cold
    period    month
    effective 2026-07-01
    currency  RUB
    strategy  growth
    goal      "Grow"
}
'''
CALLS = 'metric calls = count(activities where type = "call")\n'
"""With PLAN, line 9; what follows starts on line 10."""
REV = 'metric rev = sum(deals.amount where stage = "won")\n'

# (code, name, source, (line, column, end_line, end_column), words in the message, words in the help)
CASES = [
    # ---- parser ----
    ("E0101", "syntax", "pay p = salary +\n", (1, 17, 1, 18), ["expected a value", "after `+`", "end of the file"], None),
    ("E0101", "syntax", "metrik m = count(leads)\n", (1, 1, 1, 7), ["the next declaration", "found `metrik`"],
     ["did you mean `metric`?"]),
    ("E0101", "syntax", "kpi k = a target weight 50%\n", (1, 18, 1, 24), ["after `target`", "found `weight`"],
     ["`target` needs a value"]),
    ("E0101", "syntax", "kpi k = a == b\n", (1, 12, 1, 13), ["found `=`"], ["single `=`"]),
    ("E0101", "syntax", "metric target = count(leads)\n", (1, 8, 1, 14), ["expected a name", "found `target`"],
     ["word of the language", "`target_value`"]),
    ("E0101", "syntax", "pay p = 0,5\n", (1, 10, 1, 11), ["a clause (`cap`, `floor`)", "found `,`"], ["`0.5`, not `0,5`"]),
    ("E0101", "syntax", "pay p = min(salary, [1])\n", (1, 21, 1, 22), ["found `[`"], ["the list after `in`"]),
    ("E0101", "syntax", "metric m = count(leads) kind\n", (1, 29, 1, 30), ["a name after `kind`"], ["`kind result`"]),
    ("E0102", "unclosed-bracket", "pay p = min(salary, (1 + 2)\n", (1, 12, 1, 13), ["unclosed `(`", "1:12"],
     ["add the matching `)`"]),
    ("E0102", "mismatched-bracket", "pay p = salary)\n", (1, 15, 1, 16), ["`)` closes nothing"], ["remove it"]),
    ("E0102", "mismatched-bracket", "pay p = x in [1, (2]\n", (1, 20, 1, 21), ["`]` does not close the `(`", "1:18"],
     ["close it with `)` first"]),
    ("E0103", "unclosed-text", 'plan p "Label\n', (1, 8, 1, 9), ['no closing `"`'], ['write a quote inside it as `\\"`']),
    ("E0103", "bad-escape", 'plan p "a\\d" {}\n', (1, 10, 1, 12), ["`\\d` is not an escape"], ["a backslash as `\\\\`"]),
    ("E0104", "bad-character", "pay p = salary × 2\n", (1, 16, 1, 17), ["unexpected character `×`"], ["write `*`"]),
    ("E0104", "bad-character", "pay p = 'x'\n", (1, 9, 1, 10), ["unexpected character `'`"], ["double quotes"]),
    ("E0105", "bad-date", "plan p { effective 2026-02-30 }\n", (1, 20, 1, 30), ["`2026-02-30` is not a date"], ["YYYY-MM-DD"]),
    # ---- names and declarations ----
    ("E0201", "unknown-name", PLAN + CALLS + "kpi k = cals target 10 weight 100%\n", (10, 9, 10, 13),
     ["unknown name `cals`"], ["did you mean `calls`?"]),
    ("E0201", "unknown-name", PLAN + 'metric m = count(activities where tpye = "call")\n', (9, 35, 9, 39),
     ["`activities` has no column `tpye`"], ["did you mean `type`?"]),
    ("E0201", "unknown-name", PLAN + "pay p = salery\n", (9, 9, 9, 15), ["unknown name `salery`"], ["`salary`"]),
    ("E0201", "unknown-name", PLAN + "pay p = mutliplier(kpi_score) * salary\ntable multiplier { below 1 : 0 from 1 : 1 }\n",
     (9, 9, 9, 19), ["unknown function or table `mutliplier`"], ["did you mean `multiplier`?"]),
    ("E0201", "unknown-name", PLAN + "pay p = deals\n", (9, 9, 9, 14), ["`deals` is a data table"], ["count(deals)"]),
    ("E0201", "unknown-name", PLAN + "pay p = salary * targetz.bonus\n", (9, 18, 9, 31), ["unknown table `targetz`"],
     ["did you mean `targets`?"]),
    ("E0202", "duplicate-name", PLAN + CALLS + CALLS, (10, 8, 10, 13), ["`calls` is declared twice"], ["rename one"]),
    ("E0202", "reserved-name", PLAN + "metric salary = count(leads)\n", (9, 8, 9, 14), ["`salary` is a built-in name"],
     ["`salary_metric`"]),
    ("E0203", "second-plan", PLAN + PLAN.replace("plan p", "plan q"), (9, 6, 9, 7), ["exactly one `plan` block"],
     ["its own file"]),
    ("E0204", "missing-plan", "pay p = 5\n", (1, 5, 1, 6), ["need a `plan` block"], ["plan NAME"]),
    # ---- units ----
    ("E0301", "unit-mismatch", PLAN + "metric rev = sum(deals.amount)\n" + CALLS + "pay p = rev + calls\n", (11, 9, 11, 20),
     ["cannot add money and a count"], ["the same unit"]),
    ("E0301", "unit-mismatch", PLAN + "metric rev = sum(deals.amount)\nkpi k = rev target 5m weight 100%\n",
     (10, 20, 10, 22), ["the target of `k` is a duration", "its value is money"], ["unit of the KPI's value"]),
    ("E0301", "unit-mismatch", PLAN + "metric m = count(deals where stage > 1)\n", (9, 30, 9, 39),
     ["`>` needs numbers"], ["`=` and `!=`"]),
    ("E0301", "unit-mismatch", PLAN + CALLS + "pay p = calls * 10%\n", (10, 9, 10, 20),
     ["pay `p` must be money", "a count"], ["multiply the count by an amount of money"]),
    # ---- plan fields ----
    ("E0401", "unknown-plan-field", PLAN.replace("    goal ", "    gaol "), (7, 5, 7, 9), ["`gaol` is not a plan field"],
     ["did you mean `goal`?"]),
    ("E0402", "duplicate-plan-field", PLAN.replace("    goal", "    period month\n    goal"), (7, 5, 7, 11),
     ["`period` is given twice"], ["keep one"]),
    ("E0403", "missing-plan-field", PLAN.replace('    goal      "Grow"\n', ""), (1, 6, 1, 7), ["the plan has no `goal`"],
     ['goal "']),
    ("E0404", "bad-plan-field", PLAN.replace("period    month", "period    monthly"), (3, 15, 3, 22),
     ["`monthly` is not a period"], ["`period month`"]),
    ("E0404", "bad-plan-field", PLAN.replace("currency  RUB", "currency  RUBLES"), (5, 15, 5, 21),
     ["`RUBLES` is not an ISO 4217 currency code"], ["`currency RUB`"]),
    ("E0404", "bad-plan-field", PLAN.replace("role      cold", 'role      "cold"'), (2, 15, 2, 21),
     ["a role is a bare word"], ["`role cold`"]),
    ("E0404", "bad-plan-field", PLAN.replace("RUB\n", 'RUB\n    timezone "Europe/Moskow"\n'), (6, 14, 6, 29),
     ['"Europe/Moskow" is not an IANA timezone'], ['did you mean "Europe/Moscow"?']),
    # ---- clauses ----
    ("E0501", "missing-clause", PLAN + CALLS + "kpi k = calls weight 100%\n", (10, 5, 10, 6), ["KPI `k` has no `target`"],
     ["`target …` and `weight …%`"]),
    ("E0502", "duplicate-clause", PLAN + CALLS + "kpi k = calls target 10 weight 50% weight 50%\n", (10, 36, 10, 46),
     ["`weight` is given twice"], ["keep one"]),
    ("E0503", "misplaced-clause", PLAN + CALLS + "pay p = salary weight 50%\n", (10, 16, 10, 26),
     ["`weight` does not belong to a pay"], ["a pay takes `cap` and `floor`", "belongs to a KPI"]),
    ("E0503", "misplaced-clause", PLAN + "metric m = count(leads) lower is better\n", (9, 25, 9, 40),
     ["`lower is better` does not belong to a metric"], ["`kind`, `uncontrollable` and `controllable`"]),
    ("E0504", "bad-weight", PLAN + CALLS + "kpi k = calls target 10 weight 50\n", (10, 32, 10, 34),
     ["must be a percent"], ["`weight 30%`"]),
    ("E0504", "bad-weight", PLAN + CALLS + "kpi k = calls target 10 weight 150%\n", (10, 32, 10, 36),
     ["above 0% and at most 100%"], ["add up to 100%"]),
    ("E0504", "bad-cap", PLAN + CALLS + "kpi k = calls target 10 weight 100% cap 0%\n", (10, 41, 10, 43),
     ["the cap of `k` must be above 0%"], ["`cap 150%`"]),
    ("E0506", "bad-kind", PLAN + "metric m = count(leads) kind results\n", (9, 30, 9, 37),
     ["`results` is not a kind of metric"], ["`kind result`", "`kind activity`", "`kind quality`"]),
    ("E0508", "controllable-both-ways", PLAN + 'metric m = count(leads) uncontrollable controllable "x"\n', (9, 40, 9, 56),
     ["both `controllable` and `uncontrollable`"], ["keep one"]),
    ("E0509", "controllable-without-reason", PLAN + 'metric m = count(leads) controllable "  "\n', (9, 25, 9, 42),
     ["gives no reason"], ["say why the manager can influence it"]),
    # ---- order ----
    ("E0601", "cycle", PLAN + "pay a = b\npay b = a\n", (9, 5, 9, 6), ["in a circle", "a → b → a"],
     ["cannot be computed from itself"]),
    # ---- metrics and functions ----
    ("E0701", "metric-without-data", PLAN + "metric m = 5\n", (9, 12, 9, 13), ["aggregates no data"], ["count(activities"]),
    ("E0702", "table-without-argument", PLAN + "table t { below 1 : 0  from 1 : 1 }\npay p = salary * t\n",
     (10, 18, 10, 19), ["table `t` is used without an argument"], ["`t(kpi_score)`"]),
    ("E0703", "metric-reads-non-data", PLAN + "metric m = count(leads) * salary\n", (9, 27, 9, 33),
     ["a metric cannot use salary"], ["KPI or a pay"]),
    ("E0704", "mixed-tables", PLAN + 'metric m = sum(deals.amount where leads.source = "web")\n', (9, 35, 9, 47),
     ["`leads.source` is not a column of `deals`"], ["combine two metrics"]),
    ("E0705", "column-outside-aggregate", PLAN + "pay p = deals.amount\n", (9, 9, 9, 21), ["is a column"],
     ["`sum(deals.amount)`"]),
    ("E0706", "aggregate-outside-metric", PLAN + "pay p = sum(deals.amount)\n", (9, 9, 9, 12),
     ["belongs in a metric"], ["`metric NAME = sum(…)`"]),
    ("E0707", "where-outside-aggregate", PLAN + 'pay p = min(salary, 1000 where stage = "won")\n', (9, 32, 9, 45),
     ["`where` filters the rows"], ["in a metric"]),
    ("E0708", "bad-arguments", PLAN + "pay p = round(salary)\n", (9, 9, 9, 22), ["`round(x, 2)`"], ["digits after the point"]),
    ("E0708", "bad-arguments", PLAN + "pay p = max(salary)\n", (9, 9, 9, 20), ["two or more"], ["`max(a, b)`"]),
    ("E0708", "bad-arguments", PLAN + "table t { below 1 : 0  from 1 : 1 }\npay p = salary * t(1, 2)\n", (10, 18, 10, 25),
     ["table `t` takes one value"], None),
    ("E0709", "bad-aggregate", PLAN + "metric m = count(dealz)\n", (9, 18, 9, 23), ["counts the rows of a table"],
     ["did you mean `deals`?"]),
    ("E0709", "bad-aggregate", PLAN + "metric m = share(leads)\n", (9, 12, 9, 24), ["`share` needs a `where`"],
     ["divided by all leads"]),
    ("E0709", "bad-aggregate", PLAN + "metric m = sum(targets.revenue)\n", (9, 16, 9, 31),
     ["`targets` is not an activity table"], ["read per person"]),
    # ---- earlier periods: previous(), retained(), churned() ----
    ("E0202", "reserved-name", PLAN + "table previous { below 1 : 0 }\n", (9, 7, 9, 15),
     ["`previous` is a built-in name"], None),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(rev, 0) * 1%\n", (10, 23, 10, 24),
     ["whole number from 1 to 60"], ["same month a year before"]),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(rev, 2.5) * 1%\n", (10, 23, 10, 26),
     ["whole number from 1 to 60"], None),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(salary)\n", (10, 18, 10, 24),
     ["`salary` is not a metric"], ["then `previous(rev"]),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(targets.x)\n", (10, 18, 10, 27),
     ["`targets.x` is not a metric"], None),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(previous(rev)) * 1%\n", (10, 18, 10, 31),
     ["cannot stand inside `previous(…)`"], ["look back at the metrics"]),
    ("E0710", "bad-history", PLAN + REV + "metric g = rev - previous(rev)\npay p = previous(g) * 1%\n",
     (11, 18, 11, 19), ["metric `g` already looks back"], None),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous(rev where stage = \"won\")\n", (10, 28, 10, 41),
     ["takes no `where`"], None),
    ("E0710", "bad-history", PLAN + REV + "pay p = previous()\n", (10, 9, 10, 19), ["takes a formula of metrics"], None),
    ("E0710", "bad-history", PLAN + "metric k = retained(deals where stage = \"won\")\n", (9, 12, 9, 47),
     ["one column, written `TABLE.COLUMN`"], ["retained(deals.client_id"]),
    ("E0706", "aggregate-outside-metric", PLAN + "pay p = churned(deals.client_id) * 100\n", (9, 9, 9, 16),
     ["`churned(…)` reads data rows"], None),
    ("E0301", "unit-mismatch", PLAN + REV + CALLS + "pay p = previous(rev) + calls\n", (11, 9, 11, 30),
     ["money", "count"], None),
    # ---- tables ----
    ("E0801", "empty-table", PLAN + "table t { }\n", (9, 7, 9, 8), ["table `t` has no bands"], ["below 70% : 0"]),
    ("E0801", "bad-band", PLAN + 'table t { below 1 : "a" }\n', (9, 21, 9, 24), ["a number, a percent or a duration"],
     ["no formula"]),
    ("E0802", "empty-band", PLAN + "table t { 90% to 70% : 1 }\n", (9, 11, 9, 25), ["the band `90% to 70%` is empty"],
     ["X ≤ s < Y"]),
    ("E0803", "bad-graduated-table", PLAN + "table t graduated { below -10% : 1%  from -10% : 2% }\n", (9, 21, 9, 36),
     ["has a negative edge"], ["start at 0"]),
    # ---- tests ----
    ("E0901", "bad-test-name", PLAN + CALLS + 'test "t" { given kpi_score = 1 expect calls = 1 }\n', (10, 18, 10, 27),
     ["`kpi_score` cannot be set in `given`"], ["the score and pays are computed"]),
    ("E0901", "bad-test-name", PLAN + CALLS + 'test "t" { expect cals = 1 }\n', (10, 19, 10, 23), ["unknown name `cals`"],
     ["did you mean `calls`?"]),
    ("E0902", "duplicate-test-value", PLAN + CALLS + 'test "t" { given calls = 1, calls = 2 expect calls = 1 }\n',
     (10, 29, 10, 34), ["`calls` is set twice"], ["keep one"]),
    ("E0903", "test-without-expect", PLAN + CALLS + 'test "t" { given calls = 1 }\n', (10, 1, 10, 29),
     ['test "t" expects nothing'], ["`expect bonus = 0`"]),
    # ---- limits of the text (kept last: other tests pick cases by position) ----
    ("E0106", "formula-too-deep", "pay p = " + "-" * 81 + "salary\n", (1, 9, 1, 96),
     ["nests 81 operations", "at most 80"], ["metrics or pays of their own"]),
    ("E0107", "bidi-control", 'plan p "a\u202eb" {}\n', (1, 10, 1, 11), ["U+202E", "RIGHT-TO-LEFT OVERRIDE"],
     ["Trojan Source"]),
    ("E0108", "exponent-number", "pay p = salary * 1.5e3\n", (1, 18, 1, 23), ["`1.5e3`", "exponent notation"],
     ["`1500`"]),
    ("E0109", "bad-name", "metric ｉｆ = count(leads)\n", (1, 8, 1, 10), ["`ｉｆ` reads as `if`", "NFKC"],
     ["ordinary letters"]),
]


def _ids(case) -> str:
    return f"{case[0]}-{case[1]}-{CASES.index(case)}"


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_each_error_has_its_code_position_and_words(case):
    code, name, source, position, message_words, help_words = case
    result = compile_text(source, "plan.kpi")
    assert result.program is None
    first = result.diagnostics[0]
    assert (first.code, first.name) == (code, name), [(d.code, d.message) for d in result.diagnostics]
    span = first.span
    assert (span.file, span.line, span.column, span.end_line, span.end_column) == ("plan.kpi", *position)
    for words in message_words:
        assert words in first.message
    for words in help_words or []:
        assert words in (first.help or "")
    assert first.severity.value == "error"


def _write(directory: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")


def test_E0205_an_import_that_cannot_be_read(tmp_path):
    _write(tmp_path, {"plan.kpi": 'import "lib/missing.kpi"\n' + PLAN})
    d = compile_file(tmp_path / "plan.kpi").diagnostics[0]
    assert (d.code, d.name, d.span.line, d.span.column, d.span.end_line, d.span.end_column) == \
        ("E0205", "import-not-found", 1, 1, 1, 25)
    assert "cannot read imported file" in d.message and "missing.kpi" in d.message
    assert "relative to the file that imports them" in d.help


def test_E0206_an_import_cycle(tmp_path):
    _write(tmp_path, {"plan.kpi": 'import "a.kpi"\n' + PLAN, "a.kpi": 'import "b.kpi"\n', "b.kpi": 'import "a.kpi"\n'})
    d = compile_file(tmp_path / "plan.kpi").diagnostics[0]
    assert (d.code, d.name, d.span.line, d.span.column, d.span.end_line, d.span.end_column) == \
        ("E0206", "import-cycle", 1, 1, 1, 15)
    assert d.span.file.endswith("b.kpi")
    assert re.search(r"import cycle: .*a\.kpi → .*b\.kpi → .*a\.kpi", d.message)
    assert "third file" in d.help


def test_E0207_an_imported_file_with_a_plan(tmp_path):
    _write(tmp_path, {"plan.kpi": 'import "lib.kpi"\n' + PLAN, "lib.kpi": PLAN.replace("plan p", "plan q")})
    d = compile_file(tmp_path / "plan.kpi").diagnostics[0]
    assert (d.code, d.name, d.span.line, d.span.column, d.span.end_line, d.span.end_column) == \
        ("E0207", "import-of-plan", 1, 6, 1, 7)
    assert d.span.file.endswith("lib.kpi")
    assert "must not have a `plan` block" in d.message and "its own file" in d.help


def test_E0208_a_kpi_in_a_library_file(tmp_path):
    _write(tmp_path, {"plan.kpi": 'import "lib.kpi"\n' + PLAN, "lib.kpi": CALLS + "kpi k = calls target 1 weight 100%\n"})
    d = compile_file(tmp_path / "plan.kpi").diagnostics[0]
    assert (d.code, d.name, d.span.line, d.span.column, d.span.end_line, d.span.end_column) == \
        ("E0208", "library-declaration", 2, 5, 2, 6)
    assert "not a `kpi`" in d.message and "plan file that imports" in d.help


def test_E0901_a_table_called_only_in_a_metric_is_not_expected_by_its_name():
    """A test gives metrics instead of computing them, so it never makes a look-up a metric makes."""
    source = PLAN + (REV + 'table steps { below 100 : 0  from 100 : 2 }\n'
                     'metric stepped = steps(sum(deals.amount)) * 2\n'
                     'test "t" { given rev = 1 expect steps = 2 }\n')
    (d,) = compile_text(source, "plan.kpi").diagnostics
    assert (d.code, d.name, d.span.line, d.span.column, d.span.end_line, d.span.end_column) == \
        ("E0901", "bad-test-name", 12, 33, 12, 38)
    assert d.message == "`steps` cannot be set in `expect`"
    assert d.help == ("table `steps` is called only in metric `stepped`, which a test gives instead of computing it; "
                      "check the table with an argument of your own: `expect steps(EXPR) = …`")
    assert d.localized("ru").help == (
        "таблица «steps» вызывается только в метрике «stepped», а метрику тест задаёт, а не вычисляет; "
        "проверьте таблицу со своим аргументом: `expect steps(EXPR) = …`")


def test_notes_point_at_the_first_declaration():
    result = compile_text(PLAN + CALLS + CALLS, "plan.kpi")
    note = result.diagnostics[0].notes[0]
    assert (note.span.line, note.span.column) == (9, 8)
    assert "the first `calls` (metric) is here" == note.message


def test_every_code_in_the_source_has_a_test():
    emitted = set()
    for path in [*SRC.joinpath("syntax").rglob("*.py"), *SRC.joinpath("compile").rglob("*.py")]:
        emitted |= set(re.findall(r'"(E0\d{3})"', path.read_text(encoding="utf-8")))
    tested = {case[0] for case in CASES} | {"E0205", "E0206", "E0207", "E0208", "E0209"}
    assert emitted - tested == set(), "codes without a test"
    assert tested - emitted == set(), "tests of codes nothing emits"


# ---- rendered text (golden files) ------------------------------------------------------------

RENDERED = {
    "unknown-name": PLAN + CALLS + "kpi k = cals target 10 weight 100%\n",
    "unclosed-bracket": "pay p = min(salary, (1 + 2)\n",
    "duplicate-name": PLAN + CALLS + CALLS,
    "unit-mismatch": PLAN + "metric rev = sum(deals.amount)\n" + CALLS + "pay p = rev + calls\n",
    "cycle": PLAN + "pay a = b\npay b = a\n",
}


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_rendered_text_matches_the_golden_file(name, golden):
    result = compile_text(RENDERED[name], "plan.kpi")
    text = "\n\n".join(render_text(d, result.sources) for d in result.diagnostics) + "\n"
    golden(GOLDEN / f"{name}.txt", text)


def test_lint_json_has_the_shape_of_the_command_line_contract(tmp_path):
    (tmp_path / "plan.kpi").write_text(PLAN + "kpi k = cals target 10 weight 100%\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(tmp_path / "plan.kpi")])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"diagnostics", "summary", "fatal"} and report["fatal"] == []
    assert report["summary"] == {"files": 1, "errors": 1, "warnings": 0}
    (d,) = report["diagnostics"]
    assert {"code", "name", "severity", "message", "file", "line", "column", "end_line", "end_column", "help"} <= set(d)
    assert (d["code"], d["name"], d["severity"]) == ("E0201", "unknown-name", "error")
    assert (d["line"], d["column"], d["end_line"], d["end_column"]) == (9, 9, 9, 13)
    assert d["file"].endswith("plan.kpi") and d["help"] == "declare it as a metric, KPI or pay, or check the spelling"
    assert all(isinstance(d[k], int) for k in ("line", "column", "end_line", "end_column"))


def test_lint_json_of_a_clean_plan_is_empty(normative_dir):
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(normative_dir / "cold_sales.kpi")])
    report = json.loads(result.stdout)
    assert [d for d in report["diagnostics"] if d["severity"] in ("error", "warning")] == []
    assert report["summary"]["files"] == 1 and report["summary"]["errors"] == 0
