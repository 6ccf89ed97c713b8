"""`--data URL`: which engine holds the data, where, under which names, and with which password.

    duckdb:///path/file.duckdb
    postgresql://user@host:5432/database?sslmode=require
    clickhouse:///path/to/chdb-directory

A query string may map any of the five tables to a table or view of another name
(`?deals=sales.crm_deals`); the other keys go to the driver (libpq's `sslmode`, `connect_timeout`,
…). A password never comes in the URL, where it would stay in the shell's history and show in the
process list: it comes from $KPILANG_DB_PASSWORD_FILE (a file only its owner may read),
$KPILANG_DB_PASSWORD, or PostgreSQL's own PGPASSWORD and ~/.pgpass. What kpilang shows of a URL
(`shown`) never holds a password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from kpilang.data.schema import TABLE_ORDER
from kpilang.messages import Refused, t
from kpilang.sources.pull.secret import Secret, SecretError, read_secret

SCHEMES = {"duckdb": "duckdb", "postgresql": "postgres", "postgres": "postgres", "clickhouse": "clickhouse"}
"""URL scheme → the engine (its sqlglot dialect)."""

PASSWORD_VARIABLE = "KPILANG_DB_PASSWORD"
PASSWORD_FILE_VARIABLE = "KPILANG_DB_PASSWORD_FILE"


class UrlError(Refused):
    """A `--data` URL kpilang cannot use (its text never holds a password)."""


@dataclass(frozen=True)
class DataUrl:
    engine: str
    """duckdb, postgres or clickhouse."""
    shown: str
    """The URL as kpilang shows it: without a password and without the query string."""
    path: str | None = None
    """The database file (DuckDB) or directory (chDB)."""
    host: str | None = None
    port: int | None = None
    user: str | None = None
    database: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    """Driver options from the query string."""
    relations: dict[str, str] = field(default_factory=dict)
    """Table → the engine's table or view that holds it, for the tables not named as in data.md."""
    password: Secret | None = field(default=None, repr=False)

    def relation(self, table: str) -> str:
        return self.relations.get(table, table)


def is_data_url(data: str) -> bool:
    """Whether `--data` names a database rather than a directory (`scheme://…`)."""
    return "://" in data and data.split("://", 1)[0].isidentifier()


def parse_data_url(data: str) -> DataUrl:
    """The parts of a `--data` URL; raises UrlError for a scheme kpilang does not read, a table
    mapping to an unknown table, a password in the URL, or a password file it must not use."""
    parts = urlsplit(data)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UrlError(t("warehouse.unknown-scheme", data=data, scheme=parts.scheme),
                       t("warehouse.unknown-scheme-hint"))
    if parts.password is not None:
        raise UrlError(t("warehouse.password-in-url"),
                       t("warehouse.password-in-url-hint", variable=PASSWORD_VARIABLE,
                         file_variable=PASSWORD_FILE_VARIABLE))
    relations: dict[str, str] = {}
    options: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in TABLE_ORDER:
            relations[key] = value
        else:
            options[key] = value
    engine = SCHEMES[scheme]
    shown = f"{scheme}://{parts.netloc}{parts.path}"
    if engine in ("duckdb", "clickhouse"):
        # duckdb:///srv/sales.duckdb is an absolute path, duckdb://sales.duckdb a relative one.
        return DataUrl(engine=engine, shown=shown, path=unquote(parts.netloc + parts.path) or None, relations=relations,
                       options=options)
    return DataUrl(
        engine=engine, shown=shown, host=parts.hostname, port=parts.port,
        user=unquote(parts.username) if parts.username else None,
        database=unquote(parts.path.lstrip("/")) or None, options=options, relations=relations,
        password=_password(),
    )


def _password() -> Secret | None:
    """The password from kpilang's variables, or None to leave it to libpq (PGPASSWORD, ~/.pgpass)."""
    path = os.environ.get(PASSWORD_FILE_VARIABLE)
    if path is None and not os.environ.get(PASSWORD_VARIABLE):
        return None
    try:
        return read_secret(path, PASSWORD_VARIABLE, "--data")
    except SecretError as err:
        raise UrlError(err.text, err.hint) from None
