"""The `plan NAME { … }` header: each field known, given once, the required ones present, and each
value of the right form (a known period, strategy, time zone, currency…), into a `PlanInfo`."""

from __future__ import annotations

import zoneinfo

from kpilang.compile.help import field_help
from kpilang.compile.members import MEMBER_ERROR_POLICIES, ON_MEMBER_ERROR
from kpilang.compile.names import PERIODS, PLAN_FIELDS, REQUIRED_PLAN_FIELDS, STRATEGIES, currencies, suggest
from kpilang.compile.program import PlanInfo
from kpilang.compile.resolver import NameResolver
from kpilang.compile.written import shown
from kpilang.diagnostics import Note, Span
from kpilang.messages import Text, t
from kpilang.syntax import ast


def plan_info(c: NameResolver, node: ast.Plan) -> PlanInfo | None:
    fields: dict[str, ast.PlanField] = {}
    for f in node.fields:
        fname = f.name.name
        if fname not in PLAN_FIELDS:
            hint = suggest(fname, PLAN_FIELDS)
            c.error("E0401", "unknown-plan-field", t("E0401.message", field=fname), f.name.span,
                    t("did-you-mean", name=hint) if hint
                    else t("E0401.help", fields=", ".join(f"`{p}`" for p in PLAN_FIELDS)))
            continue
        if fname in fields:
            c.error("E0402", "duplicate-plan-field", t("E0402.message", name=fname), f.name.span,
                    t("E0402.help"), notes=(Note(span=fields[fname].span, message=t("E0402.note")),))
            continue
        fields[fname] = f
    ok = True
    for req in REQUIRED_PLAN_FIELDS:
        if req not in fields:
            ok = False
            c.error("E0403", "missing-plan-field", t("E0403.message", field=req), node.name.span,
                    field_help(req))
    values: dict = {}
    for fname, f in fields.items():
        value = _field_value(c, fname, f)
        if value is None:
            ok = False
        else:
            values[fname] = value
    if not ok:
        return None
    return PlanInfo(
        name=node.name.name, label=node.label, roles=values["role"], period=values["period"],
        effective=values["effective"], timezone=values.get("timezone", "UTC"), currency=values["currency"],
        strategy=values["strategy"], goal=values["goal"], scope=values.get("scope", "person"),
        on_member_error=values.get(ON_MEMBER_ERROR, "fail"),
        span=node.span, field_spans={n: f.span for n, f in fields.items()},
    )


def _field_value(c: NameResolver, fname: str, f: ast.PlanField):
    vals = f.values

    def bad(message: Text, span: Span | None = None) -> None:
        c.error("E0404", "bad-plan-field", message, span or f.span, field_help(fname))

    if fname == "role":
        roles = []
        for v in vals:
            if not isinstance(v, ast.Name):
                bad(t("E0404.role-word"), v.span)
                return None
            roles.append(v.name)
        if len(set(roles)) != len(roles):
            bad(t("E0404.role-twice"))
            return None
        return tuple(roles)
    if len(vals) != 1:
        bad(t("E0404.one-value", field=fname), vals[1].span if len(vals) > 1 else f.span)
        return None
    v = vals[0]
    word = v.name if isinstance(v, ast.Name) else v.value if isinstance(v, ast.Str) else None
    if fname == "period":
        if word not in PERIODS:
            bad(t("E0404.period", value=shown(v)), v.span)
            return None
        return word
    if fname == "strategy":
        if word not in STRATEGIES:
            bad(t("E0404.strategy", value=shown(v)), v.span)
            return None
        return word
    if fname == "scope":
        if word != "team":
            bad(t("E0404.scope", value=shown(v)), v.span)
            return None
        return "team"
    if fname == "effective":
        if not isinstance(v, ast.DateLit):
            bad(t("E0404.effective"), v.span)
            return None
        return v.value
    if fname == "timezone":
        if not isinstance(v, ast.Str):
            bad(t("E0404.timezone-quoted"), v.span)
            return None
        try:
            zoneinfo.ZoneInfo(v.value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            hint = suggest(v.value, zoneinfo.available_timezones())
            c.error("E0404", "bad-plan-field", t("E0404.timezone", value=v.value), v.span,
                    t("E0404.timezone-hint", name=hint) if hint else field_help("timezone"))
            return None
        return v.value
    if fname == "currency":
        if word is None or word not in currencies():
            bad(t("E0404.currency", value=shown(v)), v.span)
            return None
        return word
    if fname == ON_MEMBER_ERROR:
        if word not in MEMBER_ERROR_POLICIES:
            bad(t("E0404.on-member-error", value=shown(v)), v.span)
            return None
        return word
    if fname == "goal":
        if not isinstance(v, ast.Str):
            bad(t("E0404.goal"), v.span)
            return None
        return v.value
    return None  # pragma: no cover - PLAN_FIELDS is exhaustive
