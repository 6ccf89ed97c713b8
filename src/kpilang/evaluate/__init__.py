"""Program + data → results: metrics aggregated on DuckDB, then KPIs, score, tables and pays in
exact Decimal with a trace."""

from kpilang.evaluate.formulas import FormulaEngine, PersonInputs, evaluate_person

__all__ = ["FormulaEngine", "PersonInputs", "evaluate_person"]
