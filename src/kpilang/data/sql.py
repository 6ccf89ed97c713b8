"""Quoting for SQL text built from names and values that come from user files."""

from __future__ import annotations


def literal(text: str) -> str:
    """A SQL string literal: quotes doubled, nothing else interpreted."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier, safe for any column name found in a header."""
    return '"' + name.replace('"', '""') + '"'


def cell(index: int) -> str:
    """The internal name of the index-th column of a raw table.

    Raw tables name their columns c0, c1, … so that user column names (any text at all) are
    only ever used, quoted, in the final clean table.
    """
    return f"c{index}"
