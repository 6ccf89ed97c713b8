"""`deals.is_new_client` derived from the data, for a CRM that does not say it (docs/crm/mapping.md):
a won deal is a new client's when it is its client's first won deal. A deal whose order among its
client's deals cannot be known is rejected rather than guessed."""

from __future__ import annotations

import duckdb

from kpilang.data.readers.base import RawTable, RowFaults
from kpilang.data.sql import cell
from kpilang.messages import t


def derive_new_clients(con: duckdb.DuckDBPyConnection, raw: RawTable, faults: RowFaults,
                       rejected_clients: set[str], unreadable: bool) -> None:
    """deals.is_new_client from the data (docs/crm/mapping.md): a won deal is a new client's when
    it is its client's first won deal, by closed_at then id. A won deal whose client cannot be
    told, or whose client has a deal that was rejected or could not be read, is rejected: which
    deal came first cannot be known."""
    position = {name: cell(i) for i, name in enumerate(raw.columns)}
    client, stage, closed, ident, flag, owner = (position.get(c, "NULL") for c in (
        "client_id", "stage", "closed_at", "id", "is_new_client", "manager_id"))
    relation = raw.relation
    unsure_clients = sorted(rejected_clients)
    doubtful = con.execute(
        f"SELECT _row, {owner}, {client} FROM {relation} WHERE {stage} = 'won' AND ("
        f"{client} IS NULL OR {'true' if unreadable else 'false'} OR {client} IN (SELECT unnest($clients)) "
        f"OR {client} IN (SELECT {client} FROM {relation} WHERE {stage} = 'won' AND TRY_CAST({closed} AS TIMESTAMPTZ) IS NULL))",
        {"clients": unsure_clients},
    ).fetchall()
    for row, person, client_text in doubtful:
        faults.add(row, "new_client_unknown", client_text, column="is_new_client",
                   owners=((person,) if person else (),),
                   why=t("source.new-client.no-client" if client_text is None else "source.new-client.doubtful"))
    if doubtful:
        con.execute(f"DELETE FROM {relation} WHERE _row IN (SELECT unnest($rows))",
                    {"rows": [row for row, _, _ in doubtful]})
    con.execute(
        f"UPDATE {relation} SET {flag} = 'true' FROM (SELECT _row FROM (SELECT _row, row_number() OVER ("
        f"PARTITION BY {client} ORDER BY TRY_CAST({closed} AS TIMESTAMPTZ), {ident}, _row) AS n FROM {relation} "
        f"WHERE {stage} = 'won') WHERE n = 1) AS first_won WHERE first_won._row = {relation}._row"
    )
    con.execute(
        f"UPDATE {relation} SET {flag} = 'false' WHERE {stage} = 'won' AND {flag} IS NULL"
    )
