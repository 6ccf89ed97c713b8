"""The `= help:` texts of compile errors that depend on what was written: how to combine two units,
what money can be multiplied by, how to write a plan field."""

from __future__ import annotations

from kpilang.compile.program import Unit
from kpilang.messages import Text, t


def binary_help(op: str) -> Text:
    if op in "+-":
        return t("E0301.add-help")
    if op == "*":
        return t("E0301.multiply-help")
    return t("E0301.divide-help")


def money_help(unit: Unit) -> Text:
    if unit == Unit.NUMBER:
        return t("E0301.money-number-help")
    if unit == Unit.COUNT:
        return t("E0301.money-count-help")
    return t("E0301.money-help")


def field_help(field: str) -> Text:
    """How to write a plan field (`E0404.help.*`), said when it is missing or wrong."""
    return t(f"E0404.help.{field}")
