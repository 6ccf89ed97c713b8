from kpilang import load
from kpilang.syntax.parser import parse


def test_normative_example_compiles_without_diagnostics(normative_dir):
    result = load(normative_dir / "cold_sales.kpi")
    assert result.diagnostics == []
    program = result.program
    assert program.plan.name == "cold_sales"
    assert list(program.kpis) == ["revenue_plan", "meeting_rate", "new_clients_kpi"]
    assert program.order.index("kpi_score") < program.order.index("bonus") < program.order.index("total")


def test_comments_are_kept_aside(normative_dir):
    module, diags = parse((normative_dir / "cold_sales.kpi").read_text(encoding="utf-8"), "x.kpi")
    assert diags == []
    assert module.comments[0].text.startswith("# Cold sales")
