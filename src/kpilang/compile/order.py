"""The order figures are computed in: every declaration after what its formulas read, found from
the dependencies the typer recorded; a cycle is an error that names each step of it."""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

from kpilang.compile.resolver import NameResolver
from kpilang.diagnostics import Note
from kpilang.messages import t


def dependency_order(c: NameResolver) -> list[str]:
    graph = {n: {d for d in deps if d in c.deps} for n, deps in c.deps.items()}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as err:
        cycle = list(err.args[1])  # [a, b, …, a], each depending on the next
        cycle.reverse()
        first = cycle[0]
        decl = c.decls.get(first)
        span = decl.name.span if decl is not None else c.decls[cycle[1]].name.span
        notes = tuple(
            Note(span=c.decls[n].name.span, message=t("E0601.note", name=n, used=m))
            for n, m in zip(cycle, cycle[1:]) if n in c.decls
        )
        c.error("E0601", "cycle", t("E0601.message", cycle=" → ".join(cycle)), span,
                t("E0601.help"),
                notes=notes)
        return []
