"""The main menu: each blueprint adds its entries with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import LazyString

from benchmark.web.identity import current_actor


@dataclass(frozen=True)
class NavEntry:
    label: LazyString | str
    endpoint: str
    roles: frozenset[str]
    order: int = 50


_ENTRIES: list[NavEntry] = []


def add(label: LazyString | str, endpoint: str, roles: set[str] | frozenset[str], order: int = 50) -> None:
    """Add a menu entry (called at import time by blueprint modules)."""
    if any(e.endpoint == endpoint for e in _ENTRIES):
        return
    _ENTRIES.append(NavEntry(label, endpoint, frozenset(roles), order))


def _items() -> list[dict[str, Any]]:
    actor = current_actor()
    items = []
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if actor.role in entry.roles:
            url = url_for(entry.endpoint)
            items.append({"label": entry.label, "url": url,
                          "active": request.path == url or request.path.startswith(url + "/")})
    return items


def init_navigation(app: Flask) -> None:
    @app.context_processor
    def _nav() -> dict[str, Callable[[], Any] | Any]:
        actor = current_actor()
        return {"nav_items": _items(), "actor": actor,
                "unread_notifications": g.get("unread_notifications", 0)}
