"""Problems written as JSON and read back exactly: every value keeps its type (a Decimal stays a
Decimal, a datetime a datetime, a catalog text its key and arguments), so that a run served from
the cache reports exactly what the run that checked the file reported.

A value of a type not listed here cannot be written: `encode` raises UnstorableValue, and the
table is then simply not cached.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kpilang.messages import Concat, Join, Text

from .problems import DataProblem


class UnstorableValue(TypeError):
    pass


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Text):
        return {"$text": value.key, "args": [[name, encode(v)] for name, v in value.args]}
    if isinstance(value, Join):
        return {"$join": [encode(v) for v in value.items], "conjunction": value.conjunction}
    if isinstance(value, Concat):
        return {"$concat": [encode(v) for v in value.pieces]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    raise UnstorableValue(f"a {type(value).__name__} cannot be kept in the cache")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$decimal" in value:
        return Decimal(value["$decimal"])
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$text" in value:
        return Text(value["$text"], tuple((name, decode(v)) for name, v in value["args"]))
    if "$join" in value:
        return Join(tuple(decode(v) for v in value["$join"]), value["conjunction"])
    if "$concat" in value:
        return Concat(tuple(decode(v) for v in value["$concat"]))
    if "$tuple" in value:
        return tuple(decode(v) for v in value["$tuple"])
    raise UnstorableValue(f"unknown value in the cache: {sorted(value)}")


def encode_problem(problem: DataProblem) -> dict[str, Any]:
    """The problem's fields, but its file: the same export may be read under another name."""
    return {name: encode(getattr(problem, name)) for name in DataProblem.model_fields if name != "file"}


def decode_problem(fields: dict[str, Any], file: str) -> DataProblem:
    return DataProblem(file=file, **{name: decode(v) for name, v in fields.items()})
