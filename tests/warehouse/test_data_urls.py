"""`--data URL` on eval, explain and data check: the URL's parts, the password kept out of sight,
and the commands reading a database as they read a folder."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from warehouse_engines import DATA, ROOT
from warehouse_fixtures import postgres_server, tables, warehouse  # noqa: F401 - fixtures

from kpilang.cli import main
from kpilang.warehouse import UrlError, is_data_url, parse_data_url
from kpilang.warehouse.types import type_class

COLD_SALES = str(ROOT / "examples" / "cold_sales" / "cold_sales.kpi")
SECRET = "s3cret-Pa55"


def _run(args, env=None):
    return CliRunner(env=env).invoke(main, args, catch_exceptions=False)


def test_a_url_names_the_engine_the_database_and_the_tables_mapped():
    url = parse_data_url("postgresql://kpi@db.example:5433/sales?sslmode=require&deals=crm.sdelki")
    assert (url.engine, url.host, url.port, url.user, url.database) == ("postgres", "db.example", 5433, "kpi", "sales")
    assert url.relation("deals") == "crm.sdelki" and url.relation("leads") == "leads"
    assert url.options == {"sslmode": "require"}
    assert url.shown == "postgresql://kpi@db.example:5433/sales"


def test_a_file_url_gives_an_absolute_or_a_relative_path():
    assert parse_data_url("duckdb:///srv/sales.duckdb").path == "/srv/sales.duckdb"
    assert parse_data_url("duckdb://data/sales.duckdb").path == "data/sales.duckdb"


def test_a_database_file_that_does_not_exist_is_refused(tmp_path):
    result = _run(["eval", COLD_SALES, "--data", f"duckdb://{tmp_path}/none.duckdb", "--period", "2026-07"])
    assert result.exit_code == 2
    assert f"cannot read duckdb://{tmp_path}/none.duckdb" in result.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_a_folder_is_not_a_url():
    assert is_data_url("duckdb:///tmp/x.duckdb")
    assert not is_data_url("examples/demo") and not is_data_url("C:\\data")


def test_a_password_written_in_the_url_is_refused_without_being_repeated():
    with pytest.raises(UrlError) as refused:
        parse_data_url(f"postgresql://kpi:{SECRET}@localhost/sales")
    assert SECRET not in str(refused.value) and SECRET not in refused.value.hint.render("en")
    result = _run(["eval", COLD_SALES, "--data", f"postgresql://kpi:{SECRET}@localhost/sales", "--period", "2026-07"])
    assert result.exit_code == 2
    assert SECRET not in result.output + result.stderr
    assert "KPILANG_DB_PASSWORD" in result.stderr


def test_a_password_file_others_can_read_is_refused(tmp_path, monkeypatch):
    secret = tmp_path / "password"
    secret.write_text(SECRET + "\n")
    secret.chmod(0o644)
    monkeypatch.setenv("KPILANG_DB_PASSWORD_FILE", str(secret))
    with pytest.raises(UrlError) as refused:
        parse_data_url("postgresql://kpi@localhost/sales")
    assert "644" in str(refused.value)
    secret.chmod(0o600)
    assert parse_data_url("postgresql://kpi@localhost/sales").password.value == SECRET


def test_the_password_never_shows_when_the_server_cannot_be_reached(tmp_path):
    url = f"postgresql://kpi@:5999/sales?host={tmp_path}&connect_timeout=2"
    result = _run(["eval", COLD_SALES, "--data", url, "--period", "2026-07"],
                  env={"KPILANG_DB_PASSWORD": SECRET})
    assert result.exit_code == 2
    assert "cannot read postgresql://kpi@:5999/sales" in result.stderr
    assert SECRET not in result.output + result.stderr


def test_a_crm_preset_with_deals_in_two_parts_is_refused_with_a_database_naming_the_key(warehouse):
    stored = warehouse("duckdb", "cold_sales")
    result = _run(["eval", COLD_SALES, "--data", stored.url, "--period", "2026-07", "--source", "bitrix24"])
    assert result.exit_code == 2
    assert ("the mapping's tables.deals (a table built from several parts) cannot be done inside the database "
            "exactly") in result.stderr


def test_an_unknown_scheme_is_refused_with_the_forms_kpilang_reads():
    result = _run(["eval", COLD_SALES, "--data", "mysql://localhost/sales", "--period", "2026-07"])
    assert result.exit_code == 2
    assert "duckdb:///path/file.duckdb" in result.stderr


@pytest.mark.parametrize(("engine_type", "cls"), [
    ("numeric(18,2)", "exact"), ("Nullable(Decimal(38, 2))", "exact"), ("double precision", "float"),
    ("Float64", "float"), ("timestamp with time zone", "instant"), ("DateTime64(6, 'Europe/Moscow')", "instant"),
    ("timestamp without time zone", "local_time"), ("DateTime64(6)", "local_time"), ("bigint", "integer"),
    ("LowCardinality(String)", "text"), ("character varying(40)", "text"), ("Bool", "bool"), ("Date32", "date"),
])
def test_an_engines_type_is_read_for_what_it_holds(engine_type, cls):
    assert type_class(engine_type) == cls


def test_eval_reads_a_duckdb_file_and_gives_the_file_figures(warehouse):
    stored = warehouse("duckdb", "cold_sales")
    from_engine = _run(["eval", COLD_SALES, "--data", stored.url, "--period", "2026-07", "--format", "json"])
    from_files = _run(["eval", COLD_SALES, "--data", str(DATA["cold_sales"]), "--period", "2026-07", "--format", "json"])
    assert from_engine.exit_code == from_files.exit_code == 0
    assert json.loads(from_engine.stdout)["results"] == json.loads(from_files.stdout)["results"]


def test_explain_reads_a_postgres_server(warehouse, tmp_path):
    stored = warehouse("postgres", "cold_sales")
    result = _run(["explain", COLD_SALES, "--data", stored.url, "--period", "2026-07", "--manager", "m1",
                   "--lang", "en"], env={"KPILANG_DB_PASSWORD": SECRET})
    assert result.exit_code == 0, result.stderr
    assert "1,150,000.50" in result.stdout
    assert SECRET not in result.output + result.stderr


def test_data_check_names_a_bad_rows_key_and_the_period_coverage(warehouse):
    stored = warehouse("postgres", "cold_sales")
    stored.run('INSERT INTO "deals" ("id", "manager_id", "stage", "amount", "created_at", "closed_at") VALUES '
               "('d900', 'm2', 'won', -5000.00, now(), TIMESTAMPTZ '2026-07-15 12:00:00+03')")
    result = _run(["data", "check", stored.url, "--plan", COLD_SALES, "--period", "2026-07", "--lang", "ru"])
    assert result.exit_code == 1
    assert "таблица deals, файл deals, ключ id=d900, столбец amount" in result.stderr
    assert "2026-07" in result.stdout
