"""The evaluator against a naive oracle, on generated plans and data.

Hypothesis builds a small plan (metrics over random conditions, KPIs with targets, weights and
caps, a step table, pays) and a small CRM export, writes them to files, and runs
`kpilang.evaluate` end to end (loader, SQL, formulas). The oracle computes the same figures
from the same generated structures in plain Python over the rows, with its own tiny interpreter
and Decimal arithmetic; it imports nothing of the engine. Both must agree exactly: the same
people, the same people with errors, and every figure of everyone else.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import MAX_PREC, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

import kpilang

TZ = "Europe/Moscow"
PEOPLE = ("m1", "m2", "m3", "m4")
TEAMS = {"m1": "north", "m2": "north", "m3": "south", "m4": "south"}
UTC = timezone.utc

# ---- the generated world ------------------------------------------------------------------------

# A condition: ("cmp", column, op, literal) | ("in", column, [literals]) | ("bool", column)
#            | ("and"|"or", a, b) | ("not", a)
# A row value: ("col", column) | ("times", column, Decimal) | ("div", column, Decimal)
#            | ("span", later, earlier)


@dataclass(frozen=True)
class MetricSpec:
    name: str
    func: str
    table: str
    value: tuple | None
    where: tuple | None


DEAL_CONDS = {
    "stage": ("str", ["won", "lost", "open"]),
    "client_id": ("str", ["c1", "c2", "c3"]),
    "amount": ("money", None),
    "is_new_client": ("bool", None),
}
ACTIVITY_CONDS = {
    "type": ("str", ["call", "meeting", "email"]),
    "status": ("str", ["done", "cancelled"]),
    "duration": ("duration", None),
}


def money() -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=500_000).map(lambda k: Decimal(k).scaleb(-2))


def condition(table: str, depth: int = 2) -> st.SearchStrategy[tuple]:
    cols = DEAL_CONDS if table == "deals" else ACTIVITY_CONDS
    leaves = []
    for col, (kind, values) in cols.items():
        if kind == "str":
            leaves.append(st.tuples(st.just("cmp"), st.just(col), st.sampled_from(["=", "!="]), st.sampled_from(values)))
            leaves.append(st.tuples(st.just("in"), st.just(col), st.lists(st.sampled_from(values), min_size=1, max_size=2)))
        elif kind == "money":
            leaves.append(st.tuples(st.just("cmp"), st.just(col), st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), money()))
        elif kind == "duration":
            leaves.append(st.tuples(st.just("cmp"), st.just(col), st.sampled_from(["<", ">="]),
                                    st.sampled_from([30, 60, 600])))
        else:
            leaves.append(st.tuples(st.just("bool"), st.just(col)))
    if table == "deals":
        leaves.append(st.tuples(st.just("span_cmp"), st.sampled_from(["<", ">="]), st.sampled_from([3600, 86400 * 5])))
    leaf = st.one_of(leaves)
    if depth == 0:
        return leaf
    sub = condition(table, depth - 1)
    return st.one_of(leaf, st.tuples(st.sampled_from(["and", "or"]), sub, sub), st.tuples(st.just("not"), sub))


@st.composite
def metric_spec(draw, name: str) -> MetricSpec:
    table = draw(st.sampled_from(["deals", "activities"]))
    func = draw(st.sampled_from(["count", "sum", "avg", "min", "max", "median", "count_distinct", "share"]))
    if table == "activities" and func == "count_distinct":
        func = "count"
    value = None
    if func in ("sum", "avg", "min", "max", "median"):
        if table == "deals":
            value = draw(st.one_of(
                st.just(("col", "amount")),
                st.tuples(st.just("times"), st.just("amount"), st.sampled_from([Decimal(2), Decimal("0.5")])),
                st.tuples(st.just("div"), st.just("amount"), st.sampled_from([Decimal(3), Decimal(4)])),
                st.just(("span", "closed_at", "created_at")),
            ))
        else:
            value = ("col", "duration")
    elif func == "count_distinct":
        value = ("col", "client_id")
    where = draw(condition(table)) if func == "share" else draw(st.one_of(st.none(), condition(table)))
    return MetricSpec(name, func, table, value, where)


@dataclass(frozen=True)
class KpiSpec:
    name: str
    num: str
    den: str | None
    target: Decimal | str | None
    """None: `targets.goal`; "quota": `managers.quota`, a whole-number column of managers."""
    weight: Decimal
    cap: Decimal | None


@dataclass(frozen=True)
class World:
    metrics: list[MetricSpec]
    kpis: list[KpiSpec]
    bands: list[tuple[Decimal | None, Decimal | None, Decimal]]
    commission_rate: Decimal
    commission_metric: str
    team: bool
    managers: list[dict]
    deals: list[dict]
    activities: list[dict]
    targets: dict[str, Decimal]
    manager_pay: bool = False
    """A pay over extra columns of managers (`MANAGER_PAY`) is part of the plan and of the total."""


# Extra columns of managers, as a CRM export has them: whole numbers, decimals, yes/no; an empty
# cell or a zero divisor leaves the pay that reads it without a value.
MANAGER_COLUMNS = {"quota": [None, 0, 2, 5], "vip": [True, False, None], "base": [1000, 999],
                   "parts": [0, 1, 3, 4], "rate": [Decimal("1.5"), Decimal("0.25")]}
MANAGER_PAY = ("pay extra = if managers.vip then managers.base / managers.parts * managers.rate"
               " + managers.salary * 1% else 0")


def moment() -> st.SearchStrategy[datetime]:
    # Mostly July, with the hours around both of July's Moscow edges (21:00 UTC on 30 June and
    # on 31 July) drawn often, on whole minutes.
    edges = [datetime(2026, 6, 30, 21, tzinfo=UTC), datetime(2026, 7, 31, 21, tzinfo=UTC)]
    near_edge = st.tuples(st.sampled_from(edges), st.integers(min_value=-90, max_value=90)).map(
        lambda e: e[0] + timedelta(minutes=e[1]))
    base = datetime(2026, 6, 30, tzinfo=UTC)
    anywhere = st.integers(min_value=0, max_value=33 * 24 * 60).map(lambda m: base + timedelta(minutes=m))
    return st.one_of(anywhere, near_edge)


@st.composite
def worlds(draw) -> World:
    n_metrics = draw(st.integers(min_value=1, max_value=4))
    metrics = [draw(metric_spec(f"m_{i}")) for i in range(n_metrics)]
    if draw(st.booleans()):
        # A metric that combines two counts arithmetically: `count(… where A) / count(… where B)`.
        table = draw(st.sampled_from(["deals", "activities"]))
        num = MetricSpec("", "count", table, None, draw(condition(table)))
        den = MetricSpec("", "count", table, None, draw(st.one_of(st.none(), condition(table))))
        metrics.append(MetricSpec(f"m_{n_metrics}", "ratio", table, (num, den), None))
    n_kpis = draw(st.integers(min_value=1, max_value=3))
    weights = {1: [Decimal(1)], 2: [Decimal("0.6"), Decimal("0.4")], 3: [Decimal("0.5"), Decimal("0.3"), Decimal("0.2")]}[n_kpis]
    kpis = []
    for i in range(n_kpis):
        num = draw(st.sampled_from([m.name for m in metrics]))
        den = draw(st.one_of(st.none(), st.sampled_from([m.name for m in metrics])))
        if den is not None and den == num:
            den = None
        unit_ok = den is None or _units_divisible(metrics, num, den)
        if not unit_ok:
            den = None
        target = draw(st.one_of(st.none(), st.just("quota"),
                                st.sampled_from([Decimal(1), Decimal(3), Decimal("0.5"), Decimal(1000)])))
        cap = draw(st.sampled_from([None, Decimal("1.5"), Decimal(1)]))
        kpis.append(KpiSpec(f"k_{i}", num, den, target, weights[i], cap))
    edges = sorted(draw(st.sets(st.sampled_from([Decimal("0.5"), Decimal("0.7"), Decimal("0.9"), Decimal(1), Decimal("1.2")]),
                                min_size=1, max_size=3)))
    values = draw(st.lists(st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal("1.2"), Decimal("1.5")]),
                           min_size=len(edges) + 1, max_size=len(edges) + 1))
    bands = [(None, edges[0], values[0])] + [(edges[i], edges[i + 1], values[i + 1]) for i in range(len(edges) - 1)] \
        + [(edges[-1], None, values[-1])]
    countable = [m.name for m in metrics if _unit(metrics, m.name) in ("count", "money")]
    commission_metric = draw(st.sampled_from(countable)) if countable else ""
    managers = [{"id": pid, "name": f"Person {pid}", "role": draw(st.sampled_from(["cold", "cold", "inbound"])),
                 "team": TEAMS[pid], "salary": draw(st.sampled_from([Decimal("50000"), Decimal("60000.50"), Decimal("0")])),
                 **{column: draw(st.sampled_from(values)) for column, values in MANAGER_COLUMNS.items()}}
                for pid in PEOPLE]
    deals = []
    for i in range(draw(st.integers(min_value=0, max_value=25))):
        created = draw(moment())
        closed = draw(st.one_of(st.none(), moment().map(lambda t, c=created: max(t, c))))
        deals.append({
            "id": f"d{i}", "manager_id": draw(st.sampled_from(PEOPLE)), "client_id": draw(st.sampled_from(["c1", "c2", "c3", None])),
            "created_at": created, "closed_at": closed, "stage": draw(st.sampled_from(["won", "lost", "open"])),
            "amount": draw(st.one_of(st.none(), money())), "is_new_client": draw(st.sampled_from([True, False, None])),
        })
    activities = []
    for i in range(draw(st.integers(min_value=0, max_value=25))):
        activities.append({
            "id": f"a{i}", "manager_id": draw(st.sampled_from(PEOPLE)), "type": draw(st.sampled_from(["call", "meeting", "email"])),
            "started_at": draw(moment()), "duration": draw(st.one_of(st.none(), st.sampled_from([0, 30, 59, 60, 61, 900]))),
            "status": draw(st.sampled_from(["done", "cancelled", None])),
        })
    # Some people have no target row: a KPI that needs one is then that person's error.
    targets = {pid: draw(st.sampled_from([Decimal(1), Decimal(5), Decimal("1000000")])) for pid in PEOPLE
               if draw(st.integers(min_value=0, max_value=5))}
    return World(metrics, kpis, bands, draw(st.sampled_from([Decimal("0.02"), Decimal("0.035")])), commission_metric,
                 draw(st.booleans()), managers, deals, activities, targets, draw(st.booleans()))


def _unit(metrics: list[MetricSpec], name: str) -> str:
    m = next(m for m in metrics if m.name == name)
    if m.func == "ratio":
        return "number"
    if m.func in ("count", "count_distinct"):
        return "count"
    if m.func == "share":
        return "number"
    if m.table == "activities" or m.value[0] == "span":
        return "duration"
    return "money"


def _units_divisible(metrics, num, den) -> bool:
    return _unit(metrics, num) == _unit(metrics, den)


# ---- rendering the world as files ---------------------------------------------------------------

def render_cond(c: tuple) -> str:
    kind = c[0]
    if kind == "cmp":
        _, col, op, lit = c
        if isinstance(lit, str):
            text = f'"{lit}"'
        elif col == "duration":
            text = f"{lit}s"
        else:
            text = str(lit)
        return f"{col} {op} {text}"
    if kind == "in":
        return f"{c[1]} in [{', '.join(f'{chr(34)}{v}{chr(34)}' for v in c[2])}]"
    if kind == "bool":
        return c[1]
    if kind == "span_cmp":
        return f"closed_at - created_at {c[1]} {c[2]}s"
    if kind == "not":
        return f"not ({render_cond(c[1])})"
    return f"({render_cond(c[1])}) {kind} ({render_cond(c[2])})"


def o_sum(values: list[Decimal]) -> Decimal:
    """Rows added exactly (order cannot matter), then rounded once to the working precision."""
    with localcontext(prec=MAX_PREC):
        total = sum(values, Decimal(0))
    return +total


def render_value(table: str, v: tuple) -> str:
    if v[0] == "col":
        return f"{table}.{v[1]}"
    if v[0] == "times":
        return f"{table}.{v[1]} * {v[2]}"
    if v[0] == "div":
        return f"{table}.{v[1]} / {v[2]}"
    return f"{table}.{v[1]} - {table}.{v[2]}"


def render_plan(w: World) -> str:
    lines = ['plan gen "Generated" {', "  role cold", "  period month", "  effective 2026-07-01",
             f'  timezone "{TZ}"', "  currency RUB", "  strategy growth", '  goal "g"']
    if w.team:
        lines.append("  scope team")
    lines.append("}")
    for m in w.metrics:
        if m.func == "ratio":
            lines.append(f"metric {m.name} = {render_aggregate(m.value[0])} / {render_aggregate(m.value[1])}")
            continue
        if m.func in ("count", "share"):
            inner = m.table
        else:
            inner = render_value(m.table, m.value)
        where = f" where {render_cond(m.where)}" if m.where is not None else ""
        lines.append(f"metric {m.name} = {m.func}({inner}{where})")
    for k in w.kpis:
        expr = k.num if k.den is None else f"{k.num} / {k.den} otherwise 0"
        target = "targets.goal" if k.target is None else "managers.quota" if k.target == "quota" else str(k.target)
        cap = f"\n  cap {k.cap * 100}%" if k.cap is not None else ""
        lines.append(f"kpi {k.name} = {expr}\n  target {target}\n  weight {k.weight * 100}%{cap}")
    bands = []
    for low, high, value in w.bands:
        if low is None:
            bands.append(f"  below {low_text(high)} : {value}")
        elif high is None:
            bands.append(f"  from {low_text(low)} : {value}")
        else:
            bands.append(f"  {low_text(low)} to {low_text(high)} : {value}")
    lines.append("table multiplier {\n" + "\n".join(bands) + "\n}")
    lines.append("pay bonus = salary * multiplier(kpi_score)\n  cap 2 * salary")
    if w.commission_metric:
        unit = _unit(w.metrics, w.commission_metric)
        rate = f"{w.commission_rate * 100}%" if unit == "money" else "100"
        lines.append(f"pay commission = {rate} * {w.commission_metric}")
    if w.manager_pay:
        lines.append(MANAGER_PAY)
    lines.append("pay total = salary + bonus" + (" + commission" if w.commission_metric else "")
                 + (" + extra" if w.manager_pay else ""))
    return "\n".join(lines) + "\n"


def render_aggregate(m: MetricSpec) -> str:
    inner = m.table if m.func in ("count", "share") else render_value(m.table, m.value)
    where = f" where {render_cond(m.where)}" if m.where is not None else ""
    return f"{m.func}({inner}{where})"


def low_text(x: Decimal) -> str:
    return f"{x * 100}%"


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(v)


def write_data(w: World, root: Path) -> None:
    def write(name, header, rows):
        with open(root / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            for r in rows:
                out.writerow([_cell(r[h]) for h in header])
    write("managers", ["id", "name", "role", "team", "salary", *MANAGER_COLUMNS], w.managers)
    write("deals", ["id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", "is_new_client"], w.deals)
    write("activities", ["id", "manager_id", "type", "started_at", "duration", "status"], w.activities)
    write("leads", ["id", "manager_id", "created_at"], [])
    write("targets", ["manager_id", "period", "name", "value"],
          [{"manager_id": p, "period": "2026-07", "name": "goal", "value": v} for p, v in w.targets.items()])


# ---- the oracle ---------------------------------------------------------------------------------

class NoValue(Exception):
    pass


def o_value(row: dict, v: tuple):
    if v[0] == "col":
        x = row[v[1]]
        return Decimal(x) if isinstance(x, int) else x
    if v[0] in ("times", "div"):
        x = row[v[1]]
        if x is None:
            return None
        return x * v[2] if v[0] == "times" else x / v[2]
    a, b = row[v[1]], row[v[2]]
    if a is None or b is None:
        return None
    d = a - b
    return Decimal(d.days * 86400 + d.seconds)


def o_holds(row: dict, c: tuple) -> bool:
    kind = c[0]
    if kind == "cmp":
        _, col, op, lit = c
        x = row[col]
        if x is None:
            return False
        return {"=": x == lit, "!=": x != lit, "<": x < lit, "<=": x <= lit, ">": x > lit, ">=": x >= lit}[op]
    if kind == "in":
        return row[c[1]] is not None and row[c[1]] in c[2]
    if kind == "bool":
        return row[c[1]] is True
    if kind == "span_cmp":
        if row["closed_at"] is None:
            return False
        d = row["closed_at"] - row["created_at"]
        secs = d.days * 86400 + d.seconds
        return secs < c[2] if c[1] == "<" else secs >= c[2]
    if kind == "not":
        return not o_holds(row, c[1])
    a, b = o_holds(row, c[1]), o_holds(row, c[2])
    return (a and b) if kind == "and" else (a or b)


def o_target(k, w, pid, person):
    """The oracle's target of KPI spec `k` for person `pid`: the per-person target, the managers'
    quota column, or the constant written in the plan."""
    return (w.targets.get(pid) if k.target is None else
            None if k.target == "quota" and person["quota"] is None else
            Decimal(person["quota"]) if k.target == "quota" else k.target)


def o_attainment(k, value: Decimal, target: Decimal) -> tuple[Decimal, Fraction]:
    """The attainment (value / target clamped to [0, cap]) and the exact contribution. The
    contribution and the score are the exact products and sum, each rounded once to 34 digits:
    a score of exactly 70% must be 0.7, not 0.6999…9."""
    ratio = value / target
    att = max(ratio, Decimal(0))
    if k.cap is not None:
        att = min(att, k.cap)
    return att, Fraction(k.weight) * (Fraction(value) / Fraction(target) if att == ratio else Fraction(att))


def o_metric(m: MetricSpec, rows: list[dict]) -> Decimal | None:
    if m.func == "ratio":
        num, den = o_metric(m.value[0], rows), o_metric(m.value[1], rows)
        return None if num is None or den is None or den == 0 else num / den
    matching = [r for r in rows if m.where is None or o_holds(r, m.where)]
    if m.func == "count":
        return Decimal(len(matching))
    if m.func == "share":
        return None if not rows else Decimal(len(matching)) / Decimal(len(rows))
    values = [o_value(r, m.value) for r in matching]
    values = [v for v in values if v is not None]
    if m.func == "count_distinct":
        return Decimal(len(set(values)))
    if m.func == "sum":
        return o_sum(values)
    if not values:
        return None
    if m.func == "avg":  # the exact mean, rounded once
        return _rounded(sum(map(Fraction, values), Fraction(0)) / len(values))
    if m.func == "min":
        return min(values)
    if m.func == "max":
        return max(values)
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else _rounded((Fraction(ordered[mid - 1]) + Fraction(ordered[mid])) / 2)


def o_round_money(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# The evaluator's documented arithmetic: 34 significant digits, ties to even (money is rounded
# half up explicitly).
PRECISION = 34


def oracle(w: World) -> dict[str, dict]:
    with localcontext(prec=PRECISION, rounding=ROUND_HALF_EVEN):
        return _oracle(w)


def _rounded(exact: Fraction) -> Decimal:
    """An exact rational to the engine's 34 significant digits, rounded once, half even."""
    with localcontext(prec=34, rounding=ROUND_HALF_EVEN):
        return Decimal(exact.numerator) / Decimal(exact.denominator)


def _oracle(w: World) -> dict[str, dict]:
    zone = ZoneInfo(TZ)
    start = datetime(2026, 7, 1, tzinfo=zone)
    end = datetime(2026, 8, 1, tzinfo=zone)
    date_col = {"deals": "closed_at", "activities": "started_at"}
    out = {}
    for person in w.managers:
        if person["role"] != "cold":
            continue
        pid = person["id"]
        group = [p["id"] for p in w.managers if p["team"] == person["team"]] if w.team else [pid]
        tables = {"deals": w.deals, "activities": w.activities}
        metrics = {}
        for m in w.metrics:
            rows = [r for r in tables[m.table] if r["manager_id"] in group
                    and r[date_col[m.table]] is not None and start <= r[date_col[m.table]] < end]
            metrics[m.name] = o_metric(m, rows)
        result = {"metrics": metrics, "error": False, "kpis": {}, "pays": {}}
        try:
            exact_score = Fraction(0)
            for k in w.kpis:
                num = metrics[k.num]
                if k.den is None:
                    value = num
                else:
                    den = metrics[k.den]
                    value = Decimal(0) if (num is None or den is None or den == 0) else num / den
                if value is None:
                    raise NoValue(k.name)
                target = o_target(k, w, pid, person)
                if target is None or target == 0:
                    raise NoValue(k.name)
                att, exact = o_attainment(k, value, target)
                result["kpis"][k.name] = {"value": value, "target": target, "attainment": att,
                                          "contribution": _rounded(exact)}
                exact_score += exact
            score = _rounded(exact_score)
            result["kpi_score"] = score
            factor = next(v for lo, hi, v in w.bands if (lo is None or lo <= score) and (hi is None or score < hi))
            salary = person["salary"]
            bonus = o_round_money(min(salary * factor, 2 * salary))
            result["pays"]["bonus"] = bonus
            total = salary + bonus
            if w.commission_metric:
                cm = metrics[w.commission_metric]
                if cm is None:
                    raise NoValue("commission")
                rate = w.commission_rate if _unit(w.metrics, w.commission_metric) == "money" else Decimal(100)
                commission = o_round_money(rate * cm)
                result["pays"]["commission"] = commission
                total += commission
            if w.manager_pay:
                extra = o_manager_pay(person)
                result["pays"]["extra"] = extra
                total += extra
            result["pays"]["total"] = o_round_money(total)
        except NoValue:
            result["error"] = True
        out[pid] = result
    return out


def o_manager_pay(person: dict) -> Decimal:
    """MANAGER_PAY for one person, from the columns as generated (Python ints made exact)."""
    if person["vip"] is None:
        raise NoValue("extra")
    if not person["vip"]:
        return o_round_money(Decimal(0))
    if person["parts"] == 0:
        raise NoValue("extra")
    share = Decimal(person["base"]) / Decimal(person["parts"])
    return o_round_money(share * person["rate"] + person["salary"] * Decimal("0.01"))


# ---- the property -------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds())
def test_engine_agrees_with_the_oracle(w: World):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plan.kpi").write_text(render_plan(w), encoding="utf-8")
        (root / "data").mkdir()
        write_data(w, root / "data")
        compiled = kpilang.load(root / "plan.kpi")
        assert compiled.program is not None, (render_plan(w), [d.message for d in compiled.diagnostics])
        report = kpilang.evaluate(compiled.program, root / "data", "2026-07")
    want = oracle(w)
    got = {r.manager_id: r for r in report.results}
    assert set(got) == set(want)
    assert not report.data_problems
    for pid, expected in want.items():
        person = got[pid]
        assert person.metrics == expected["metrics"], pid
        assert (not person.ok) == expected["error"], (pid, person.errors)
        if expected["error"]:
            continue
        outcome = person.outcome
        for name, figures in expected["kpis"].items():
            k = outcome.kpis[name]
            assert (k.value, k.target, k.attainment, k.contribution) == (
                figures["value"], figures["target"], figures["attainment"], figures["contribution"]), (pid, name)
        assert outcome.kpi_score == expected["kpi_score"]
        assert {n: p.value for n, p in outcome.pays.items()} == expected["pays"]


# ---- the aggregates alone, on many more examples --------------------------------------------------

def _database(w: World):
    """The world's rows in DuckDB with the loader's column types (no files, no validation), so
    that many more examples run in the same time."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE managers (id VARCHAR, name VARCHAR, role VARCHAR, team VARCHAR, salary DECIMAL(38, 2))")
    con.executemany("INSERT INTO managers VALUES (?, ?, ?, ?, ?)",
                    [(m["id"], m["name"], m["role"], m["team"], m["salary"]) for m in w.managers])

    def naive(t):
        return None if t is None else t.astimezone(UTC).replace(tzinfo=None)

    con.execute("CREATE TABLE deals (id VARCHAR, manager_id VARCHAR, client_id VARCHAR, created_at TIMESTAMP, "
                "closed_at TIMESTAMP, stage VARCHAR, amount DECIMAL(38, 2), is_new_client BOOLEAN)")
    if w.deals:
        con.executemany("INSERT INTO deals VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (d["id"], d["manager_id"], d["client_id"], naive(d["created_at"]), naive(d["closed_at"]), d["stage"],
             d["amount"], d["is_new_client"]) for d in w.deals])
    con.execute("CREATE TABLE activities (id VARCHAR, manager_id VARCHAR, type VARCHAR, started_at TIMESTAMP, "
                "duration BIGINT, status VARCHAR)")
    if w.activities:
        con.executemany("INSERT INTO activities VALUES (?, ?, ?, ?, ?, ?)", [
            (a["id"], a["manager_id"], a["type"], naive(a["started_at"]), a["duration"], a["status"])
            for a in w.activities])
    return con


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds())
def test_aggregates_agree_with_the_oracle(w: World):
    from kpilang.compile.compiler import compile_text
    from kpilang.evaluate.aggregate import run_aggregates
    from kpilang.evaluate.period import parse_period
    from kpilang.evaluate.aggregate_plan import collect_aggregates

    program = compile_text(render_plan(w), "gen.kpi").program
    plan = collect_aggregates(program)
    start, end = parse_period("2026-07").bounds_utc(TZ)
    con = _database(w)
    values = run_aggregates(con, plan, start=start, end=end, timezone=TZ, team=w.team,
                            tables_present={"deals", "activities"})
    want = oracle(w)
    for pid, expected in want.items():
        group = TEAMS[pid] if w.team else pid
        got = values.of(group)
        for m in w.metrics:
            if m.func == "ratio":
                continue  # combined by the formula engine; covered end to end above
            assert got[plan.key_of(program.metrics[m.name].expr)] == expected["metrics"][m.name], (pid, m)


# ---- the linter's month without a sale, against the engine ---------------------------------------

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(), st.sampled_from(["count", "sum", "avg", "max", "median"]), condition("deals", depth=1))
def test_a_month_without_a_sale_is_what_the_linter_says(w: World, func: str, extra: tuple):
    """With every won deal turned lost, each metric the linter holds fixed without a sale has
    exactly its value (or none) for everyone, and no score passes the linter's bound."""
    from kpilang.checks.proofs import PlanProofs
    from kpilang.compile.program import SCORE

    value = None if func == "count" else ("col", "amount")
    sales = MetricSpec(f"m_{len(w.metrics)}", func, "deals", value, ("and", ("cmp", "stage", "=", "won"), extra))
    deals = [{**d, "stage": "lost"} if d["stage"] == "won" else d for d in w.deals]
    w = World([*w.metrics, sales], w.kpis, w.bands, w.commission_rate, w.commission_metric, w.team, w.managers,
              deals, w.activities, w.targets)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plan.kpi").write_text(render_plan(w), encoding="utf-8")
        (root / "data").mkdir()
        write_data(w, root / "data")
        program = kpilang.load(root / "plan.kpi").program
        report = kpilang.evaluate(program, root / "data", "2026-07")
    proofs = PlanProofs(program)
    assert sales.name in proofs.fixed
    for person in report.results:
        for name, fixed in proofs.fixed.items():
            got = person.metrics[name]
            if got is None:  # no value: the linter must have allowed for it
                assert proofs.without_sales[name].maybe_none, (person.manager_id, name)
            else:
                assert fixed.has_value and got == fixed.lo, (person.manager_id, name, got)
        if person.outcome is not None and person.outcome.kpi_score is not None:
            assert person.outcome.kpi_score <= proofs.no_sales[SCORE].hi, person.manager_id
