"""What may be typed at the cursor: a data table's columns after `deals.`, target names after
`targets.`, plan fields and their values inside a `plan { }`, the tables an aggregate reads and,
after its `where`, their columns; elsewhere the declared names (the imported ones too), the
built-in names, the aggregates and functions, and the keywords.

The place is read from the text before the cursor, which is seldom a whole plan while typing;
the names come from the last analysis that parsed (`Analysis.modules`).
"""

from __future__ import annotations

import re

from lsprotocol import types

from kpilang import schema
from kpilang.compile import names
from kpilang.lsp.analysis import Analysis
from kpilang.lsp.positions import lines_of
from kpilang.lsp.symbols import all_nodes, declarations
from kpilang.syntax import ast
from kpilang.syntax.vocabulary import vocabulary

_NAME = r"[^\W\d]\w*"
_DOTTED = re.compile(rf"({_NAME})\.(\w*)$")
_FIELD_VALUE = re.compile(rf"^\s*({_NAME})\s+(\w*)$")
_FIRST_WORD = re.compile(r"^\s*\w*$")
_KIND = re.compile(r"(?<!\w)kind\s+\w*$")
_STRINGS_AND_COMMENTS = re.compile(r'"(\\[\\"]|[^"\\\n])*"?|#[^\n]*')
_PLAN_OPEN = re.compile(r"(?<!\w)plan(?!\w)[^{}]*\{[^}]*$")
_FIELD_VALUES = {"period": names.PERIODS, "strategy": names.STRATEGIES, "scope": ("team",)}
_DECL_KINDS = {"metric": types.CompletionItemKind.Variable, "kpi": types.CompletionItemKind.Value,
               "pay": types.CompletionItemKind.Constant, "table": types.CompletionItemKind.Function}


def completions(analysis: Analysis | None, text: str, line: int, column: int) -> list[types.CompletionItem]:
    source = lines_of(text)
    before_line = source[line - 1][:column - 1] if 1 <= line <= len(source) else ""
    if before_line.count('"') % 2:  # inside a string
        return []
    before = _code_only("\n".join(source[:line - 1] + [before_line]))
    modules = analysis.modules if analysis is not None else []
    dotted = _DOTTED.search(before_line)
    if dotted:
        return _after_dot(dotted.group(1), modules)
    if _PLAN_OPEN.search(before):
        return _in_plan(before_line)
    if _KIND.search(before_line):
        return _words(names.KINDS, types.CompletionItemKind.EnumMember)
    rows = _aggregate_rows(before)
    if rows is not None:
        table, after_where = rows
        if table is None:
            return _words(schema.ACTIVITY_TABLES, types.CompletionItemKind.Class)
        if after_where:
            return _columns(table) + _general(modules)
        return [_word("where", types.CompletionItemKind.Keyword)]
    return _general(modules)


def _code_only(text: str) -> str:
    """The text with strings and comments blanked, so that their braces and brackets do not count."""
    return _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group()), text)


def _after_dot(table: str, modules: list[ast.Module]) -> list[types.CompletionItem]:
    if table == "targets":
        found = sorted({node.column for module in modules for item in module.items for node in all_nodes(item)
                        if isinstance(node, ast.Dotted) and node.table == "targets"})
        return _words(found, types.CompletionItemKind.Field)
    return _columns(table) if table in schema.TABLES else []


def _columns(table: str) -> list[types.CompletionItem]:
    return [types.CompletionItem(label=c.name, kind=types.CompletionItemKind.Field, detail=f"{table}.{c.name}: {c.type}")
            for c in schema.TABLES[table].columns]


def _in_plan(before_line: str) -> list[types.CompletionItem]:
    if _FIRST_WORD.match(before_line):
        return _words(names.PLAN_FIELDS, types.CompletionItemKind.Property)
    value = _FIELD_VALUE.match(before_line)
    if value is None:
        return []
    field = value.group(1)
    if field == "currency":
        return _words(sorted(names.currencies()), types.CompletionItemKind.EnumMember)
    return _words(_FIELD_VALUES.get(field, ()), types.CompletionItemKind.EnumMember)


def _aggregate_rows(before: str) -> tuple[str | None, bool] | None:
    """Inside an aggregate's parentheses: the table it reads (None while not yet written) and
    whether the cursor is past its `where`; None outside any aggregate."""
    depth = 0
    for at in range(len(before) - 1, -1, -1):
        char = before[at]
        if char in ")]":
            depth += 1
        elif char in "([":
            if depth:
                depth -= 1
                continue
            if char == "[":
                return None
            func = re.search(rf"({_NAME})\s*$", before[:at])
            if func is None or func.group(1) not in names.AGGREGATES:
                return None
            inside = before[at + 1:]
            table = re.match(rf"\s*({_NAME})(?=[\s.]|$)", inside)
            if table is None or table.group(1) not in schema.TABLES or table.end() == len(inside):
                return None, False
            return table.group(1), re.search(r"(?<!\w)where(?!\w)", inside) is not None
    return None


def _general(modules: list[ast.Module]) -> list[types.CompletionItem]:
    v = vocabulary()
    items = [types.CompletionItem(label=name, kind=_DECL_KINDS[decl.decl], detail=f"{decl.decl} {name}",
                                  documentation=decl.label)
             for name, decl in declarations(modules).items()]
    items += _words(v.builtin_names, types.CompletionItemKind.Variable)
    items += [types.CompletionItem(label=f, kind=types.CompletionItemKind.Function, insert_text=f"{f}($1)",
                                   insert_text_format=types.InsertTextFormat.Snippet) for f in v.functions]
    items += _words(v.keywords, types.CompletionItemKind.Keyword)
    return items


def _words(words, kind: types.CompletionItemKind) -> list[types.CompletionItem]:
    return [_word(w, kind) for w in words]


def _word(word: str, kind: types.CompletionItemKind) -> types.CompletionItem:
    return types.CompletionItem(label=word, kind=kind)
