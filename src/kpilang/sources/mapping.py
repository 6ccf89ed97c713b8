"""A source mapping: how a CRM's files become kpilang's five tables (docs/crm/mapping.md).

A mapping is a TOML file, validated with pydantic; every error names the mapping file, the line
and the key it is about. A mapping may `extend` a preset shipped with kpilang (presets/*.toml) or
another file: tables given replace the base's table as a whole, maps and aliases are merged key
by key.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from kpilang.data.problems import DataError, DataProblem
from kpilang.data.schema import TABLES, ColumnKind
from kpilang.messages import Text, t

from .locate import KeyLines

MAPPING_FORMAT = 1

# Longest chain of `extends` followed; a longer one is a loop in all likelihood.
MAX_EXTENDS = 8

PRESETS_PACKAGE = "kpilang.sources.presets"


class RuleError(ValueError):
    """A mapping rule that cannot be used, said as a catalog text (shown in the reader's language)."""

    def __init__(self, text: Text):
        super().__init__(text.render())
        self.text = text


def _listed(value: Any) -> Any:
    """A single text where a list is allowed reads as a list of one."""
    return [value] if isinstance(value, str) else value


TextList = Annotated[list[str], BeforeValidator(_listed)]


class ColumnRule(BaseModel):
    """Where one kpilang column's values come from, and the one transform applied to them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: TextList | None = None
    value: str | None = None
    derive: Literal["first_won_deal"] | None = None
    date: TextList | None = None
    timezone: str | None = None
    number: Literal["plain", "ru"] | None = None
    duration: Literal["hms", "seconds"] | None = None
    boolean: tuple[str, str] | None = None
    map: str | None = None
    person: str | None = None
    prefix: str | None = None
    optional: bool = False

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        # `id = "ID"` and `name = ["ФИО", "name"]` name the source column alone.
        if isinstance(data, (str, list)):
            return {"column": data}
        return data

    @model_validator(mode="after")
    def _one_source_one_transform(self) -> ColumnRule:
        sources = [name for name in ("column", "value", "derive") if getattr(self, name) is not None]
        if len(sources) != 1:
            raise RuleError(t("source.mapping.one-source"))
        transforms = self.transforms()
        if len(transforms) > 1:
            raise RuleError(t("source.mapping.one-transform", found=", ".join(transforms)))
        if self.column is not None and not self.column:
            raise RuleError(t("source.mapping.no-column"))
        if self.timezone is not None and self.date is None:
            raise RuleError(t("source.mapping.timezone-without-date"))
        if self.value is not None and transforms:
            raise RuleError(t("source.mapping.constant-transform"))
        return self

    def transforms(self) -> list[str]:
        return [name for name in ("date", "number", "duration", "boolean", "map", "person")
                if getattr(self, name) is not None]


class TablePart(BaseModel):
    """One file of a kpilang table (a table may be built from several)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    files: TextList
    format: Literal["csv", "xlsx", "jsonl"] | None = None
    encoding: Literal["utf-8", "utf-8-sig", "windows-1251"] = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    where: dict[str, TextList] = Field(default_factory=dict)
    exclude: dict[str, TextList] = Field(default_factory=dict)
    columns: dict[str, ColumnRule]

    @model_validator(mode="after")
    def _sane(self) -> TablePart:
        if not self.files:
            raise RuleError(t("source.mapping.no-files"))
        if len(self.delimiter) != 1 or self.delimiter in '"\r\n':
            raise RuleError(t("source.mapping.delimiter", delimiter=self.delimiter))
        return self

    def file_format(self, name: str) -> str:
        if self.format is not None:
            return self.format
        suffix = Path(name).suffix.lower().lstrip(".")
        return {"csv": "csv", "txt": "csv", "xlsx": "xlsx", "jsonl": "jsonl", "json": "jsonl"}.get(suffix, "csv")


def _parts(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Mapping(BaseModel):
    """A whole mapping, its `extends` already applied."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1]
    name: str
    title: str = ""
    extends: str | None = None
    timezone: str | None = None
    tables: dict[str, Annotated[list[TablePart], BeforeValidator(_parts)]] = Field(default_factory=dict)
    maps: dict[str, dict[str, str]] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)
    # Where the mapping was read from (a file, or "preset NAME"); set by load_mapping.
    origin: str = ""

    def parts(self, table: str) -> list[TablePart]:
        return self.tables.get(table, [])


def cross_problems(mapping: Mapping) -> list[tuple[tuple, Text]]:
    """What the mapping's parts say that does not fit kpilang's tables or the mapping's own maps:
    (the key path it is about, why)."""
    found: list[tuple[tuple, Text]] = []
    zones = [(("timezone",), mapping.timezone)] + [
        (("tables", table, "columns", name, "timezone"), rule.timezone)
        for table, parts in mapping.tables.items() for part in parts for name, rule in part.columns.items()]
    for at, zone in zones:
        if zone is not None and not _known_zone(zone):
            found.append((at, t("source.mapping.timezone", zone=zone)))
    for table, parts in mapping.tables.items():
        spec = TABLES.get(table)
        if spec is None:
            found.append((("tables", table), t("source.mapping.unknown-table", table=table, tables=", ".join(TABLES))))
            continue
        for index, part in enumerate(parts):
            here = ("tables", table, index) if len(parts) > 1 else ("tables", table)
            missing = [c.name for c in spec.columns if c.required and c.name not in part.columns]
            if missing:
                found.append((here + ("columns",), t("source.mapping.required-columns", table=table,
                                                      columns=", ".join(missing))))
            for name, rule in part.columns.items():
                at = here + ("columns", name)
                column = spec.column(name)
                if rule.map is not None and rule.map not in mapping.maps:
                    found.append((at, t("source.mapping.unknown-map", column=name, map=rule.map,
                                        maps=", ".join(mapping.maps) or "—")))
                if rule.person is not None and (table == "managers" or name != spec.owner_column):
                    found.append((at, t("source.mapping.person-column", column=name, table=table)))
                if rule.derive is not None and (table, name) != ("deals", "is_new_client"):
                    found.append((at, t("source.mapping.derive-where")))
                if rule.date is not None and column is not None and column.kind not in (
                        ColumnKind.DATETIME, ColumnKind.DATE):
                    found.append((at, t("source.mapping.transform-kind", column=name, transform="date")))
    return found


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def preset_names() -> list[str]:
    folder = resources.files(PRESETS_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _problem(origin: str, line: int | None, key: str | None, reason, hint) -> DataProblem:
    return DataProblem(table="", file=origin, row=line, column=key, value=None, code="mapping",
                       reason=reason, hint=hint, fatal=True)


def _read_text(name_or_path: str, relative_to: Path | None) -> tuple[str, str, Path | None]:
    """(text, origin, folder) of a preset name or a mapping file."""
    if name_or_path in preset_names() and not name_or_path.endswith(".toml"):
        text = resources.files(PRESETS_PACKAGE).joinpath(f"{name_or_path}.toml").read_text("utf-8")
        return text, f"preset {name_or_path}", None
    path = Path(name_or_path)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if not path.is_file():
        raise DataError([_problem(
            name_or_path, None, None, t("source.mapping.not-found", source=name_or_path),
            t("source.mapping.not-found-hint", presets=", ".join(preset_names())),
        )])
    try:
        return path.read_bytes().decode("utf-8-sig"), str(path), path.parent
    except (OSError, UnicodeDecodeError) as error:
        raise DataError([_problem(str(path), None, None, t("source.mapping.unreadable", error=str(error)),
                                  t("source.mapping.unreadable-hint"))]) from None


def _parse(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = None
        message = str(error)
        if "(at line " in message:
            line = int(message.rsplit("(at line ", 1)[1].split(",")[0])
        raise DataError([_problem(origin, line, None, t("source.mapping.toml", error=message),
                                  t("source.mapping.toml-hint"))]) from None


def _merged(base: dict, own: dict) -> dict:
    merged = {**base, **own}
    merged["tables"] = {**base.get("tables", {}), **own.get("tables", {})}
    merged["maps"] = {name: {**base.get("maps", {}).get(name, {}), **own.get("maps", {}).get(name, {})}
                      for name in {*base.get("maps", {}), *own.get("maps", {})}}
    merged["aliases"] = {**base.get("aliases", {}), **own.get("aliases", {})}
    return merged


def _raw_mapping(name_or_path: str, relative_to: Path | None, depth: int) -> tuple[dict, str, KeyLines]:
    text, origin, folder = _read_text(name_or_path, relative_to)
    data = _parse(text, origin)
    lines = KeyLines(text)
    base_name = data.get("extends")
    if base_name is None:
        return data, origin, lines
    if not isinstance(base_name, str) or depth >= MAX_EXTENDS:
        raise DataError([_problem(origin, lines.line_of(("extends",)), "extends",
                                  t("source.mapping.extends-loop", limit=MAX_EXTENDS),
                                  t("source.mapping.extends-hint"))])
    base, _, _ = _raw_mapping(base_name, folder, depth + 1)
    return _merged(base, data), origin, lines


def load_mapping(name_or_path: str) -> Mapping:
    """The mapping a `--source` value names: a preset, or a TOML file. Raises DataError (fatal
    problems at the mapping's lines and keys) when it cannot be used."""
    data, origin, lines = _raw_mapping(name_or_path, None, 0)
    try:
        validated = Mapping.model_validate({**data, "origin": origin})
    except ValidationError as error:
        problems = []
        for found in error.errors():
            loc = tuple(found["loc"])
            # pydantic adds the validator's name to unions; keep the keys of the file only.
            keys = tuple(part for part in loc if isinstance(part, int) or not part.startswith(("function-", "list[", "str")))
            if (len(keys) > 2 and keys[0] == "tables" and isinstance(keys[2], int)
                    and isinstance(data.get("tables", {}).get(keys[1]), dict)):
                keys = keys[:2] + keys[3:]  # a table written once, not as [[tables.NAME]]
            key = ".".join(str(part) for part in keys) or None
            cause = (found.get("ctx") or {}).get("error")
            reason = cause.text if isinstance(cause, RuleError) else t(
                "source.mapping.invalid", error=found["msg"])
            problems.append(_problem(origin, lines.line_of(keys), key, reason, t("source.mapping.invalid-hint")))
        raise DataError(problems) from None
    mapping = validated
    wrong = cross_problems(mapping)
    if wrong:
        raise DataError([_problem(origin, lines.line_of(loc), ".".join(map(str, loc)), reason,
                                  t("source.mapping.invalid-hint")) for loc, reason in wrong])
    return mapping
