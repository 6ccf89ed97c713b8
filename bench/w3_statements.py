"""W3: render statements from precomputed results, against plain `str.format` of the same figures.

    python bench/w3_statements.py [--people 2000] [--seed 3] [--repeat 3] [--lang ru]

The normative cold-sales plan is evaluated once for `--people` synthetic people (deterministic for
a seed: calls, meetings, deals, revenue to the kopeck, new clients, salary and revenue target all
vary, so most figures are new to the formatter's memo, as in a real team). That is the
precomputed part. Then, each the best of `--repeat` runs in this process:

- baseline: every figure a statement shows, put into one fixed text with `str.format` (no
  locale, no wording): the floor any statement renderer pays;
- text / md / html: `StatementBuilder.build` (Babel-formatted figures, formulas with numbers,
  bands, rounding) then the format's Jinja2 template, one person at a time, the result dropped
  as `--out` would write it;
- what it would take: the same with the next-band search, which re-runs the plan's formulas
  (reported for information: it is evaluation, not rendering).

Reported as statements per second and as the ratio of each time to the baseline's, so the
figures compare across machines and across a loaded machine's moods.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import kpilang  # noqa: E402
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs  # noqa: E402
from kpilang.evaluate.run import PersonResult  # noqa: E402
from kpilang.explain import StatementBuilder, StatementRenderer, load_messages  # noqa: E402

PLAN = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"
DATA = PLAN.parent / "data"

BASELINE = (
    "{name} ({id}) {plan} {period}\n"
    "calls {calls} meetings {meetings} deals {deals_won} revenue {revenue} new {new_clients} leads {leads_in}\n"
    "revenue_plan {r_value} / {r_target} = {r_raw} -> {r_att} x {r_weight} = {r_contrib}\n"
    "meeting_rate {m_value} / {m_target} = {m_raw} -> {m_att} x {m_weight} = {m_contrib}\n"
    "new_clients_kpi {n_value} / {n_target} = {n_raw} -> {n_att} x {n_weight} = {n_contrib}\n"
    "score {score} band {low}..{high} -> {multiplier}\n"
    "bonus {salary} x {multiplier} = {bonus_raw} cap {bonus_cap} -> {bonus}\n"
    "commission {revenue} x 2% = {commission_raw} -> {commission}\n"
    "total {salary} + {bonus} + {commission} = {total}\n"
)


def people(program, count: int, seed: int) -> list[PersonResult]:
    """`count` people evaluated by the plan's own formulas, as `kpilang explain` gets them."""
    engine = FormulaEngine(program)
    rng = random.Random(seed)
    out = []
    for i in range(count):
        metrics = {
            "calls": Decimal(rng.randint(0, 300)), "meetings": Decimal(rng.randint(0, 30)),
            "deals_won": Decimal(rng.randint(0, 9)), "revenue": Decimal(rng.randint(0, 250_000_000)) / 100,
            "new_clients": Decimal(rng.randint(0, 8)), "leads_in": Decimal(rng.randint(0, 5)),
        }
        inputs = PersonInputs(metrics=metrics, salary=Decimal(rng.randint(400, 900) * 100),
                              targets={"revenue": Decimal(rng.randint(4, 14) * 100_000)}, role="cold",
                              person=f"p{i:05d}", period="2026-07")
        outcome = engine.evaluate(inputs, trace=False)
        out.append(PersonResult(manager_id=f"p{i:05d}", name=f"Сотрудник {i}", role="cold", team="north",
                                metrics=metrics, outcome=outcome, errors=list(outcome.errors), inputs=inputs))
    return out


def baseline(report, persons: list[PersonResult]) -> None:
    for p in persons:
        o = p.outcome
        k = o.kpis
        hit = o.table_hits[0]
        r, m, n = k["revenue_plan"], k["meeting_rate"], k["new_clients_kpi"]
        BASELINE.format(
            name=p.name, id=p.manager_id, plan=report.plan, period=report.period.label,
            **{name: p.metrics[name] for name in p.metrics},
            r_value=r.value, r_target=r.target, r_raw=r.raw_attainment, r_att=r.attainment, r_weight=r.weight,
            r_contrib=r.contribution,
            m_value=m.value, m_target=m.target, m_raw=m.raw_attainment, m_att=m.attainment, m_weight=m.weight,
            m_contrib=m.contribution,
            n_value=n.value, n_target=n.target, n_raw=n.raw_attainment, n_att=n.attainment, n_weight=n.weight,
            n_contrib=n.contribution,
            score=o.kpi_score, low=hit.low, high=hit.high, multiplier=hit.value, salary=p.inputs.salary,
            bonus_raw=o.pays["bonus"].raw, bonus_cap=o.pays["bonus"].cap, bonus=o.pays["bonus"].value,
            commission_raw=o.pays["commission"].raw, commission=o.pays["commission"].value,
            total=o.pays["total"].value,
        )


def statements(report, persons: list[PersonResult], lang: str, fmt: str, what_it_takes: bool = False) -> None:
    # A fresh builder each run: its memo of formatted figures starts empty, as in a real run.
    t = load_messages(lang)
    builder = StatementBuilder(report, t, what_it_takes=what_it_takes)
    renderer = StatementRenderer(fmt)
    for person in persons:
        renderer.statement(builder.build(person), t)


def best(repeat: int, fn, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", choices=["ru", "en"], default="ru")
    parser.add_argument("--reach-people", type=int, default=200,
                        help="people for the (slower) what-it-takes run")
    args = parser.parse_args()

    program = kpilang.load(PLAN).program
    report = kpilang.evaluate(program, DATA, "2026-07")
    report.results = people(program, args.people, args.seed)

    base = best(args.repeat, baseline, report, report.results)
    rows = [("baseline: str.format of the figures", args.people, base)]
    for fmt in ("text", "md", "html"):
        rows.append((f"{fmt} statements", args.people, best(args.repeat, statements, report, report.results,
                                                            args.lang, fmt)))
    few = report.results[:args.reach_people]
    rows.append(("text + what it would take", len(few), best(args.repeat, statements, report, few, args.lang, "text",
                                                             True)))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"W3 statements: {args.people} people, lang {args.lang}, best of {args.repeat}, "
          f"{os.cpu_count()} CPU(s), load average {load:.1f}")
    print(f"{'run':40} {'people':>7} {'seconds':>9} {'per second':>11} {'× baseline':>11}")
    base_each = base / args.people
    for label, count, seconds in rows:
        print(f"{label:40} {count:7d} {seconds:9.3f} {count / seconds:11.0f} {seconds / count / base_each:11.1f}")


if __name__ == "__main__":
    main()
