"""A plan through the whole pipeline, as a user would take it: compile, lint (every check),
fmt, eval on the normative data, the report in every output format, and explain in every
language and format. Whatever the plan, each stage answers with a result or with diagnostics:
an exception other than the ones a stage documents is a crash.

Plans come from three generators: the normative plan with a formula of any shape added
(grammar-aware, over the plan's own names, with deep nesting, huge literals and `round` with any
digits), the normative and a feature-complete plan with token or byte mutations (bench/fuzz.py's
mutators, driven by Hypothesis), and the compiling plans of tests/syntax/plan_strategies.py.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from tests.fuzz.bench_fuzz import bench_fuzz
from tests.fuzz.normative_data import DATA, PLAN

# ---- the stages ---------------------------------------------------------------------------------

PERIOD_OF = {"month": "2026-07", "quarter": "2026-Q3", "week": "2026-W27"}


@dataclass
class Reached:
    """How far a plan went: `compiled`, `evaluated` (eval gave a report), `explained`."""

    compiled: bool = False
    evaluated: bool = False
    explained: bool = False


def run_pipeline(text: str) -> Reached:
    """Every stage on `text`; an undocumented exception propagates."""
    import kpilang
    from kpilang.compile import compile_text
    from kpilang.data import DataError
    from kpilang.diagnostics import render_text
    from kpilang.evaluate.aggregate import MetricQueryError
    from kpilang.evaluate.period import PeriodError
    from kpilang.syntax.formatter import format_source

    reached = Reached()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.kpi"
        path.write_text(text, encoding="utf-8")
        (Path(tmp) / "library.kpi").write_text("metric lib = count(deals)\n", encoding="utf-8")  # bench's import
        linted = kpilang.lint(path)
        for d in linted.diagnostics:
            render_text(d, linted.sources)
            d.to_json()
        formatted, _ = format_source(text, str(path))
        if formatted is not None:
            again = compile_text(formatted, str(path))
            assert again.ok == compile_text(text, str(path)).ok, "formatting changed whether the plan compiles"
        program = linted.program
        if program is None or program.plan is None:
            return reached
        reached.compiled = True
        period = PERIOD_OF.get(str(program.plan.period), "2026-07")
        try:
            report = kpilang.evaluate(program, DATA, period)
        except (PeriodError, DataError, MetricQueryError):
            return reached
        reached.evaluated = True
        _render_report(report)
        _explain(report)
        reached.explained = True
    return reached


def _render_report(report) -> None:
    from rich.console import Console

    from kpilang.payouts.csv import EXCEL, render_csv
    from kpilang.payouts.json import render_json
    from kpilang.payouts.table import render_table
    from kpilang.payouts.xlsx import write_xlsx

    for lang in ("en", "ru"):
        render_json(report, lang)
        render_csv(report, lang)
        render_csv(report, lang, EXCEL)
        render_table(report, Console(file=io.StringIO(), width=100), lang=lang)
    write_xlsx(report, io.BytesIO(), "ru")  # one language: a workbook costs more than the text formats


def _explain(report) -> None:
    from kpilang.explain import build_statements, render_statements

    for lang in ("ru", "en"):
        statements = build_statements(report, lang=lang)
        for fmt in ("text", "md", "html"):
            render_statements(statements, report, fmt=fmt, lang=lang, book=fmt == "html")


# ---- plans --------------------------------------------------------------------------------------

NORMATIVE_TEXT = PLAN.read_text(encoding="utf-8")
METRICS = ["calls", "meetings", "deals_won", "revenue", "new_clients", "leads_in"]
KPIS = ["revenue_plan", "meeting_rate", "new_clients_kpi"]
PAYS = ["bonus", "commission"]
UNITS = {
    "money": ["salary", "revenue", "targets.revenue", "managers.salary", "bonus", "commission"],
    "count": ["calls", "meetings", "deals_won", "new_clients", "leads_in"],
    "number": KPIS + ["kpi_score"],
}

plain_numbers = st.one_of(
    st.from_regex(r"(0|[1-9][0-9]{0,6})(\.[0-9]{1,4})?", fullmatch=True),
    st.sampled_from(["0", "1_000", "9" * 30, "1" + "0" * 40, "0." + "0" * 30 + "1", "123456789012345678901234567.5"]),
)
percents = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,2})?%", fullmatch=True)
round_digits = st.one_of(st.integers(-3, 12), st.integers(13, 40), st.sampled_from([10**6, 10**20, 2**63]))


@st.composite
def formulas(draw, unit: str = "money", depth: int = 4) -> str:
    """A formula of `unit` (money, count or number) over the normative plan's names, of every
    shape the language has: arithmetic, `round` with any digits, min/max, if, otherwise, the
    plan's table, parentheses, and literals up to 40 digits."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        leaves = [st.sampled_from(UNITS[unit]), plain_numbers] + ([percents] if unit == "number" else [])
        return draw(st.one_of(*leaves))
    same = formulas(unit, depth - 1)
    number = formulas("number", depth - 1)
    kind = draw(st.sampled_from(["add", "scale", "ratio", "neg", "round", "minmax", "if", "otherwise", "table",
                                 "paren"]))
    if kind == "add":
        return f"{draw(same)} {draw(st.sampled_from(['+', '-']))} {draw(same)}"
    if kind == "scale":
        return f"{draw(same)} {draw(st.sampled_from(['*', '/']))} ({draw(number)})"
    if kind == "ratio" and unit == "number":
        other = draw(st.sampled_from(["money", "count"]))
        return f"({draw(formulas(other, depth - 1))}) / ({draw(formulas(other, depth - 1))})"
    if kind == "neg":
        return f"-({draw(same)})"
    if kind == "round":
        return f"round({draw(same)}, {draw(round_digits)})"
    if kind == "minmax":
        return f"{draw(st.sampled_from(['min', 'max']))}({draw(same)}, {draw(same)})"
    if kind == "if":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "=", "!="]))
        other = formulas(draw(st.sampled_from(list(UNITS))), 1)
        return f"(if {draw(other)} {op} {draw(other)} then {draw(same)} else {draw(same)})"
    if kind == "otherwise":
        return f"(({draw(same)}) otherwise {draw(same)})"
    if kind == "table":
        return f"{draw(same)} * multiplier({draw(number)})" if unit != "number" else f"multiplier({draw(number)})"
    return f"({draw(same)})"


deep_formulas = st.integers(50, 3000).flatmap(lambda n: st.sampled_from([
    "(" * n + "salary" + ")" * n, " + ".join(["1"] * n), "-" * n + "1", "salary" + " * 1" * n]))

labels = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='\n\r"\\'), max_size=20)


@st.composite
def normative_with_formula(draw) -> str:
    """The normative plan with one more pay (and sometimes a KPI) of a generated formula."""
    formula = draw(st.one_of(formulas(), formulas(), formulas(), deep_formulas))
    kpi_formula = draw(st.one_of(formulas("number"), formulas("number"), deep_formulas))
    label = draw(labels)
    where = draw(st.sampled_from(["pay", "kpi", "cap"]))
    if where == "pay":
        return NORMATIVE_TEXT + f'\npay fuzz "{label}" =\n    {formula}\n'
    if where == "kpi":
        return NORMATIVE_TEXT.replace("kpi meeting_rate", f'kpi fuzz "{label}" =\n    {kpi_formula}\n    target 8%\n'
                                      "    weight 1%\n\nkpi meeting_rate")
    return NORMATIVE_TEXT.replace("cap 2 * salary", f"cap {formula}")


BENCH = bench_fuzz()
SEEDS = BENCH.seeds()
TOKENS = [BENCH.tokens_of(s) for s in SEEDS]


@st.composite
def mutated_plans(draw) -> str:
    """The normative or the feature-complete plan with token or byte mutations."""
    rng = draw(st.randoms(use_true_random=False))
    if draw(st.booleans()):
        return BENCH.mutate_tokens(rng, TOKENS[draw(st.integers(0, len(TOKENS) - 1))])
    return BENCH.mutate_chars(rng, SEEDS[draw(st.integers(0, len(SEEDS) - 1))])
