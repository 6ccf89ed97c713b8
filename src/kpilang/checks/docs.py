"""The check pages in docs/checks/, made from each check's docstring.

`python -m kpilang.checks.docs docs/checks` rewrites them; a test keeps the committed pages in
sync with the docstrings, so the documentation moves with the behaviour.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from kpilang.checks.base import Check, registry
from kpilang.checks.criteria import CRITERIA
from kpilang.diagnostics import check_page


class CorpusFigures(NamedTuple):
    """What the checks find in tests/checks/corpus (tests/checks/test_corpus.py measures it)."""

    found: int
    defects: int
    clean: int


CORPUS_FIGURES = CorpusFigures(found=24, defects=27, clean=6)

_CRITERION_WORDS = {
    "specific": "specific", "measurable": "measurable", "achievable": "achievable",
    "relevant": "relevant: not met without sales; KPI → money", "time-bound": "time-bound",
    "transparent": "transparent: weights 100%, formulas checkable by hand", "stable": "stable (at most one change a quarter)",
    "controllable": "controllable",
}


def page_name(check: Check) -> str:
    return Path(check_page(check.code, check.name)).name


def render_page(check: Check) -> str:
    lines = check.doc.splitlines()
    body = "\n".join(lines[1:]).strip()  # the first line repeats the code, name and summary
    return (
        f"# {check.code} {check.name}\n\n"
        f"{check.summary[0].upper() + check.summary[1:]}.\n\n"
        f"Default severity: **{check.severity.value}**."
        + (" Runs only with `kpilang lint --history DATA`." if check.needs_history else "")
        + f" [По-русски](ru/{page_name(check)}).\n\n{body}\n\n"
        f"To silence one finding, say why on its line or the line above:\n"
        f"`# kpilang: ignore[{check.code}] -- the reason`. To change the severity or switch the check off for a\n"
        f"project, see [the configuration](index.md#configuration).\n"
    )


def render_index() -> str:
    criteria_rows = "\n".join(
        f"| {_CRITERION_WORDS[c.key]} | {', '.join(c.checks) if c.checks else '`kpilang cadence`, not a lint check'} |"
        for c in CRITERIA)
    found, defects, clean = CORPUS_FIGURES
    rows = "\n".join(
        f"| [{c.code}]({page_name(c)}) | `{c.name}` | {c.severity.value} | {c.summary} |" for c in registry().values()
    )
    return f"""# Checks

`kpilang lint` compiles each plan and then runs these checks on it. Errors make the command exit
with status 1; warnings are reported but do not fail it. Every page is also in Russian, in
[ru/](ru/index.md).

| code | name | default | finds |
|---|---|---|---|
{rows}

## Running
```
kpilang lint PATH... [--format text|json|sarif|github] [--history DATA] [--criteria] [--lang en|ru]
```
A directory means every `*.kpi` below it. `text` is for people (the source line, a caret, the
help); `json` lists every finding with its position and help, and `witness` where a check proves something
with concrete values; `sarif` is SARIF 2.1.0 for code scanning; `github` prints workflow
annotations. `--history DATA` also runs KPL010 on the past periods of a data directory.
`--criteria` prints, for each plan, its verdict on [the seven criteria](criteria.md) and
controllability instead of the list of findings (`text` or `json`). Exit
status: 0 no errors, 1 errors found, 2 a file, the data or the configuration could not be read.

## In Russian
`--lang ru` says every finding, its help and notes, and the summary line in Russian, in every
format (`ошибка[KPL003]: сумма весов KPI — 90%, а не 100%` … `= подсказка: …`); `KPILANG_LANG=ru`
in the environment does the same for every command without the option (`--lang en` overrides it).
Numbers in the sentences are written the Russian way (`от 0,9 до 1`, `с 0,00 до 50 000,00`);
numbers in code spans (`` `target 95%` ``) and in witnesses stay as a plan writes them, since
they are meant to be typed into one. Under each finding, `= подробнее:` names the check's page in
Russian ([ru/](ru/index.md)), and SARIF's `helpUri` points at it. Codes, check names, positions
and JSON keys never change with the language; SARIF rule descriptions (from the English pages)
stay in English. The default is English.

## The seven criteria, and the rest
What each criterion means, which checks judge it and where a check is only a proxy: see
[the seven criteria](criteria.md) ([по-русски](ru/criteria.md)). `kpilang lint --criteria PLAN`
gives a plan's verdict on each.

| criterion | checks |
|---|---|
{criteria_rows}
| structure: 2–4 KPIs, 6–8 metrics | KPL001, KPL002 |
| tables and bounds | KPL016, KPL017, KPL018, KPL019 |
| ignore comments | KPL021, KPL022 |

## Proofs and witnesses
KPL004, KPL005, KPL009, KPL016, KPL019, KPL020 and KPL027 reason over every possible month of every
person: each formula is evaluated over ranges of values (interval analysis), which bounds what it
can give. A bound is a proof ("without sales the score stays below 30%"). Where a problem *can*
happen, the finding carries a **witness**: concrete metric values (in the message and in the JSON
`witness` field) that, evaluated exactly, make it happen. Put them in a `test` block to keep the
fix honest. When neither a proof nor a witness is found, the check says so instead of guessing.

A witness is always a month that can happen. It is searched as rows, not as metric values chosen
one by one: for each table the plan's aggregates read, every kind of row their conditions tell
apart (each value a condition names and one it does not, each threshold and a unit either side, a few
amounts and durations), in counts of 0, 1, 10, 100, 1,000, 10,000 or a million rows of each
kind. Every metric is computed from those rows exactly as `kpilang eval` computes it, so a
witness never shows more calls of a minute or more than calls in all, or a share of long calls
above 100%. The tests write witness months out as CSV exports and check that `kpilang eval`
gives the same metrics and the same claimed figure. A plan whose conditions compare with a date,
read a column of another table, or order texts has no such model; its checks then say they could
not decide.

**A month without a single sale** (KPL004, KPL005) is a month with no won deal. So a metric that
reads only won deals (its condition requires `stage = "won"`: `sum(deals.amount where stage =
"won")`, `avg(deals.amount where stage = "won" and is_new_client)`) has no rows in it: a count or
sum of them is 0 and an average, minimum, maximum, median or share has no value, whatever its
`kind`. A `kind result` metric is 0 (or has no value) as well: no row of the witness month
counts towards it. Every other metric (calls, meetings, leads, deals not won) moves with the rows,
and the witness shows its values; a metric with no value in the month is left out of it.

## Measured, not hoped
`tests/checks/corpus/` holds {clean} clean plans, one for each role of `rules/`, covering the three
motivation models (a bonus for meeting KPI, salary × multiplier, fixed + KPI bonus + a percentage
of sales), and {defects} realistic bad plans with one main defect each, marked on its line. All of
them are written from the domain (the KPI criteria, the deadly mistakes), not from the checks'
code. The checks find **{found} of {defects}** defects in the declaration that holds them
(an error or a warning with the expected code), and raise no error or warning on any of the
{clean} clean plans. `tests/checks/test_corpus.py` measures it on every run and fails if recall drops.
The misses: a lead-to-deal conversion written as a share of leads whose status is `converted`
and marked `lower is better` (KPL026 knows sales as won deals and `kind result` metrics, not a
lead's status), "motivation without KPI" reported on the plan's line rather than on the pay, and
"too many KPIs" reported on the first KPI past the limit rather than on the plan.

## Ignore comments
`# kpilang: ignore[KPL012] -- the reason` (or `ignore[complex-formula]`) silences the named checks for findings on the same
line, or on the next line when the comment stands alone. The reason is required (KPL021); an
ignore that silences nothing is reported (KPL022). Compile errors cannot be ignored.

## Configuration
The nearest `kpilang.toml`, or `pyproject.toml` with a `[tool.kpilang]` table, found from the
linted file's folder upwards:

```toml
[tool.kpilang]
select = ["KPL001", "met-without-sales"]   # only these (default: all)
ignore = ["KPL002"]                          # never these
[tool.kpilang.severity]
KPL018 = "error"                             # error, warning or info
[tool.kpilang.limits]
kpis-min = 2
kpis-max = 4
metrics-min = 6
metrics-max = 8
formula-depth = 6          # the deepest nesting of operations
formula-length = 25        # the most operations and operands
history-min-share = "10%"  # with --history: a target fewer people reached is unrealistic
```
`import-roots = ["../shared-kpi"]` (under `[tool.kpilang]`, beside `select`) lists folders,
relative to the configuration file's folder, from which plans may import besides their own folder
(see [imports](../language.md#import)); a folder that does not exist opens nothing.
In a `kpilang.toml` the same keys may also stand at the top level, without `[tool.kpilang]`.
"""


def render_russian_index() -> str:
    """docs/checks/ru/index.md: every check with its Russian summary (from the message catalog)
    and its Russian page."""
    from kpilang.messages import t

    severity = {s: t(f"severity.{s}").render("ru") for s in ("error", "warning", "info")}
    rows = "\n".join(
        f"| [{c.code}]({page_name(c)}) | `{c.name}` | {severity[c.severity.value]} | {t(f'{c.code}.summary').render('ru')} |"
        for c in registry().values())
    return f"""# Проверки

[In English](../index.md)

`kpilang lint` компилирует каждый план и запускает на нём эти проверки. Ошибки завершают команду с
кодом 1; предупреждения выводятся, но команду не проваливают. `kpilang lint --lang ru` говорит
по-русски и под каждой находкой даёт ссылку на её страницу здесь.

| код | имя | по умолчанию | что находит |
|---|---|---|---|
{{rows}}

Какие проверки стоят за каждым из семи критериев правильного KPI и где проверка — лишь
приближение: [семь критериев](criteria.md). Настройки, комментарии ignore, доказательства и
примеры, а также замеры на корпусе планов описаны на [английской странице](../index.md).
""".replace("{rows}", rows)


def write_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for check in registry().values():
        path = folder / page_name(check)
        path.write_text(render_page(check), encoding="utf-8")
        written.append(path)
    index = folder / "index.md"
    index.write_text(render_index(), encoding="utf-8")
    russian = folder / "ru" / "index.md"
    russian.parent.mkdir(exist_ok=True)
    russian.write_text(render_russian_index(), encoding="utf-8")
    return [*written, index, russian]


if __name__ == "__main__":
    for written in write_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/checks")):
        print(written)
