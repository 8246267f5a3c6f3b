"""Bulk inserts for the demo seed: hundreds of thousands of rows in seconds.

Rows go through the columns' own SQLAlchemy types (JSON, UTC datetimes, booleans),
so the database holds exactly what the ORM would write; each distinct value is
converted once (answers repeat the same option ids and timestamps over and over).
PostgreSQL receives the rows with COPY, other databases with one executemany,
both inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table

from benchmark.extensions import db

CHUNK = 20_000


def _processors(table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    dialect = db.session.get_bind().dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _convert(values: Sequence[Any], process: Callable[[Any], Any]) -> list[Any]:
    memo: dict[Any, Any] = {}
    out = []
    append = out.append
    for value in values:
        try:
            key = (value.__class__, tuple(value) if isinstance(value, list) else value)
            converted = memo.get(key, memo)
        except TypeError:  # unhashable (a dict): convert each time
            append(process(value))
            continue
        if converted is memo:
            converted = memo[key] = process(value)
        append(converted)
    return out


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (Python values in `columns` order) into `table`; the number inserted.

    Runs in the session's current transaction: the caller commits or rolls back.
    Rows must be complete: column defaults are not applied.
    """
    processors = _processors(table, columns)
    connection = db.session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    use_copy = dialect.name == "postgresql" and dialect.driver == "psycopg"
    count = 0
    for chunk in _chunks(rows, CHUNK):
        columns_data = list(zip(*chunk, strict=True))
        for i, process in enumerate(processors):
            if process is not None:
                columns_data[i] = _convert(columns_data[i], process)
        ready = list(zip(*columns_data, strict=True))
        if use_copy:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in ready:
                    copy.write_row(row)
        else:
            marks = ", ".join(_placeholder(dialect.paramstyle, i) for i in range(len(columns)))
            connection.exec_driver_sql(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", ready)  # noqa: S608 - quoted identifiers
        count += len(ready)
    return count


def _placeholder(paramstyle: str, position: int) -> str:
    return {"qmark": "?", "numeric": f":{position + 1}", "format": "%s", "pyformat": "%s"}.get(
        paramstyle, "?")
