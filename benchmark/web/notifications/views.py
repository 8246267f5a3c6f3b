"""Notifications pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from benchmark.services import notifications
from benchmark.web.identity import current_actor

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index() -> str:
    return render_template("notifications/index.html", page=notifications.list_own(current_actor()),
                           format_datetime=format_datetime)


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_(notification_id: int) -> Response:
    return redirect(notifications.open_one(current_actor(), notification_id))


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> Response:
    notifications.mark_all_read(current_actor())
    flash(_("Every notification is marked read."), "success")
    return redirect(url_for(".index"))
