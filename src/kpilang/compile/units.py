"""The unit rules of the language: which units `+ - * /`, comparisons and the rest accept and give.

The spec's rules: `+ -` and comparisons need equal units; money × number = money;
money / money, count / count and duration / duration are numbers. Two extensions, both needed by
everyday plans and documented in the language reference: money / count is money (average deal
size) and duration / count a duration (average handling time); count × money is money (a rate per
call or per client). A plain literal (FLEX) takes the unit its use requires; a count times a plain
literal stays plain, so `calls * 50` can be a pay and `calls * 2` a KPI value.
"""

from __future__ import annotations

from kpilang.compile.program import Unit
from kpilang.messages import t

NUMERIC = {Unit.COUNT, Unit.MONEY, Unit.DURATION, Unit.NUMBER, Unit.FLEX, Unit.ANY}

WORDS = {
    Unit.COUNT: t("unit.count"),
    Unit.MONEY: t("unit.money"),
    Unit.DURATION: t("unit.duration"),
    Unit.NUMBER: t("unit.number"),
    Unit.FLEX: t("unit.number"),
    Unit.BOOL: t("unit.bool"),
    Unit.STRING: t("unit.string"),
    Unit.DATE: t("unit.date"),
    Unit.DATETIME: t("unit.datetime"),
    Unit.ANY: t("unit.any"),
}
"""How messages name each unit ("money", «деньги»); `str()` of one is the English."""


def unify(a: Unit, b: Unit) -> Unit | None:
    """The common unit of two operands of `+ -`, a comparison, `min`/`max` or `if` branches."""
    if a == b:
        return a
    if a in (Unit.FLEX, Unit.ANY) and b not in (Unit.BOOL,):
        return b
    if b in (Unit.FLEX, Unit.ANY) and a not in (Unit.BOOL,):
        return a
    if {a, b} == {Unit.DATE, Unit.DATETIME}:
        return Unit.DATETIME
    return None


def add(a: Unit, b: Unit, op: str) -> Unit | None:
    if op == "-" and a == Unit.DATETIME and b == Unit.DATETIME:
        return Unit.DURATION
    if a not in NUMERIC or b not in NUMERIC:
        return None
    return unify(a, b)


_MUL = {
    (Unit.MONEY, Unit.NUMBER): Unit.MONEY,
    (Unit.COUNT, Unit.NUMBER): Unit.COUNT,
    (Unit.DURATION, Unit.NUMBER): Unit.DURATION,
    (Unit.NUMBER, Unit.NUMBER): Unit.NUMBER,
    (Unit.COUNT, Unit.MONEY): Unit.MONEY,
    (Unit.MONEY, Unit.FLEX): Unit.MONEY,
    (Unit.DURATION, Unit.FLEX): Unit.DURATION,
    (Unit.NUMBER, Unit.FLEX): Unit.NUMBER,
    (Unit.COUNT, Unit.FLEX): Unit.FLEX,
    (Unit.FLEX, Unit.FLEX): Unit.FLEX,
}

_DIV = {
    (Unit.MONEY, Unit.MONEY): Unit.NUMBER,
    (Unit.COUNT, Unit.COUNT): Unit.NUMBER,
    (Unit.DURATION, Unit.DURATION): Unit.NUMBER,
    (Unit.NUMBER, Unit.NUMBER): Unit.NUMBER,
    (Unit.MONEY, Unit.NUMBER): Unit.MONEY,
    (Unit.COUNT, Unit.NUMBER): Unit.COUNT,
    (Unit.DURATION, Unit.NUMBER): Unit.DURATION,
    (Unit.MONEY, Unit.COUNT): Unit.MONEY,
    (Unit.DURATION, Unit.COUNT): Unit.DURATION,
    (Unit.MONEY, Unit.FLEX): Unit.MONEY,
    (Unit.DURATION, Unit.FLEX): Unit.DURATION,
    (Unit.NUMBER, Unit.FLEX): Unit.NUMBER,
    (Unit.COUNT, Unit.FLEX): Unit.FLEX,
    (Unit.FLEX, Unit.FLEX): Unit.FLEX,
    (Unit.FLEX, Unit.NUMBER): Unit.FLEX,
    (Unit.FLEX, Unit.COUNT): Unit.NUMBER,
}


def multiply(a: Unit, b: Unit) -> Unit | None:
    if Unit.ANY in (a, b):
        other = b if a == Unit.ANY else a
        return other if other in NUMERIC else None
    return _MUL.get((a, b)) or _MUL.get((b, a))


def divide(a: Unit, b: Unit) -> Unit | None:
    if Unit.ANY in (a, b):
        other = b if a == Unit.ANY else a
        return other if other in NUMERIC else None
    if b == Unit.FLEX and a == Unit.FLEX:
        return Unit.FLEX
    if a == Unit.FLEX and b in (Unit.MONEY, Unit.DURATION):
        return None
    return _DIV.get((a, b))


def fits(actual: Unit, required: Unit) -> bool:
    """Whether a value of `actual` unit can stand where `required` is needed."""
    return actual == required or actual in (Unit.FLEX, Unit.ANY) or (
        required == Unit.NUMBER and actual == Unit.FLEX
    )
