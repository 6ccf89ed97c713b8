"""The data generators: deterministic, in the data format's columns, with documented dirty rows.

The demo generator is run exactly as examples/README.md documents it, so the committed
examples/demo/ cannot drift from its generator, and the README's list of dirty rows is checked
against the files (and against an independent scan that finds every problem there is).
"""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_GENERATOR = ROOT / "examples" / "generate_demo.py"
BENCH_GENERATOR = ROOT / "bench" / "generate_w1.py"
EXAMPLES_README = ROOT / "examples" / "README.md"
COMMITTED_DEMO = ROOT / "examples" / "demo"

TABLES = ("managers", "activities", "leads", "deals", "targets")

# The header of every table in the specification's example data; both generators write these
# columns first, in this order, and may add extra columns after them.
SPEC_HEADERS = {
    "managers": ["id", "name", "role", "team", "salary", "hired_at"],
    "activities": ["id", "manager_id", "type", "started_at", "duration", "status"],
    "leads": ["id", "manager_id", "created_at", "first_response_at", "source", "status"],
    "deals": ["id", "manager_id", "client_id", "created_at", "closed_at", "stage", "amount", "is_new_client"],
    "targets": ["manager_id", "period", "name", "value"],
}
EXTRA_COLUMNS = {
    "managers": ["portfolio_clients"],
    "activities": ["rating", "client_id"],
    "leads": [],
    "deals": ["deal_type", "lead_id"],
    "targets": [],
}

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00")
MONEY = re.compile(r"-?\d+\.\d{2}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2]|Q[1-4])")

ROLES = {"head", "cold", "inbound", "account", "chat", "base"}
ACTIVITY_STATUSES = {
    "call": {"done"},
    "email": {"done"},
    "meeting": {"done", "planned", "cancelled"},
    "chat": {"done", "missed"},
    "task": {"done", "overdue"},
}


def run(script: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(script), *args], cwd=ROOT, check=True, capture_output=True)


def file_bytes(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def read_table(directory: Path, table: str) -> list[list[str]]:
    """All rows of a table, header first, as the CSV module reads them (row i is line i + 1)."""
    text = (directory / f"{table}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """Small demo datasets: seed 7 twice and seed 8 once."""
    directories = {}
    for name, seed in (("first", "7"), ("again", "7"), ("other_seed", "8")):
        out = tmp_path_factory.mktemp(f"demo_{name}")
        run(DEMO_GENERATOR, "--seed", seed, "--people", "16", "--out", str(out))
        directories[name] = out
    return directories


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory):
    """Tiny W1 datasets: seed 1 twice and seed 2 once."""
    directories = {}
    for name, seed in (("first", "1"), ("again", "1"), ("other_seed", "2")):
        out = tmp_path_factory.mktemp(f"bench_{name}")
        run(BENCH_GENERATOR, "--scale", "0.001", "--seed", seed, "--out", str(out))
        directories[name] = out
    return directories


# ---- determinism


@pytest.mark.parametrize("generated", ["demo", "bench"])
def test_same_seed_gives_byte_identical_files(generated: str, request: pytest.FixtureRequest) -> None:
    directories = request.getfixturevalue(generated)
    first, again = file_bytes(directories["first"]), file_bytes(directories["again"])
    assert sorted(first) == [f"{table}.csv" for table in sorted(TABLES)]
    assert first == again


@pytest.mark.parametrize("generated", ["demo", "bench"])
def test_different_seeds_give_different_data(generated: str, request: pytest.FixtureRequest) -> None:
    directories = request.getfixturevalue(generated)
    first, other = file_bytes(directories["first"]), file_bytes(directories["other_seed"])
    for table in ("managers", "activities", "leads", "deals", "targets"):
        assert first[f"{table}.csv"] != other[f"{table}.csv"], table


# ---- columns and formats


@pytest.mark.parametrize("generated", ["demo", "bench"])
def test_every_file_has_the_spec_columns(generated: str, request: pytest.FixtureRequest) -> None:
    directory = request.getfixturevalue(generated)["first"]
    for table in TABLES:
        raw = (directory / f"{table}.csv").read_bytes()
        header_line = raw.split(b"\r\n", 1)[0].decode("utf-8")
        assert header_line.split(",") == SPEC_HEADERS[table] + EXTRA_COLUMNS[table], table
        # CRLF line ends throughout, like the specification's example data.
        assert raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n"), table


@pytest.mark.parametrize("generated", ["demo", "bench"])
def test_values_have_the_documented_formats(generated: str, request: pytest.FixtureRequest) -> None:
    directory = request.getfixturevalue(generated)["first"]
    dirty = {(row["table"], int(row["line"])) for row in documented_dirty_rows()} if generated == "demo" else set()

    def rows(table: str):
        header, *body = read_table(directory, table)
        for line, row in enumerate(body, start=2):
            if (table, line) not in dirty:
                yield dict(zip(header, row, strict=True))

    managers = list(rows("managers"))
    roles = {m["role"] for m in managers}
    # A tiny benchmark has too few people for every role; the demo has them all even at 16.
    assert roles == ROLES if generated == "demo" else {"head", "cold"} <= roles <= ROLES
    for m in managers:
        assert MONEY.fullmatch(m["salary"]) and DATE.fullmatch(m["hired_at"])
        assert 45_000 <= int(m["salary"].split(".")[0]) <= 150_000
    heads_by_team: dict[str, int] = {}
    for m in managers:
        heads_by_team[m["team"]] = heads_by_team.get(m["team"], 0) + (m["role"] == "head")
    assert set(heads_by_team.values()) == {1}, "every team has exactly one head"

    for a in rows("activities"):
        assert TIMESTAMP.fullmatch(a["started_at"]), a
        assert a["status"] in ACTIVITY_STATUSES[a["type"]], a
        assert a["duration"].isdigit(), a
        assert a["rating"] == "" or (a["type"] == "chat" and a["rating"] in {"1", "2", "3", "4", "5"}), a
    for lead in rows("leads"):
        assert TIMESTAMP.fullmatch(lead["created_at"])
        assert lead["first_response_at"] == "" or TIMESTAMP.fullmatch(lead["first_response_at"])
        assert lead["first_response_at"] == "" or lead["first_response_at"] >= lead["created_at"]
        assert lead["source"] in {"site", "call", "chat", "partner"}
        assert lead["status"] in {"new", "qualified", "converted", "junk"}
    stages = set()
    for deal in rows("deals"):
        stages.add(deal["stage"])
        assert TIMESTAMP.fullmatch(deal["created_at"])
        assert (deal["closed_at"] == "") == (deal["stage"] == "open"), deal
        assert deal["closed_at"] == "" or deal["closed_at"] >= deal["created_at"], deal
        assert MONEY.fullmatch(deal["amount"]) and not deal["amount"].startswith("-"), deal
        assert deal["is_new_client"] in {"true", "false"}
        assert (deal["is_new_client"] == "true") == (deal["deal_type"] == "new"), deal
    assert stages == {"open", "won", "lost"}
    for target in rows("targets"):
        assert PERIOD.fullmatch(target["period"])
        assert target["name"] in {"revenue", "new_clients", "upsell", "team_revenue"}
        if target["name"] == "new_clients":
            assert target["value"].isdigit()
        else:
            assert MONEY.fullmatch(target["value"])


def test_demo_has_month_boundary_deals_and_new_hires() -> None:
    header, *body = read_table(COMMITTED_DEMO, "deals")
    closed = [row[header.index("closed_at")] for row in body]
    assert any(re.fullmatch(r"2026-0[789]-3[01]T23:[3-5]\d:\d{2}\+03:00", moment) for moment in closed)
    assert any(re.fullmatch(r"2026-(08|09|10)-01T00:[0-2]\d:\d{2}\+03:00", moment) for moment in closed)
    header, *people = read_table(COMMITTED_DEMO, "managers")
    hired = [row[header.index("hired_at")] for row in people]
    assert any("2026-07-01" < date <= "2026-09-30" for date in hired)


# ---- the committed demo and its documentation


def documented_command() -> list[str]:
    """The command examples/README.md gives for regenerating examples/demo/."""
    commands = [
        line.strip()
        for line in EXAMPLES_README.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("python examples/generate_demo.py") and "examples/demo" in line
    ]
    assert len(commands) == 1, commands
    return shlex.split(commands[0])


CRM_SHAPES = ("demo-bitrix24", "demo-bitrix24-export", "demo-amocrm")


@pytest.fixture(scope="module")
def documented_generation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding what the documented command writes: demo/ and the CRM shapes."""
    out = tmp_path_factory.mktemp("documented")
    program, script, *args = documented_command()
    assert program == "python" and script == "examples/generate_demo.py"
    out_position = args.index("--out") + 1
    assert args[out_position] == "examples/demo"
    args[out_position] = str(out / "demo")
    crm_position = args.index("--crm") + 1
    assert args[crm_position] == "examples"
    args[crm_position] = str(out)
    run(ROOT / script, *args)
    return out


def test_committed_crm_shapes_equal_a_fresh_generation(documented_generation: Path) -> None:
    for shape in CRM_SHAPES:
        fresh = file_bytes(documented_generation / shape)
        committed = file_bytes(ROOT / "examples" / shape)
        assert sorted(committed) == sorted(fresh), shape
        for name in fresh:
            assert committed[name] == fresh[name], f"examples/{shape}/{name} differs from a fresh generation"


def test_committed_demo_equals_a_fresh_generation(documented_generation: Path) -> None:
    fresh = file_bytes(documented_generation / "demo")
    committed = file_bytes(COMMITTED_DEMO)
    assert sorted(committed) == sorted(fresh)
    for name in fresh:
        assert committed[name] == fresh[name], f"examples/demo/{name} differs from a fresh generation"
    assert sum(len(content) for content in committed.values()) < 2_000_000


def documented_dirty_rows() -> list[dict[str, str]]:
    text = EXAMPLES_README.read_text(encoding="utf-8")
    section = text.split("## Dirty rows", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in TABLES:
            rows.append(dict(zip(("table", "line", "id", "column", "value", "problem"), cells)))
    return rows


def scan_for_problems(directory: Path) -> set[tuple[str, int, str, str]]:
    """Every bad cell of the generated data as (table, line, id, column), found independently."""
    problems = set()
    tables = {table: read_table(directory, table) for table in TABLES}
    managers_header, *managers = tables["managers"]
    manager_ids = {row[0] for row in managers}
    checks = {
        "activities": {"started_at": TIMESTAMP},
        "leads": {"created_at": TIMESTAMP},
        "deals": {"created_at": TIMESTAMP, "amount": re.compile(r"\d+\.\d{2}")},
    }
    for table in ("activities", "leads", "deals"):
        header, *body = tables[table]
        seen: set[str] = set()
        for line, row in enumerate(body, start=2):
            record = dict(zip(header, row, strict=True))
            if record["id"] in seen:
                problems.add((table, line, record["id"], "id"))
            seen.add(record["id"])
            if record["manager_id"] not in manager_ids:
                problems.add((table, line, record["id"], "manager_id"))
            for column, pattern in checks[table].items():
                if not pattern.fullmatch(record[column]):
                    problems.add((table, line, record["id"], column))
    for line, row in enumerate(tables["targets"][1:], start=2):
        if row[0] not in manager_ids:
            problems.add(("targets", line, row[0], "manager_id"))
    for line, row in enumerate(managers, start=2):
        if not MONEY.fullmatch(row[managers_header.index("salary")]):
            problems.add(("managers", line, row[0], "salary"))
    return problems


def test_readme_lists_the_five_kinds_of_dirty_rows() -> None:
    documented = documented_dirty_rows()
    assert [(row["table"], row["column"]) for row in documented] == [
        ("activities", "id"),
        ("activities", "started_at"),
        ("leads", "manager_id"),
        ("deals", "amount"),
        ("deals", "amount"),
    ]


def test_committed_demo_has_exactly_the_documented_dirty_rows() -> None:
    documented = documented_dirty_rows()
    tables = {table: read_table(COMMITTED_DEMO, table) for table in TABLES}
    for entry in documented:
        header, *_ = tables[entry["table"]]
        row = tables[entry["table"]][int(entry["line"]) - 1]
        assert row[header.index("id")] == entry["id"], entry
        assert row[header.index(entry["column"])] == entry["value"], entry
    duplicate = next(entry for entry in documented if entry["column"] == "id")
    rows = tables["activities"]
    assert rows[int(duplicate["line"]) - 2] == rows[int(duplicate["line"]) - 1]
    expected = {(e["table"], int(e["line"]), e["id"], e["column"]) for e in documented}
    assert scan_for_problems(COMMITTED_DEMO) == expected


def test_dirty_rows_sit_at_the_same_places_for_any_seed(demo: dict[str, Path]) -> None:
    documented = documented_dirty_rows()
    expected = {(e["table"], int(e["line"]), e["id"], e["column"]) for e in documented}
    shapes = {
        ("activities", "started_at"): re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}"),
        ("leads", "manager_id"): re.compile(r"m0000"),
        ("deals", "amount"): re.compile(r"-\d+\.\d{2}|\d{1,3}( \d{3})*,\d{2}"),
    }
    for directory in (demo["first"], demo["other_seed"]):
        assert scan_for_problems(directory) == expected
        for entry in documented:
            header, *body = read_table(directory, entry["table"])
            value = body[int(entry["line"]) - 2][header.index(entry["column"])]
            pattern = shapes.get((entry["table"], entry["column"]))
            assert pattern is None or pattern.fullmatch(value), (entry, value)


def test_bench_data_is_clean(bench: dict[str, Path]) -> None:
    assert scan_for_problems(bench["first"]) == set()
