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
from operator import itemgetter
from typing import Any

from sqlalchemy import Table

from benchmark.extensions import db

CHUNK = 20_000


def _processors(table: Table, columns: Sequence[str]) -> list[Callable[[Any], Any] | None]:
    dialect = db.session.get_bind().dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def _convert(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """`process` applied to each value, computed once per distinct value (C-level passes)."""
    if len(set(map(type, values))) == 1:
        try:
            table = {value: process(value) for value in set(values)}
        except TypeError:  # unhashable values (lists, dicts)
            return _convert_keyed(values, process)
        if all(converted is value for value, converted in table.items()):
            return values  # the type passes these values through unchanged (booleans)
        return list(map(table.__getitem__, values))
    return _convert_keyed(values, process)


def _convert_keyed(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    # Keys carry the type, so that 1, 1.0 and True stay distinct; lists are keyed as tuples.
    hashable = [tuple(v) if v.__class__ is list else v for v in values]
    keys = list(zip(map(type, values), hashable, strict=True))
    try:
        originals = dict(zip(keys, values, strict=True))
    except TypeError:  # unhashable values (dicts): convert each one
        return [process(v) for v in values]
    table = {key: process(value) for key, value in originals.items()}
    return list(map(table.__getitem__, keys))


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
        # Column by column with C-level passes (itemgetter maps, dict lookups), then back
        # into rows; columns without a conversion are never materialised.
        ready = list(zip(*(
            map(itemgetter(i), chunk) if process is None
            else _convert(list(map(itemgetter(i), chunk)), process)
            for i, process in enumerate(processors)
        ), strict=True))
        if use_copy:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in ready:
                    copy.write_row(row)
        else:
            marks = ", ".join(_placeholder(dialect.paramstyle, i) for i in range(len(columns)))
            connection.exec_driver_sql(
                f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", ready)  # noqa: S608  # nosec B608 - quoted identifiers
        count += len(ready)
    return count


def _placeholder(paramstyle: str, position: int) -> str:
    return {"qmark": "?", "numeric": f":{position + 1}", "format": "%s", "pyformat": "%s"}.get(
        paramstyle, "?")


def analyze(tables: Sequence[Table]) -> None:
    """Refresh the planner's statistics after a bulk load (PostgreSQL; inside the transaction).

    Without them PostgreSQL plans the next queries of the same transaction for empty
    tables (nested loops over ~10^5 rows: network statistics took 10 s instead of 0.2 s).
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql(f"ANALYZE {', '.join(quote(t.name) for t in tables)}")
