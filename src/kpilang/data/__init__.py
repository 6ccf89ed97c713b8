"""Activity data: loading the five tables from CSV, JSONL, Parquet or XLSX into DuckDB,
validating every value, and reporting every rejected one.

    data = load_data("data/", timezone="Europe/Moscow", needs={"deals": {"amount"}})
    data.connection.sql("SELECT sum(amount) FROM deals WHERE stage = 'won'")
    for problem in data.problems: ...
"""

from .dataset import DataSet, TableInfo
from .inputs import InputFile, Snapshot
from .loader import load_data
from .problems import DataError, DataProblem
from .schema import DATE_COLUMNS, TABLES, ColumnKind

__all__ = [
    "DATE_COLUMNS",
    "TABLES",
    "ColumnKind",
    "DataError",
    "DataProblem",
    "DataSet",
    "InputFile",
    "Snapshot",
    "TableInfo",
    "load_data",
]
