"""The semantic diff of two versions of a plan: what changed in meaning, in words.

Both sides are compiled programs; the comparison runs on `Program.dump_meaning()`, so it sees
exactly what the fingerprint sees: a diff is empty if and only if the fingerprints are equal.
Formulas are shown as their source text (white space collapsed, comments dropped), numbers the way
people read them (weights and caps as percents). Label and goal edits are listed apart, as
changes that carry no meaning.

A change is said in the reader's language (`Change.text`, catalog texts `diff.…`); its JSON keeps
the English words of its parts and values, the same in every language, for scripts to read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Literal

from kpilang.change.fingerprint import fingerprint
from kpilang.compile.members import reads_members
from kpilang.compile.program import Band, Program, canonical_decimal
from kpilang.diagnostics import Span
from kpilang.messages import DEFAULT_LANGUAGE, Text, render, t

What = Literal["plan", "metric", "kpi", "table", "pay"]
GROUPS: tuple[tuple[What, str], ...] = (("metric", "metrics"), ("kpi", "kpis"), ("table", "tables"), ("pay", "pays"))


@dataclass(frozen=True)
class Change:
    """One difference: a declaration `added` or `removed`, or one of its parts `changed`.

    `part` is the part's English name (`band EDGES` for a band's value); `old` and `new` are the
    parts as people read them (None on the side where it is absent): source text, or words."""

    action: Literal["added", "removed", "changed"]
    what: What
    name: str
    part: str | None = None
    old: str | Text | None = None
    new: str | Text | None = None

    def text(self) -> Text:
        subject = _SUBJECTS[self.what](self.name)
        if self.action == "added":
            return t("diff.added-as", subject=subject, value=self.new) if self.new else t("diff.added", subject=subject)
        if self.action == "removed":
            return t("diff.removed-was", subject=subject, value=self.old) if self.old else t("diff.removed", subject=subject)
        if self.part == "band added":
            return t("diff.band-added", subject=subject, band=self.new)
        if self.part == "band removed":
            return t("diff.band-removed", subject=subject, band=self.old)
        code = self.part in ("formula", "target", "definition") or (self.what == "pay" and self.part in ("cap", "floor"))
        old, new = _shown(self.old, code), _shown(self.new, code)
        if self.part and self.part.startswith("band "):
            return t("diff.band-changed", subject=subject, edges=self.part.removeprefix("band "), old=old, new=new)
        return t("diff.part-changed", subject=subject, part=_PART_NAMES.get(self.part, self.part), old=old, new=new)

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.text().render(lang)

    def to_json(self) -> dict[str, str | None]:
        """Its fields, words in English whatever the reader's language."""
        return {f.name: None if getattr(self, f.name) is None else render(getattr(self, f.name))
                for f in fields(self)}


_SUBJECTS = {
    "plan": lambda name: t("diff.what.plan", name=name),
    "metric": lambda name: t("diff.what.metric", name=name),
    "kpi": lambda name: t("diff.what.kpi", name=name),
    "table": lambda name: t("diff.what.table", name=name),
    "pay": lambda name: t("diff.what.pay", name=name),
}

_PART_NAMES = {
    "formula": t("diff.part.formula"), "target": t("diff.part.target"), "weight": t("diff.part.weight"),
    "cap": t("diff.part.cap"), "floor": t("diff.part.floor"), "direction": t("diff.part.direction"),
    "kind": t("diff.part.kind"), "controllability": t("diff.part.controllability"),
    "data tables": t("diff.part.data-tables"), "label": t("diff.part.label"), "goal": t("diff.part.goal"),
    "meaning": t("diff.part.meaning"), "definition": t("diff.part.definition"),
    # plan fields
    "name": t("diff.part.name"), "roles": t("diff.part.roles"), "period": t("diff.part.period"),
    "effective": t("diff.part.effective"), "timezone": t("diff.part.timezone"), "currency": t("diff.part.currency"),
    "strategy": t("diff.part.strategy"), "scope": t("diff.part.scope"),
}
"""The parts a change names, in words; a part the compiler adds later is shown by its own name."""


@dataclass(frozen=True)
class PlanDiff:
    old_fingerprint: str
    new_fingerprint: str
    changes: tuple[Change, ...]
    """Changes in meaning; empty exactly when the fingerprints are equal."""
    label_changes: tuple[Change, ...] = field(default=())
    """Labels and the goal's wording: shown, but no change in meaning."""
    affected_pays: tuple[str, ...] = field(default=())
    """Pays of the new version whose figures may move, directly or through what they read."""

    @property
    def meaning_changed(self) -> bool:
        return bool(self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "meaning_changed": self.meaning_changed,
            "old_sha256": self.old_fingerprint,
            "new_sha256": self.new_fingerprint,
            "changes": [c.to_json() for c in self.changes],
            "label_changes": [c.to_json() for c in self.label_changes],
            "affected_pays": list(self.affected_pays),
        }


def diff_programs(old: Program, new: Program) -> PlanDiff:
    """What changed in meaning from `old` to `new`."""
    old_meaning, new_meaning = old.dump_meaning(), new.dump_meaning()
    changes: list[Change] = []
    labels: list[Change] = []
    plan_name = (new.plan or old.plan).name if (new.plan or old.plan) else new.file
    _plan_changes(old, new, old_meaning["plan"], new_meaning["plan"], plan_name, changes, labels)
    touched: set[str] = set()
    for what, group in GROUPS:
        old_defs, new_defs = old_meaning[group], new_meaning[group]
        for name in sorted(old_defs.keys() | new_defs.keys()):
            if name not in new_defs:
                changes.append(Change("removed", what, name, old=_summary(old, what, name)))
                touched.add(name)
            elif name not in old_defs:
                changes.append(Change("added", what, name, new=_summary(new, what, name)))
                touched.add(name)
            else:
                found = _part_changes(what, name, old, new, old_defs[name], new_defs[name])
                if found:
                    touched.add(name)
                    changes.extend(found)
                old_label, new_label = old.label(name), new.label(name)
                if old_label != new_label:
                    labels.append(Change("changed", what, name, "label", _quoted(old_label), _quoted(new_label)))
    members = _member_changes(old, new)
    if members:  # a team figure reads the members' plans: every metric over members is touched
        changes.extend(members)
        touched.update(n for n, m in new.metrics.items() if reads_members(m.expr))
    if any(c.what == "plan" and c.name == plan_name for c in changes):  # when, whom and in what currency: every pay
        affected = sorted(new.pays)
    else:
        affected = sorted(p for p in new.pays if p in touched or new.reaches(p) & touched)
    old_print, new_print = fingerprint(old), fingerprint(new)
    if old_print != new_print and not changes:
        # a part of the meaning this module does not describe yet: say so rather than "no change"
        changes.append(Change("changed", "plan", plan_name, "meaning", old_print[:12], new_print[:12]))
    return PlanDiff(old_print, new_print, tuple(changes), tuple(labels), tuple(affected))


def _member_changes(old: Program, new: Program) -> list[Change]:
    """A team plan's `import members` plans, by plan name: each one added, removed, or changed in
    meaning (its fingerprint), followed by what changed in it."""
    old_plans = {m.program.plan.name: m.program for m in old.member_plans}
    new_plans = {m.program.plan.name: m.program for m in new.member_plans}
    out: list[Change] = []
    for name in sorted(old_plans.keys() | new_plans.keys()):
        if name not in new_plans:
            out.append(Change("removed", "plan", name))
        elif name not in old_plans:
            out.append(Change("added", "plan", name))
        else:
            inner = diff_programs(old_plans[name], new_plans[name])
            if inner.meaning_changed:
                out.append(Change("changed", "plan", name, "meaning", inner.old_fingerprint[:12], inner.new_fingerprint[:12]))
                out.extend(c for c in inner.changes if not (c.what == "plan" and c.part == "meaning"))
    return out


# ---- plan fields ---------------------------------------------------------------------------------

_PLAN_FIELD_ORDER = ("name", "roles", "period", "effective", "timezone", "currency", "strategy", "scope")


def _plan_changes(old: Program, new: Program, old_plan: dict | None, new_plan: dict | None, plan_name: str,
                  changes: list[Change], labels: list[Change]) -> None:
    if old_plan is None and new_plan is None:
        return
    if old_plan is None or new_plan is None:
        action = "added" if old_plan is None else "removed"
        changes.append(Change(action, "plan", plan_name))
        return
    known = [k for k in _PLAN_FIELD_ORDER if k in old_plan.keys() | new_plan.keys()]
    for key in known + sorted((old_plan.keys() | new_plan.keys()) - set(known)):
        a, b = old_plan.get(key), new_plan.get(key)
        if a != b:
            changes.append(Change("changed", "plan", plan_name, key, _plain(a), _plain(b)))
    assert old.plan is not None and new.plan is not None
    if old.plan.label != new.plan.label:
        labels.append(Change("changed", "plan", plan_name, "label", _quoted(old.plan.label), _quoted(new.plan.label)))
    if old.plan.goal != new.plan.goal:
        labels.append(Change("changed", "plan", plan_name, "goal", _quoted(old.plan.goal), _quoted(new.plan.goal)))


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


# ---- declarations --------------------------------------------------------------------------------


def _part_changes(what: What, name: str, old: Program, new: Program, a: dict, b: dict) -> list[Change]:
    if a == b:
        return []
    out: list[Change] = []
    if what == "table":
        if a["graduated"] != b["graduated"]:
            out.append(Change("changed", what, name, "kind", _table_kind(a["graduated"]), _table_kind(b["graduated"])))
        out.extend(_band_changes(name, old.tables[name].bands, new.tables[name].bands, old, new))
        return out
    old_def, new_def = getattr(old, what + "s")[name], getattr(new, what + "s")[name]
    known = _part_order(what)
    # parts the compiler may add later are shown as their meaning rather than skipped
    others = sorted((a.keys() | b.keys()) - set(known) - {"name", "tables"})
    for key in (*known, *others):
        if a.get(key) == b.get(key):
            continue
        part = _PART_WORDS.get(key, key)
        if key in known:
            out.append(Change("changed", what, name, part, _part_text(old, old_def, key), _part_text(new, new_def, key)))
        else:
            out.append(Change("changed", what, name, part, _compact(a.get(key)), _compact(b.get(key))))
    if not out:  # never report "no change" for a meaning that differs
        out.append(Change("changed", what, name, "definition", _summary(old, what, name), _summary(new, what, name)))
    return out


_PART_WORDS = {"expr": "formula", "target": "target", "weight": "weight", "cap": "cap", "floor": "floor",
               "lower_is_better": "direction", "kind": "kind", "uncontrollable_for": "controllability",
               "controllable_because": "controllability",
               "tables": "data tables"}


def _part_order(what: What) -> tuple[str, ...]:
    return {
        "metric": ("expr", "kind", "uncontrollable_for", "controllable_because"),
        "kpi": ("expr", "target", "weight", "cap", "lower_is_better"),
        "pay": ("expr", "cap", "floor"),
    }[what]


def _part_text(program: Program, defn: Any, key: str) -> str | Text | None:
    value = getattr(defn, key)
    if key == "lower_is_better":
        return t("diff.value.lower-is-better") if value else t("diff.value.higher-is-better")
    if key == "uncontrollable_for":
        if value is None:
            return t("diff.value.controllable")
        return t("diff.value.uncontrollable-for", roles=", ".join(sorted(value))) if value else t("diff.value.uncontrollable")
    if key == "controllable_because":
        return t("diff.value.controllable-because", reason=value) if value else t("diff.value.controllability-model")
    if key in ("weight", "cap") and isinstance(value, Decimal):
        return _percent(value)
    if value is None:
        return None
    if key in ("expr", "target", "cap", "floor"):
        return source_text(program, value.span)
    return str(value)


def _band_changes(name: str, old_bands: tuple[Band, ...], new_bands: tuple[Band, ...],
                  old: Program, new: Program) -> list[Change]:
    """Bands matched by their edges: a band with the same edges and another value is a changed
    value; any other difference is a band removed and one added."""
    def edges(b: Band) -> tuple:
        return (b.low, b.high)

    old_by_edges = {edges(b): b for b in old_bands}
    new_by_edges = {edges(b): b for b in new_bands}
    out: list[Change] = []
    for key in sorted(old_by_edges.keys() | new_by_edges.keys(), key=_edge_sort_key):
        a, b = old_by_edges.get(key), new_by_edges.get(key)
        if a is not None and b is not None:
            if a.value != b.value:
                out.append(Change("changed", "table", name, f"band {_band_edges_text(new, b)}",
                                  _band_value_text(old, a), _band_value_text(new, b)))
        elif a is not None:
            out.append(Change("changed", "table", name, "band removed", source_text(old, a.span), None))
        else:
            assert b is not None
            out.append(Change("changed", "table", name, "band added", None, source_text(new, b.span)))
    return out


def _edge_sort_key(edges: tuple) -> tuple:
    low, high = edges
    return (low is not None, low if low is not None else Decimal(0), high is None, high if high is not None else Decimal(0))


def _band_edges_text(program: Program, band: Band) -> str:
    text = source_text(program, band.span)
    return text.split(":", 1)[0].strip()


def _band_value_text(program: Program, band: Band) -> str:
    text = source_text(program, band.span)
    return text.split(":", 1)[1].strip() if ":" in text else canonical_decimal(band.value)


def _compact(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _table_kind(graduated: bool) -> Text:
    return t("diff.value.graduated") if graduated else t("diff.value.step")


def _summary(program: Program, what: What, name: str) -> str | Text | None:
    """A removed or added declaration in one line: its formula (a KPI's with its target and
    weight), or its bands."""
    if what == "table":
        table = program.tables[name]
        kind = "graduated " if table.graduated else ""
        return kind + "{ " + "; ".join(source_text(program, b.span) for b in table.bands) + " }"
    defn = getattr(program, what + "s")[name]
    text = source_text(program, defn.expr.span)
    if what == "kpi":
        return t("diff.kpi-summary", formula=text, target=source_text(program, defn.target.span),
                 weight=_percent(defn.weight))
    return text


# ---- showing -------------------------------------------------------------------------------------


def _percent(value: Decimal) -> str:
    return canonical_decimal(value * 100) + "%"


def _quoted(text: str | None) -> str | None:
    return None if text is None else f'"{text}"'


def _shown(text: str | Text | None, code: bool = False) -> str | Text:
    if text is None:
        return t("diff.none")
    return f"`{text}`" if code else text


def source_text(program: Program, span: Span) -> str:
    """The source of a span on one line: comments dropped, runs of white space made one space."""
    lines = program.sources.get(span.file, "").splitlines()
    if not lines or span.line > len(lines):
        return "…"
    if span.line == span.end_line:
        piece = [lines[span.line - 1][span.column - 1:span.end_column - 1]]
    else:
        piece = [lines[span.line - 1][span.column - 1:]]
        piece += lines[span.line:span.end_line - 1]
        piece.append(lines[span.end_line - 1][:span.end_column - 1])
    return " ".join(" ".join(_without_comment(line).split()) for line in piece if _without_comment(line).strip())


def _without_comment(line: str) -> str:
    in_string = escaped = False
    for i, ch in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "#":
            return line[:i]
    return line
