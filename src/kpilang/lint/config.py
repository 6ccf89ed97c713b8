"""The linter's configuration: `[tool.kpilang]` in a pyproject.toml, or a kpilang.toml.

The nearest file found from the linted plan's folder upwards wins (a pyproject.toml without a
`[tool.kpilang]` table is passed over). In kpilang.toml the keys sit at the top level, or under
`[tool.kpilang]` as in pyproject.toml:

    select = ["KPL001", "met-without-sales"]   # only these checks (default: all)
    ignore = ["KPL002"]                          # never these
    [severity]                                   # change a check's severity
    KPL018 = "error"
    [limits]
    kpis-max = 5
    formula-depth = 8
    history-min-share = "15%"
    import-roots = ["../shared-kpi"]             # folders imports may also read (see below)

`import-roots` lists folders, beyond the plan's own folder and its subfolders, from which a plan
may import library files: each relative to the folder of the configuration file (or absolute).
A folder that does not exist allows nothing. The configuration that counts for a plan's imports
is the one found from the plan being compiled, whichever file the `import` stands in.

A mistake in the configuration is a clear error naming the file and the key, never ignored.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kpilang.checks.base import Check, Limits, by_name_or_code, registry
from kpilang.diagnostics import Severity
from kpilang.messages import Text, t

CONFIG_FILES = ("kpilang.toml", "pyproject.toml")
KEYS = ("select", "ignore", "severity", "limits", "import-roots")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message (`text`, a catalog text said in the
    reader's language) says where and why."""

    def __init__(self, text: Text):
        super().__init__(str(text))
        self.text = text


@dataclass(frozen=True)
class LintConfig:
    source: Path | None = None
    selected: frozenset[str] | None = None
    """Check codes to run; None means all."""
    ignored: frozenset[str] = frozenset()
    severities: dict[str, Severity] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    import_roots: tuple[Path, ...] = ()
    """Absolute folders, besides the plan's own, that imports may read (`import-roots`)."""

    def enabled(self, check: Check) -> bool:
        return (self.selected is None or check.code in self.selected) and check.code not in self.ignored

    def severity_of(self, check: Check) -> Severity:
        return self.severities.get(check.code, check.severity)


def find_config(start: Path, top: Path | None = None) -> Path | None:
    """The nearest configuration file from `start` (a file or folder) upwards, no higher than
    `top` when given."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if top is not None and not candidate.is_relative_to(top.resolve()):
            return None
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name == "kpilang.toml" or _has_tool_table(path)):
                return path
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "kpilang" in _read(path).get("tool", {})
    except ConfigError:
        return True  # a broken pyproject.toml is reported, not skipped


@functools.cache
def _cached(path: Path) -> LintConfig:
    return parse_config(path)


def config_for(plan: Path) -> LintConfig:
    path = find_config(plan)
    return LintConfig() if path is None else _cached(path.resolve())


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(t("config.not-toml", path=path, error=err)) from None
    except OSError as err:
        raise ConfigError(t("config.cannot-read", path=path, reason=err.strerror or err)) from None


def parse_config(path: Path) -> LintConfig:
    data = _read(path)
    table = data.get("tool", {}).get("kpilang") if path.name == "pyproject.toml" or "tool" in data else data
    if table is None:
        return LintConfig(source=path)
    where = f"{path}: [tool.kpilang]" if path.name == "pyproject.toml" or "tool" in data else str(path)
    for key in table:
        if key not in KEYS:
            raise ConfigError(t("config.unknown-key", where=where, key=key, keys=", ".join(KEYS)))
    config = LintConfig(source=path)
    if "select" in table:
        config = replace(config, selected=frozenset(_codes(table["select"], f"{where}: select")))
    if "ignore" in table:
        config = replace(config, ignored=frozenset(_codes(table["ignore"], f"{where}: ignore")))
    if "severity" in table:
        config = replace(config, severities=_severities(table["severity"], f"{where}: severity"))
    if "limits" in table:
        config = replace(config, limits=_limits(table["limits"], f"{where}: limits"))
    if "import-roots" in table:
        config = replace(config, import_roots=_folders(table["import-roots"], path.parent, f"{where}: import-roots"))
    return config


def import_roots_for(plan: Path, top: Path | None = None) -> tuple[Path, ...]:
    """The `import-roots` of the configuration that counts for `plan` (found no higher than
    `top`), read afresh: a plan compiled from a git revision is a file in a temporary folder
    whose name may come back with other files in it."""
    path = find_config(plan, top)
    return () if path is None else parse_config(path.resolve()).import_roots


def _folders(value, base: Path, where: str) -> tuple[Path, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(t("config.import-roots.expected-folders", where=where))
    return tuple((base / v).resolve() for v in value)


def _codes(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(t("config.expected-codes", where=where))
    codes = []
    for key in value:
        check = by_name_or_code(key)
        if check is None:
            raise ConfigError(t("config.no-check-see", where=where, key=key))
        codes.append(check.code)
    return codes


def _severities(value, where: str) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(t("config.expected-severities", where=where))
    out = {}
    for key, level in value.items():
        check = by_name_or_code(key)
        if check is None:
            raise ConfigError(t("config.no-check", where=where, key=key))
        if level not in ("error", "warning", "info"):
            raise ConfigError(t("config.bad-level", where=where, key=key, level=repr(level)))
        out[check.code] = Severity(level)
    return out


def _limits(value, where: str) -> Limits:
    if not isinstance(value, dict):
        raise ConfigError(t("config.expected-limits", where=where))
    changes = {}
    for key, raw in value.items():
        attr = Limits.FIELDS.get(key)
        if attr is None:
            raise ConfigError(t("config.unknown-limit", where=where, key=key, limits=", ".join(Limits.FIELDS)))
        if attr == "history_min_share":
            changes[attr] = _share(raw, f"{where}: {key}")
        else:
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
                raise ConfigError(t("config.not-whole", where=where, key=key, value=repr(raw)))
            changes[attr] = raw
    limits = replace(Limits(), **changes)
    if limits.kpis_min > limits.kpis_max or limits.metrics_min > limits.metrics_max:
        raise ConfigError(t("config.min-above-max", where=where))
    return limits


def _share(raw, where: str) -> Decimal:
    """A share as "15%" or a number between 0 and 1 (written as a string to stay exact)."""
    text = raw.strip() if isinstance(raw, str) else None
    if text is None:
        raise ConfigError(t("config.share-as-string", where=where))
    try:
        value = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        raise ConfigError(t("config.not-a-share", where=where, value=repr(raw))) from None
    if not 0 <= value <= 1:
        raise ConfigError(t("config.share-range", where=where, value=repr(raw)))
    return value


def all_codes() -> list[str]:
    return list(registry())
