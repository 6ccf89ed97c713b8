"""W2: the formula stage. 100,000 person-evaluations of the normative cold-sales plan.

    python bench/w2_formulas.py [--count 100000] [--rule-engine-count 10000] [--repeat 3] [--seed 2]

The metric values, salaries and targets are pseudo-random but fixed for a seed (counts of calls
and meetings, revenue in kopecks, salaries, revenue targets, some people with no calls at all),
so every run evaluates the same people. Three ways compute the same figures for each person —
three KPIs (value, target, raw and clamped attainment, contribution), the score, the multiplier
look-up, three pays (raw, cap, rounded amount):

- `FormulaEngine.evaluate(inputs, trace=False)`: the plan compiled from its .kpi text;
- hand-written Python over `Decimal` that hard-codes the same plan (the baseline to approach);
- the `rule-engine` package evaluating the same formulas written in its language, one rule per
  figure, also over `Decimal` (a general-purpose expression evaluator, the baseline to beat).

Before timing, every person's pays and score are compared across the three: the benchmark stops
if any differs. Each way is timed `--repeat` times, interleaved, in this same process; the best
time counts. rule-engine runs on the first `--rule-engine-count` people (it is slow) and its
throughput is per person like the others. Output: people per second and the ratios; the goals
are ≥ 1/3 of the hand-written throughput and ≥ 10× rule-engine's.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kpilang.compile import compile_file  # noqa: E402
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs  # noqa: E402

PLAN = ROOT / "tests" / "fixtures" / "normative" / "cold_sales.kpi"


def people(count: int, seed: int) -> list[PersonInputs]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        calls = 0 if rng.random() < 0.05 else rng.randint(20, 400)
        out.append(PersonInputs(
            metrics={
                "calls": Decimal(calls),
                "meetings": Decimal(rng.randint(0, max(calls // 5, 0))),
                "deals_won": Decimal(rng.randint(0, 12)),
                "revenue": Decimal(rng.randint(0, 250_000_000)).scaleb(-2),
                "new_clients": Decimal(rng.randint(0, 8)),
                "leads_in": Decimal(rng.randint(0, 30)),
            },
            salary=Decimal(rng.randrange(40_000, 150_001, 500)),
            targets={"revenue": Decimal(rng.randrange(400_000, 2_000_001, 50_000))},
        ))
    return out


# ---- the hand-written baseline: the normative plan in plain Decimal Python ---------------------

_CTX = Context(prec=34)
_WIDE = Context(prec=60)
_ZERO, _CAP, _CENT, _TWO, _PCT2 = Decimal(0), Decimal("1.5"), Decimal("0.01"), Decimal(2), Decimal("0.02")
_W_REVENUE, _W_RATE, _W_CLIENTS = Decimal("0.5"), Decimal("0.2"), Decimal("0.3")
_T_RATE, _T_CLIENTS = Decimal("0.08"), Decimal(4)
_BANDS = ((None, Decimal("0.70"), Decimal(0)), (Decimal("0.70"), Decimal("0.90"), Decimal("0.5")),
          (Decimal("0.90"), Decimal("1.00"), Decimal(1)), (Decimal("1.00"), Decimal("1.20"), Decimal("1.2")),
          (Decimal("1.20"), None, Decimal("1.5")))


def _kpi(value: Decimal, target: Decimal, weight: Decimal) -> dict:
    raw = value / target
    attainment, capped = raw, False
    if raw < _ZERO:
        attainment = _ZERO
    elif raw > _CAP:
        attainment, capped = _CAP, True
    # The contribution to 60 digits, from value and target when the attainment had to be rounded,
    # so that a score exactly on a band's edge is not a hair below it (as the language specifies).
    if attainment is not raw or _WIDE.multiply(raw, target) == value:
        wide = _WIDE.multiply(weight, attainment)
    else:
        wide = _WIDE.divide(_WIDE.multiply(weight, value), target)
    return {"value": value, "target": target, "raw_attainment": raw, "attainment": attainment, "capped": capped,
            "weight": weight, "contribution": +wide, "wide": wide}


def hand_written(p: PersonInputs) -> dict:
    with localcontext(_CTX):
        m = p.metrics
        calls, revenue = m["calls"], m["revenue"]
        rate = m["meetings"] / calls if calls else _ZERO
        revenue_plan = _kpi(revenue, p.targets["revenue"], _W_REVENUE)
        meeting_rate = _kpi(rate, _T_RATE, _W_RATE)
        new_clients = _kpi(m["new_clients"], _T_CLIENTS, _W_CLIENTS)
        score = +_WIDE.add(_WIDE.add(revenue_plan.pop("wide"), meeting_rate.pop("wide")), new_clients.pop("wide"))
        for band, (low, high, factor) in enumerate(_BANDS):
            if (low is None or low <= score) and (high is None or score < high):
                break
        hit = {"table": "multiplier", "argument": score, "band": band, "low": low, "high": high, "result": factor}
        salary = p.salary
        raw, cap = salary * factor, _TWO * salary
        capped = raw > cap
        bonus = {"raw": raw, "cap": cap, "capped": capped,
                 "value": (cap if capped else raw).quantize(_CENT, ROUND_HALF_UP)}
        raw = _PCT2 * revenue
        commission = {"raw": raw, "value": raw.quantize(_CENT, ROUND_HALF_UP)}
        raw = salary + bonus["value"] + commission["value"]
        total = {"raw": raw, "value": raw.quantize(_CENT, ROUND_HALF_UP)}
        return {"kpis": {"revenue_plan": revenue_plan, "meeting_rate": meeting_rate, "new_clients_kpi": new_clients},
                "kpi_score": score, "table_hits": [hit],
                "pays": {"bonus": bonus, "commission": commission, "total": total}}


# ---- rule-engine: the same formulas in its language -------------------------------------------

RULES = [
    # (figure, expression); each sees the figures before it. Rounding half up to 0.01 is spelt
    # with floor division, valid for the non-negative amounts here.
    ("meeting_rate_value", "calls == 0 ? 0 : meetings / calls"),
    ("revenue_plan_raw", "revenue / target_revenue"),
    ("revenue_plan", "revenue_plan_raw < 0 ? 0 : (revenue_plan_raw > 1.5 ? 1.5 : revenue_plan_raw)"),
    ("meeting_rate_raw", "meeting_rate_value / 0.08"),
    ("meeting_rate", "meeting_rate_raw < 0 ? 0 : (meeting_rate_raw > 1.5 ? 1.5 : meeting_rate_raw)"),
    ("new_clients_raw", "new_clients / 4"),
    ("new_clients_kpi", "new_clients_raw < 0 ? 0 : (new_clients_raw > 1.5 ? 1.5 : new_clients_raw)"),
    ("kpi_score", "0.5 * revenue_plan + 0.2 * meeting_rate + 0.3 * new_clients_kpi"),
    ("multiplier", "kpi_score < 0.70 ? 0 : (kpi_score < 0.90 ? 0.5 : (kpi_score < 1.00 ? 1 : "
                   "(kpi_score < 1.20 ? 1.2 : 1.5)))"),
    ("bonus_raw", "salary * multiplier"),
    ("bonus_capped", "bonus_raw > 2 * salary ? 2 * salary : bonus_raw"),
    ("bonus", "(bonus_capped * 100 + 0.5) // 1 / 100"),
    ("commission_raw", "0.02 * revenue"),
    ("commission", "(commission_raw * 100 + 0.5) // 1 / 100"),
    ("total_raw", "salary + bonus + commission"),
    ("total", "(total_raw * 100 + 0.5) // 1 / 100"),
]


def rule_engine_runner():
    import rule_engine

    context = rule_engine.Context(default_value=None)
    compiled = [(name, rule_engine.Rule(text, context=context)) for name, text in RULES]

    def run(p: PersonInputs) -> dict:
        with localcontext(_CTX):
            values = dict(p.metrics)
            values["salary"] = p.salary
            values["target_revenue"] = p.targets["revenue"]
            for name, rule in compiled:
                values[name] = rule.evaluate(values)
            return values

    return run


# ---- driver -------------------------------------------------------------------------------------


def timed(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rule-engine-count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()

    program = compile_file(PLAN).program
    engine = FormulaEngine(program)
    crowd = people(args.count, args.seed)
    sample = crowd[: args.rule_engine_count]
    try:
        rules = rule_engine_runner()
    except ImportError:
        rules = None
        print("rule-engine is not installed (pip install rule-engine): its column is skipped", file=sys.stderr)

    def engine_run(p):
        return engine.evaluate(p, trace=False)

    # The three must agree before their speed means anything.
    for index, p in enumerate(crowd[:20_000]):
        ours, hand = engine_run(p), hand_written(p)
        assert ours.errors == [], ours.errors
        assert ours.kpi_score == hand["kpi_score"]
        for name in ("bonus", "commission", "total"):
            assert ours.pays[name].value == hand["pays"][name]["value"], (name, p)
        if rules is not None and index < min(len(sample), 2000):
            theirs = rules(p)
            # rule-engine computes in its own 28-digit context: the score may differ in the last digits
            assert abs(theirs["kpi_score"] - hand["kpi_score"]) < Decimal("1e-24")
            for name in ("bonus", "commission", "total"):
                assert theirs[name] == hand["pays"][name]["value"], (name, theirs[name], hand["pays"][name]["value"])

    best = {"engine": float("inf"), "hand": float("inf"), "rule-engine": float("inf")}
    for _ in range(args.repeat):
        best["hand"] = min(best["hand"], timed(hand_written, crowd) / len(crowd))
        best["engine"] = min(best["engine"], timed(engine_run, crowd) / len(crowd))
        if rules is not None:
            best["rule-engine"] = min(best["rule-engine"], timed(rules, sample) / len(sample))

    per_second = {k: 1 / v for k, v in best.items() if v != float("inf")}
    print(f"W2 formula stage: {args.count} people (rule-engine: {len(sample)}), best of {args.repeat}, "
          f"Python {platform.python_version()}")
    for name in ("engine", "hand", "rule-engine"):
        if name in per_second:
            print(f"  {name:12} {per_second[name]:>12,.0f} people/s   {best[name] * 1e6:8.2f} µs/person")
    ratio_hand = per_second["engine"] / per_second["hand"]
    print(f"  engine / hand-written: {ratio_hand:.2f}  (goal ≥ 0.33)")
    if "rule-engine" in per_second:
        ratio_rules = per_second["engine"] / per_second["rule-engine"]
        print(f"  engine / rule-engine:  {ratio_rules:.1f}×  (goal ≥ 10×)")


if __name__ == "__main__":
    main()
