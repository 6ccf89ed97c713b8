"""The trace behind a statement (`tracing.py`): every step of small plans, exactly as a manager
reads it when checking their pay: its kind and name, the formula as written, the formula with the
numbers put in, its value, and each note in English and in Russian.

The figures in the expectations are worked out by hand in the comments; the notes' words are the
catalog's sentences with those figures put in. Numbers are written the same in both languages
(the trace writes them as the plan does); only the words differ.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.compile.compiler import compile_text
from kpilang.evaluate.formulas import FormulaEngine, PersonInputs
from kpilang.evaluate.results import Step
from kpilang.messages import render

D = Decimal

HEADER = '''
plan p "P" {
    role cold  period month  effective 2026-07-01  currency RUB  strategy growth  goal "g"
}
metric revenue "Won revenue" = sum(deals.amount where stage = "won")
metric calls = count(activities where type = "call")
metric meetings = count(activities where type = "meeting")
metric response = avg(leads.first_response_at - leads.created_at)
'''


def trace_of(body: str, inputs: PersonInputs, header: str = HEADER) -> list[Step]:
    result = compile_text(header + body, "plan.kpi")
    assert result.program is not None, [d.message for d in result.diagnostics]
    return FormulaEngine(result.program).evaluate(inputs).trace


def said(steps: list[Step], lang: str) -> list[tuple]:
    """Each step as the reader sees it in `lang`."""
    return [(s.kind, s.subject, s.formula, render(s.substituted, lang), s.value, [render(n, lang) for n in s.notes])
            for s in steps]


def inputs(salary: str | None = "1000", targets: dict | None = None, history: dict | None = None,
           managers: dict | None = None, **metrics: str | None) -> PersonInputs:
    return PersonInputs(metrics={k: None if v is None else D(v) for k, v in metrics.items()},
                        salary=None if salary is None else D(salary),
                        targets={k: D(v) for k, v in (targets or {}).items()},
                        history={k: None if v is None else D(v) for k, v in (history or {}).items()},
                        managers=managers or {}, person="m1", period="2026-07")


def assert_said(steps: list[Step], english: list[tuple], russian_notes: list[list[str]],
                russian_substituted: list[str] | None = None) -> None:
    """The steps as said in English; in Russian the same steps, with these notes (and these
    formulas with the numbers put in, where they hold a figure without a value)."""
    assert said(steps, "en") == english
    russian = [(kind, subject, formula, substituted, value, notes)
               for (kind, subject, formula, substituted, value, _), notes in zip(english, russian_notes, strict=True)]
    if russian_substituted is not None:
        russian = [row[:3] + (text,) + row[4:] for row, text in zip(russian, russian_substituted, strict=True)]
    assert said(steps, "ru") == russian


# ---- metrics and KPIs ----------------------------------------------------------------------------

KPIS = '''
kpi sales "Sales plan" = revenue
    target targets.revenue
    weight 40%
    cap 150%
kpi speed = response
    target 15m
    weight 30%
    cap 200%
    lower is better
kpi rate = meetings / calls otherwise 0
    target 8%
    weight 30%
'''


def test_metrics_kpis_higher_and_lower_is_better_capped_and_the_score():
    steps = trace_of(KPIS, inputs(revenue="1800000", response="1200", meetings="12", calls="120",
                                  targets={"revenue": "1000000"}))
    assert_said(steps, [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")', "1800000", D("1800000"), ["Won revenue"]),
        ("metric", "calls", 'count(activities where type = "call")', "120", D("120"), []),
        ("metric", "meetings", 'count(activities where type = "meeting")', "12", D("12"), []),
        ("metric", "response", "avg(leads.first_response_at - leads.created_at)", "1200", D("1200"), []),
        # 1 800 000 / 1 000 000 = 1.8, above the cap of 1.5; 40% × 1.5 = 0.60
        ("kpi", "sales", "revenue", "1800000", D("1.5"), [
            "value = 1800000",
            "target targets.revenue = 1000000",
            "attainment = value / target = 1800000 / 1000000 = 1.8",
            "above the cap of 150%: counted as 1.5",
            "contribution = weight 40% × 1.5 = 0.60",
        ]),
        # 12 / 120 = 0.1; 0.1 / 0.08 = 1.25, no cap; 30% × 1.25 = 0.375
        ("kpi", "rate", "meetings / calls otherwise 0", "12 / 120 otherwise 0", D("1.25"), [
            "value = 0.1",
            "target 8% = 0.08",
            "attainment = value / target = 0.1 / 0.08 = 1.25",
            "contribution = weight 30% × 1.25 = 0.375",
        ]),
        # 15m = 900 s; lower is better: 900 / 1200 = 0.75, within the cap; 30% × 0.75 = 0.225
        ("kpi", "speed", "response", "1200", D("0.75"), [
            "value = 1200",
            "target 15m = 900",
            "attainment = target / value (lower is better) = 900 / 1200 = 0.75",
            "within the cap of 200%",
            "contribution = weight 30% × 0.75 = 0.225",
        ]),
        # 0.60 + 0.225 + 0.375 = 1.200; written in the KPIs' order of declaration
        ("score", "kpi_score", "40% × sales + 30% × speed + 30% × rate", "40% × 1.5 + 30% × 0.75 + 30% × 1.25",
         D("1.200"), ["the sum of weight × attainment over the KPIs"]),
    ], [
        ["Won revenue"], [], [], [],
        ["значение = 1800000",
         "цель targets.revenue = 1000000",
         "выполнение = значение / цель = 1800000 / 1000000 = 1.8",
         "выше потолка 150%: засчитано 1.5",
         "вклад = вес 40% × 1.5 = 0.60"],
        ["значение = 0.1",
         "цель 8% = 0.08",
         "выполнение = значение / цель = 0.1 / 0.08 = 1.25",
         "вклад = вес 30% × 1.25 = 0.375"],
        ["значение = 1200",
         "цель 15m = 900",
         "выполнение = цель / значение (меньше — лучше) = 900 / 1200 = 0.75",
         "в пределах потолка 200%",
         "вклад = вес 30% × 0.75 = 0.225"],
        ["сумма «вес × выполнение» по всем KPI"],
    ])


# ---- tables and pays -----------------------------------------------------------------------------

TABLES_AND_PAYS = '''
kpi sales = revenue
    target 1000
    weight 60%
kpi open = revenue - 5000
    target 1000
    weight 40%
table multiplier "KPI multiplier" {
    below 70%    : 0
    70% to 100%  : 1
    from 100%    : 1.5
}
table tiers "Commission tiers" graduated {
    below 100% : 3%
    from 100%  : 5%
}
pay bonus = salary * multiplier(kpi_score)
    cap 2 * salary
pay commission = tiers(revenue, targets.revenue)
    floor 100.005
pay extra = 10% * revenue
    cap 100
    floor 50
'''


def test_a_kpi_below_zero_bands_graduated_tiers_caps_floors_and_rounding():
    steps = trace_of(TABLES_AND_PAYS, inputs(salary="50000.5", revenue="2000", targets={"revenue": "1500"}))
    assert_said(steps, [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")', "2000", D("2000"), ["Won revenue"]),
        # 2000 / 1000 = 2, no cap; 60% × 2 = 1.2
        ("kpi", "sales", "revenue", "2000", D("2"), [
            "value = 2000",
            "target 1000 = 1000",
            "attainment = value / target = 2000 / 1000 = 2",
            "contribution = weight 60% × 2 = 1.2",
        ]),
        # 2000 − 5000 = −3000; −3000 / 1000 = −3, counted as 0; 40% × 0 = 0.0
        ("kpi", "open", "revenue - 5000", "2000 - 5000", D("0"), [
            "value = -3000",
            "target 1000 = 1000",
            "attainment = value / target = -3000 / 1000 = -3",
            "below 0: counted as 0",
            "contribution = weight 40% × 0 = 0.0",
        ]),
        # tiers of the base 1500: 3% × 1500 = 45.00 up to it, 5% × (2000 − 1500) = 25.00 above; 70.00
        ("table", "tiers", "tiers(revenue, targets.revenue)", "tiers(2000, 1500)", D("70.00"), [
            "Commission tiers",
            "tier 0 to 1500: 3% × 1500 = 45.00",
            "tier from 1500: 5% × 500 = 25.00",
            "sum of the tiers = 70.00",
            "used by commission",
        ]),
        # 70.00 is below the floor 100.005: raised to it, then rounded half up to 100.01
        ("pay", "commission", "tiers(revenue, targets.revenue)", "tiers(2000, 1500)", D("100.01"), [
            "formula = 70.00",
            "raised to the floor 100.005 = 100.005",
            "rounded to 0.01, half up: 100.005 → 100.01",
        ]),
        # 10% × 2000 = 200.00, above the cap 100; the floor 50 is not reached
        ("pay", "extra", "10% * revenue", "10% * 2000", D("100.00"), [
            "formula = 200.00",
            "capped at 100 = 100",
            "floor 50 = 50: not reached",
            "rounded to 0.01, half up: 100 → 100.00",
        ]),
        # 1.2 + 0.0
        ("score", "kpi_score", "60% × sales + 40% × open", "60% × 2 + 40% × 0", D("1.2"),
         ["the sum of weight × attainment over the KPIs"]),
        ("table", "multiplier", "multiplier(kpi_score)", "multiplier(1.2)", D("1.5"), [
            "KPI multiplier",
            "1.00 ≤ 1.2 → 1.5",
            "used by bonus",
        ]),
        # 50000.5 × 1.5 = 75000.75; the cap 2 × 50000.5 = 100001.0 is not reached
        ("pay", "bonus", "salary * multiplier(kpi_score)", "50000.5 * multiplier(1.2)", D("75000.75"), [
            "formula = 75000.75",
            "cap 2 * salary = 100001.0: not reached",
            "rounded to 0.01, half up: 75000.75 → 75000.75",
        ]),
    ], [
        ["Won revenue"],
        ["значение = 2000",
         "цель 1000 = 1000",
         "выполнение = значение / цель = 2000 / 1000 = 2",
         "вклад = вес 60% × 2 = 1.2"],
        ["значение = -3000",
         "цель 1000 = 1000",
         "выполнение = значение / цель = -3000 / 1000 = -3",
         "ниже 0: засчитан 0",
         "вклад = вес 40% × 0 = 0.0"],
        # the bands are written as in the plan (`70% to 100%`, `from 100%`), in every language
        ["Commission tiers",
         "ступень 0 to 1500: 3% × 1500 = 45.00",
         "ступень from 1500: 5% × 500 = 25.00",
         "сумма по ступеням = 70.00",
         "используется в commission"],
        ["формула = 70.00",
         "поднято до нижней границы 100.005 = 100.005",
         "округлено до 0.01, половина вверх: 100.005 → 100.01"],
        ["формула = 200.00",
         "ограничено потолком 100 = 100",
         "нижняя граница 50 = 50: не достигнута",
         "округлено до 0.01, половина вверх: 100 → 100.00"],
        ["сумма «вес × выполнение» по всем KPI"],
        ["KPI multiplier",
         "1.00 ≤ 1.2 → 1.5",
         "используется в bonus"],
        ["формула = 75000.75",
         "потолок 2 * salary = 100001.0: не достигнут",
         "округлено до 0.01, половина вверх: 75000.75 → 75000.75"],
    ])


def test_a_currency_without_cents_rounds_to_whole_units():
    header = HEADER.replace("currency RUB", "currency JPY")
    # 2% × 1234 = 24.68, rounded half up to a whole yen: 25
    (metric, pay) = trace_of("pay commission = 2% * revenue", inputs(revenue="1234"), header=header)
    assert (pay.value, [render(n, "en") for n in pay.notes]) == (
        D("25"), ["formula = 24.68", "rounded to 1, half up: 24.68 → 25"])
    assert [render(n, "ru") for n in pay.notes] == ["формула = 24.68", "округлено до 1, половина вверх: 24.68 → 25"]


# ---- figures without a value and errors ----------------------------------------------------------

NO_VALUES = '''
kpi rate = meetings / calls
    target 8%
    weight 50%
kpi speed = response otherwise 900
    target 15m
    weight 50%
    lower is better
table multiplier { below 100% : 0  from 100% : 1 }
pay bonus = salary * multiplier(kpi_score)
pay commission = 2% * revenue
    floor salary * 0
'''


def test_metrics_not_given_or_without_a_value_and_the_errors_they_lead_to():
    # revenue not given at all; response given without a value (no lead in the period); no calls
    steps = trace_of(NO_VALUES, inputs(calls="0", meetings="3", response=None))
    assert_said(steps, [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")', "(no value)", None, ["Won revenue", "not given"]),
        ("metric", "calls", 'count(activities where type = "call")', "0", D("0"), []),
        ("metric", "meetings", 'count(activities where type = "meeting")', "3", D("3"), []),
        ("metric", "response", "avg(leads.first_response_at - leads.created_at)", "(no value)", None,
         ["no value: nothing to measure in this period"]),
        # the floor 1000 × 0 = 0 is said, the pay has no value, so nothing is rounded
        ("pay", "commission", "2% * revenue", "2% * (no value)", None, [
            "formula = (no value)",
            "floor salary * 0 = 0: not reached",
            "error: metric `revenue` was not given",
        ]),
        # 3 / 0: no attainment, no contribution, the error instead
        ("kpi", "rate", "meetings / calls", "3 / 0", None, [
            "value = (no value)",
            "target 8% = 0.08",
            "error: division by zero: calls is 0 in meetings / calls",
        ]),
        # no response: 900 s instead; lower is better: 900 / 900 = 1; 50% × 1 = 0.5
        ("kpi", "speed", "response otherwise 900", "(no value) otherwise 900", D("1"), [
            "value = 900",
            "target 15m = 900",
            "attainment = target / value (lower is better) = 900 / 900 = 1",
            "contribution = weight 50% × 1 = 0.5",
        ]),
        ("score", "kpi_score", "50% × rate + 50% × speed", "50% × (no value) + 50% × 1", None, [
            "the sum of weight × attainment over the KPIs",
            "error: kpi_score has no value: KPI `rate` has none (see its error)",
        ]),
        ("pay", "bonus", "salary * multiplier(kpi_score)", "1000 * multiplier((no value))", None, [
            "formula = (no value)",
            "error: kpi_score has no value (see its error)",
        ]),
    ], [
        ["Won revenue", "не задано"],
        [], [],
        ["нет значения: в этом периоде нечего измерять"],
        ["формула = (нет значения)",
         "нижняя граница salary * 0 = 0: не достигнута",
         "ошибка: метрика «revenue» не задана"],
        ["значение = (нет значения)",
         "цель 8% = 0.08",
         "ошибка: деление на ноль: в выражении meetings / calls значение calls равно 0"],
        ["значение = 900",
         "цель 15m = 900",
         "выполнение = цель / значение (меньше — лучше) = 900 / 900 = 1",
         "вклад = вес 50% × 1 = 0.5"],
        ["сумма «вес × выполнение» по всем KPI",
         "ошибка: у kpi_score нет значения: его нет у KPI `rate` (см. ошибку этого KPI)"],
        ["формула = (нет значения)",
         "ошибка: у kpi_score нет значения (см. его ошибку)"],
    ], russian_substituted=[
        "(нет значения)", "0", "3", "(нет значения)", "2% * (нет значения)", "3 / 0",
        "(нет значения) otherwise 900", "50% × (нет значения) + 50% × 1", "1000 * multiplier((нет значения))",
    ])


# ---- every kind of name a formula reads ----------------------------------------------------------

NAMES = '''
kpi sales = revenue
    target targets.revenue
    weight 50%
table boost { below 1000 : 1  from 1000 : 2 }
kpi steady = boost(calls)
    target 2
    weight 50%
pay growth = (revenue - previous(revenue)) * 10%
pay team = if managers.team = "north" then 100 else 0
pay by_kpi = salary * sales + salary * kpi_score
pay total = growth + team + by_kpi
'''


def test_each_name_a_formula_reads_is_put_in_with_its_own_figure():
    steps = trace_of(NAMES, inputs(revenue="3000", calls="1500", targets={"revenue": "2000"},
                                   managers={"team": "north"}, history={"previous(revenue)": "2500"}))
    assert_said(steps, [
        ("metric", "revenue", 'sum(deals.amount where stage = "won")', "3000", D("3000"), ["Won revenue"]),
        ("metric", "calls", 'count(activities where type = "call")', "1500", D("1500"), []),
        # a column of the person's row in managers, put in as written in a formula
        ("pay", "team", 'if managers.team = "north" then 100 else 0', 'if "north" = "north" then 100 else 0',
         D("100.00"), ["formula = 100", "rounded to 0.01, half up: 100 → 100.00"]),
        # the target from targets: 3000 / 2000 = 1.5; 50% × 1.5 = 0.75
        ("kpi", "sales", "revenue", "3000", D("1.5"), [
            "value = 3000",
            "target targets.revenue = 2000",
            "attainment = value / target = 3000 / 2000 = 1.5",
            "contribution = weight 50% × 1.5 = 0.75",
        ]),
        # the earlier period's figure: (3000 − 2500) × 0.10 = 50.00 (10% is 0.10, two decimals)
        ("pay", "growth", "(revenue - previous(revenue)) * 10%", "(3000 - 2500) * 10%", D("50.00"),
         ["formula = 50.00", "rounded to 0.01, half up: 50.00 → 50.00"]),
        # a table inside a KPI: its step comes just before the KPI's; no label, so no label note
        ("table", "boost", "boost(calls)", "boost(1500)", D("2"), ["1000 ≤ 1500 → 2", "used by steady"]),
        ("kpi", "steady", "boost(calls)", "boost(1500)", D("1"), [
            "value = 2",
            "target 2 = 2",
            "attainment = value / target = 2 / 2 = 1",
            "contribution = weight 50% × 1 = 0.5",
        ]),
        ("score", "kpi_score", "50% × sales + 50% × steady", "50% × 1.5 + 50% × 1", D("1.25"),
         ["the sum of weight × attainment over the KPIs"]),
        # a KPI's name reads its attainment, kpi_score the score: 1000 × 1.5 + 1000 × 1.25 = 2750
        ("pay", "by_kpi", "salary * sales + salary * kpi_score", "1000 * 1.5 + 1000 * 1.25", D("2750.00"),
         ["formula = 2750.00", "rounded to 0.01, half up: 2750.00 → 2750.00"]),
        # a pay's name reads its rounded amount: 50.00 + 100.00 + 2750.00
        ("pay", "total", "growth + team + by_kpi", "50.00 + 100.00 + 2750.00", D("2900.00"),
         ["formula = 2900.00", "rounded to 0.01, half up: 2900.00 → 2900.00"]),
    ], [
        ["Won revenue"], [],
        ["формула = 100", "округлено до 0.01, половина вверх: 100 → 100.00"],
        ["значение = 3000",
         "цель targets.revenue = 2000",
         "выполнение = значение / цель = 3000 / 2000 = 1.5",
         "вклад = вес 50% × 1.5 = 0.75"],
        ["формула = 50.00", "округлено до 0.01, половина вверх: 50.00 → 50.00"],
        ["1000 ≤ 1500 → 2", "используется в steady"],
        ["значение = 2",
         "цель 2 = 2",
         "выполнение = значение / цель = 2 / 2 = 1",
         "вклад = вес 50% × 1 = 0.5"],
        ["сумма «вес × выполнение» по всем KPI"],
        ["формула = 2750.00", "округлено до 0.01, половина вверх: 2750.00 → 2750.00"],
        ["формула = 2900.00", "округлено до 0.01, половина вверх: 2900.00 → 2900.00"],
    ])


def test_a_cap_and_a_floor_without_a_value_are_named_in_the_reader_s_words():
    steps = trace_of("pay extra = 10% * revenue\n    cap meetings * salary\n    floor calls * salary\n",
                     inputs(salary="10", revenue="2000", calls=None, meetings=None))
    # the metrics the cap and the floor read are steps too, in the order the plan declares them
    assert [(s.kind, s.subject) for s in steps] == [
        ("metric", "revenue"), ("metric", "calls"), ("metric", "meetings"), ("pay", "extra")]
    pay = steps[-1]
    # 10% × 2000 = 200.00, but with no cap to compare it with there is no pay, so nothing is rounded
    assert (pay.substituted, pay.value) == ("10% * 2000", None)
    assert [render(n, "en") for n in pay.notes] == [
        "formula = 200.00",
        "cap meetings * salary = (no value): not reached",
        "floor calls * salary = (no value): not reached",
        "error: the cap has no value: metric `meetings` has no value for this person in this period",
    ]
    assert [render(n, "ru") for n in pay.notes] == [
        "формула = 200.00",
        "потолок meetings * salary = (нет значения): не достигнут",
        "нижняя граница calls * salary = (нет значения): не достигнута",
        "ошибка: у потолка нет значения: у метрики «meetings» нет значения для этого сотрудника в этом периоде",
    ]


def test_a_file_of_metrics_alone_has_an_engine_and_an_empty_trace():
    # no plan block, so no currency: nothing is paid, nothing rounded, and no metric is used by a
    # KPI or a pay, so the trace has no step
    result = compile_text('metric revenue = sum(deals.amount where stage = "won")\n', "lib.kpi")
    assert result.program is not None and result.program.plan is None
    engine = FormulaEngine(result.program)
    outcome = engine.evaluate(inputs(revenue="1234.25"))
    assert (outcome.trace, outcome.pays, outcome.kpis, outcome.errors) == ([], {}, {}, [])
    assert engine.evaluate_expression(result.program.metrics["revenue"].expr, lambda node: D("1234.25")) == D("1234.25")
