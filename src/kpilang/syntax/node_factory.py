"""Constructors of syntax nodes without pydantic's validation, for the parser's builder.

A parse of a 10,000-line plan makes some 60,000 nodes and spans. Validation would only repeat what
the grammar guarantees (the builder passes each field a value of its declared type), and even
`model_construct` spends most of its time on per-call bookkeeping. A constructor made here fills
pydantic's slots through their descriptors, as `model_construct` does, with the field names
written into its code: about five times faster than `model_construct`. `tests/syntax/
test_parser_nodes.py` checks that the nodes equal validated ones.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_PARTS = {
    "new": object.__new__,
    "set_dict": BaseModel.__dict__["__dict__"].__set__,
    "set_fields_set": BaseModel.__dict__["__pydantic_fields_set__"].__set__,
    "set_extra": BaseModel.__dict__["__pydantic_extra__"].__set__,
    "set_private": BaseModel.__dict__["__pydantic_private__"].__set__,
}


def fast_constructor(cls: type[M]) -> Callable[..., M]:
    """`make(field=value, …)` for every field of `cls` but its discriminator (`node: Literal["num"]
    = "num"`, which takes its one value), each required, by position or by name.

    Every instance gets the same set as its `model_fields_set` (the parameters, which are exactly
    the fields given): pydantic copies that set before it changes it (`model_copy`), and a frozen
    node is never changed in place."""
    fixed = {name: f.default for name, f in cls.model_fields.items() if _is_discriminator(f.annotation, f.default)}
    given = [name for name in cls.model_fields if name not in fixed]
    entries = ", ".join(f"{name!r}: {name if name in given else repr(fixed[name])}" for name in cls.model_fields)
    code = (
        f"def make({', '.join(given)}):\n"
        f"    obj = new(cls)\n"
        f"    set_dict(obj, {{{entries}}})\n"
        f"    set_fields_set(obj, fields_set)\n"
        f"    set_extra(obj, None)\n"
        f"    set_private(obj, None)\n"
        f"    return obj\n"
    )
    namespace: dict[str, Any] = {**_PARTS, "cls": cls, "fields_set": set(given)}
    exec(code, namespace)  # noqa: S102 - the code is built above from the model's own field names
    return namespace["make"]


def _is_discriminator(annotation: Any, default: Any) -> bool:
    return typing.get_origin(annotation) is Literal and typing.get_args(annotation) == (default,) and isinstance(default, str)
