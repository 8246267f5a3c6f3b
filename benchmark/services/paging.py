"""Server-side paging of list pages: a page of rows, the total and the number of pages.

Every list that grows with the network (review queue, cities, users, audit log, the
network's cities) is read one page at a time, so a page costs the same with 135 or
10,000 cities: a COUNT and a LIMIT/OFFSET query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select

from benchmark.extensions import db

T = TypeVar("T")

#: Rows per page of every paged list.
PER_PAGE = 50


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: `items`, the total row count, this page (1-based) and the last."""

    items: list[T]
    total: int
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def clamp(page: int, total: int, per_page: int = PER_PAGE) -> tuple[int, int]:
    """(page, pages): `page` moved into 1..pages (an empty list has one, empty, page)."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages), pages


def paginate(statement: Any, page: int, per_page: int = PER_PAGE,
             convert: Callable[[Any], T] | None = None, *, scalars: bool = True) -> Page[T]:
    """Page `page` of an ordered SELECT: one COUNT and one LIMIT/OFFSET query."""
    total = db.session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    page, pages = clamp(page, total, per_page)
    limited = statement.offset((page - 1) * per_page).limit(per_page)
    rows = list(db.session.scalars(limited) if scalars else db.session.execute(limited))
    return Page([convert(r) for r in rows] if convert else rows, total, page, pages)


def of_list(items: Sequence[T], page: int, per_page: int = PER_PAGE) -> Page[T]:
    """Page `page` of a list already computed (the network's ranked cities)."""
    page, pages = clamp(page, len(items), per_page)
    start = (page - 1) * per_page
    return Page(list(items[start:start + per_page]), len(items), page, pages)
