"""The main menu: each blueprint adds its entries with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, request, url_for
from flask_babel import LazyString

from benchmark.authz import Actor
from benchmark.services import assessment_pages
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
    # One current entry: the most specific ("/network/commitments" is Commitments, not Network).
    active = [item for item in items if item["active"]]
    for item in active:
        item["active"] = item is max(active, key=lambda i: len(i["url"]))
    return items


def landing_url(actor: Actor) -> str:
    """Where a person lands after logging in: their work.

    A city team member on their current assessment (progress and "continue"), staff on the
    review queue, an administrator on the administration home; anyone else at home.
    """
    if actor.role in {"focal_point", "contributor"}:
        assessment_id = assessment_pages.current_assessment_id(actor)
        if assessment_id is not None:
            return url_for("cities.overview", assessment_id=assessment_id)
        return url_for("cities.home")
    if actor.role == "staff":
        return url_for("review.queue")
    if actor.role == "admin":
        return url_for("admin.home")
    return url_for("main.home")


def init_navigation(app: Flask) -> None:
    @app.context_processor
    def _nav() -> dict[str, Callable[[], Any] | Any]:
        actor = current_actor()
        return {"nav_items": _items(), "actor": actor,
                "unread_notifications": g.get("unread_notifications", 0)}
