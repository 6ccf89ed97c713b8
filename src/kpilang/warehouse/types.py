"""What an engine's column type can hold, for the data contract's kinds (spec/data.md).

A database column is typed already; kpilang checks that the type holds the kind exactly (money in
NUMERIC or DECIMAL, never in FLOAT or DOUBLE) and takes an extra column's kind from its type.
"""

from __future__ import annotations

import re

from kpilang.data.schema import ColumnKind

TEXT, INTEGER, EXACT, FLOAT, LOCAL_TIME, INSTANT, DATE, BOOL, OTHER = (
    "text", "integer", "exact", "float", "local_time", "instant", "date", "bool", "other")

_CLASSES = (
    (INSTANT, r"(timestamp(\(\d\))? with time zone|timestamptz|timestamp_tz|datetime(64)?\(.*'.*'\))"),
    (LOCAL_TIME, r"(timestamp|datetime)"),
    (DATE, r"date(32)?$"),
    (BOOL, r"(bool|boolean)$"),
    (FLOAT, r"(real|double|float)"),
    (EXACT, r"(numeric|decimal)"),
    (INTEGER, r"(u?(tiny|small|big|huge)?int(eger)?\d*|int[248]|u?int\d+)$"),
    (TEXT, r"(text|varchar|character|char|bpchar|string|fixedstring|enum|uuid|citext)"),
)

# The classes that hold each kind exactly; an id column (a string) may be a whole number too.
FITS = {
    ColumnKind.STRING: (TEXT, INTEGER),
    ColumnKind.MONEY: (EXACT, INTEGER),
    ColumnKind.NUMBER: (EXACT, INTEGER),
    ColumnKind.INTEGER: (INTEGER,),
    ColumnKind.DURATION: (INTEGER,),
    ColumnKind.DATETIME: (LOCAL_TIME, INSTANT),
    ColumnKind.DATE: (DATE,),
    ColumnKind.BOOL: (BOOL,),
}

EXPECTED = {
    ColumnKind.STRING: "TEXT, VARCHAR, BIGINT",
    ColumnKind.MONEY: "NUMERIC, DECIMAL(18, 2)",
    ColumnKind.NUMBER: "NUMERIC, DECIMAL, BIGINT",
    ColumnKind.INTEGER: "BIGINT",
    ColumnKind.DURATION: "BIGINT",
    ColumnKind.DATETIME: "TIMESTAMP, TIMESTAMPTZ",
    ColumnKind.DATE: "DATE",
    ColumnKind.BOOL: "BOOLEAN",
}

_KIND_OF_CLASS = {
    TEXT: ColumnKind.STRING, INTEGER: ColumnKind.INTEGER, EXACT: ColumnKind.NUMBER,
    LOCAL_TIME: ColumnKind.DATETIME, INSTANT: ColumnKind.DATETIME, DATE: ColumnKind.DATE,
    BOOL: ColumnKind.BOOL, OTHER: ColumnKind.STRING,
}


def type_class(engine_type: str) -> str:
    """text, integer, exact, float, local_time, instant, date, bool or other."""
    name = engine_type.strip().lower()
    while name.startswith(("nullable(", "lowcardinality(")):
        name = name[name.index("(") + 1:-1]
    for cls, pattern in _CLASSES:
        if re.match(pattern, name):
            return cls
    return OTHER


def kind_of_extra(engine_type: str) -> ColumnKind | None:
    """The kind of an extra column; None for binary floating point, which kpilang never reads."""
    cls = type_class(engine_type)
    return None if cls == FLOAT else _KIND_OF_CLASS[cls]
