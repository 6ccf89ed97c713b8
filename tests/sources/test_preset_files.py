"""The CRM presets as files: shipped inside the package, well-formed, and in agreement with the
demo's CRM shapes (every source column a preset names is in the demo's files).

These tests read the presets as data; reading CRM files through them is the mapping engine's
job, tested with the engine and by tests/sources/test_crm_demo_round_trip.py.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from kpilang.data.schema import TABLES

ROOT = Path(__file__).resolve().parents[2]
PRESETS = ("bitrix24", "bitrix24-export", "amocrm", "amocrm-export")
# The demo's shape of each preset that has one (amocrm-export has no demo shape).
DEMO_SHAPES = {"bitrix24": "demo-bitrix24", "bitrix24-export": "demo-bitrix24-export", "amocrm": "demo-amocrm"}
TRANSFORMS = ("date", "number", "duration", "boolean", "map", "person", "prefix")


def preset_text(name: str) -> str:
    """The preset as the installed package holds it (not a path into the repository)."""
    return resources.files("kpilang").joinpath("sources", "presets", f"{name}.toml").read_text(encoding="utf-8")


def resolved(name: str) -> dict:
    """The preset with `extends` applied as mapping.md says: tables replaced whole, maps merged."""
    mapping = tomllib.loads(preset_text(name))
    if "extends" not in mapping:
        return mapping
    base = resolved(mapping["extends"])
    for key, value in mapping.items():
        if key == "tables":
            base["tables"] = {**base["tables"], **value}
        elif key == "maps":
            for map_name, lines in value.items():
                base.setdefault("maps", {}).setdefault(map_name, {}).update(lines)
        else:
            base[key] = value
    return base


def parts(mapping: dict, table: str) -> list[dict]:
    found = mapping["tables"].get(table, [])
    return [found] if isinstance(found, dict) else found


def rules(part: dict):
    for column, rule in part["columns"].items():
        yield column, {"column": rule} if isinstance(rule, str) else rule


@pytest.mark.parametrize("name", PRESETS)
def test_preset_is_package_data_with_its_own_name(name: str) -> None:
    mapping = tomllib.loads(preset_text(name))
    assert mapping["format"] == 1
    assert mapping["name"] == name
    assert mapping.get("extends", PRESETS[0]) in PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_every_column_rule_has_one_source_and_at_most_one_transform(name: str) -> None:
    mapping = resolved(name)
    for table in mapping["tables"]:
        assert table in TABLES, table
        for part in parts(mapping, table):
            for column, rule in rules(part):
                sources = [key for key in ("column", "value", "derive") if key in rule]
                assert len(sources) == 1, (table, column, rule)
                assert len([key for key in TRANSFORMS if key in rule]) <= 1, (table, column, rule)
                if "map" in rule:
                    assert rule["map"] in mapping.get("maps", {}), (table, column, rule["map"])


@pytest.mark.parametrize("name", PRESETS)
def test_every_required_column_of_every_mapped_table_has_a_rule(name: str) -> None:
    mapping = resolved(name)
    for table in mapping["tables"]:
        required = {spec.name for spec in TABLES[table].columns if spec.required}
        for part in parts(mapping, table):
            assert required <= set(part["columns"]), (table, required - set(part["columns"]))


@pytest.mark.parametrize("name", PRESETS)
def test_a_default_map_line_only_where_the_crm_defines_every_other_value(name: str) -> None:
    """`"*"` is allowed only where the CRM itself says what every other value means."""
    mapping = resolved(name)
    defaults = {map_name for map_name, lines in mapping.get("maps", {}).items() if "*" in lines}
    assert defaults <= {"status", "stage_name", "call_status"}, defaults


def source_columns(directory: Path, part: dict) -> set[str]:
    """The column names (CSV) or top-level keys (JSON Lines) of the one file of a part."""
    present = [directory / name for name in part["files"] if (directory / name).exists()]
    assert len(present) == 1, (directory, part["files"])
    path = present[0]
    if path.suffix == ".jsonl":
        keys: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            keys |= set(json.loads(line))
        return keys
    encoding = {"windows-1251": "cp1251"}.get(part.get("encoding", "utf-8"), part.get("encoding", "utf-8"))
    text = path.read_bytes().decode(encoding)
    return set(next(csv.reader(io.StringIO(text, newline=""), delimiter=part.get("delimiter", ","))))


@pytest.mark.parametrize("name", sorted(DEMO_SHAPES))
def test_the_demo_shape_has_every_source_column_its_preset_names(name: str) -> None:
    mapping = resolved(name)
    directory = ROOT / "examples" / DEMO_SHAPES[name]
    for table in mapping["tables"]:
        for part in parts(mapping, table):
            columns = source_columns(directory, part)
            for filter_key in ("where", "exclude"):
                assert set(part.get(filter_key, {})) <= columns, (table, filter_key)
            for column, rule in rules(part):
                if "column" not in rule:
                    continue
                names = rule["column"] if isinstance(rule["column"], list) else [rule["column"]]
                # A JSON path is checked by its first key; a list needs one name present.
                tops = {source.split(".")[0].split("[")[0] for source in names}
                assert tops & columns or rule.get("optional"), (table, column, names)
