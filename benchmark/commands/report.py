"""`benchmark report render|render-all`."""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("report")
def report() -> None:
    """PDF benchmark reports."""


@report.command("render")
@click.option("--assessment", "assessment_id", type=int, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--lang", type=click.Choice(["en", "fr", "ar"]), default="en", show_default=True)
@with_appcontext
def render(assessment_id: int, out: Path, lang: str) -> None:
    """Render one assessment's report to a PDF file."""
    from benchmark.services import reports

    size = reports.render_file(assessment_id, lang, out)
    click.echo(f"{out}: {size} bytes")


def _render_one(task: tuple[dict[str, object], int, str, str]) -> str:
    overrides, assessment_id, lang, out_dir = task
    from benchmark.app import create_app
    from benchmark.extensions import db
    from benchmark.services import reports

    app = _worker_apps.get("app") or create_app(overrides)
    _worker_apps["app"] = app
    with app.app_context():
        from benchmark.models import Assessment

        assessment = db.session.get(Assessment, assessment_id)
        assert assessment is not None
        target = Path(out_dir) / reports.report_inputs(assessment, lang).filename
        reports.render_file(assessment_id, lang, target)
        db.session.remove()
    return target.name


_worker_apps: dict[str, object] = {}


@report.command("render-all")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--jobs", type=int, default=2, show_default=True, help="processes")
@click.option("--lang", type=click.Choice(["en", "fr", "ar"]), default="en", show_default=True)
@with_appcontext
def render_all(out_dir: Path, jobs: int, lang: str) -> None:
    """Render the report of every city's latest validated assessment, per edition."""
    from sqlalchemy import select

    from benchmark.extensions import db
    from benchmark.models import QuestionnaireEdition
    from benchmark.services import scores

    out_dir.mkdir(parents=True, exist_ok=True)
    ids = [aid for edition_id in db.session.scalars(select(QuestionnaireEdition.id))
           for aid in scores.latest_validated_ids(edition_id)]
    overrides = {"DATABASE_URL": current_app.config["DATABASE_URL"],
                 "INSTANCE_PATH": current_app.instance_path,
                 "SECRET_KEY": current_app.config["SECRET_KEY"],
                 "BACKGROUND_JOBS": False}
    tasks = [(overrides, aid, lang, str(out_dir)) for aid in ids]
    context = multiprocessing.get_context("spawn")
    # Each pool process renders RENDER_MAX_TASKS reports, then a fresh one takes its place.
    max_tasks = max(1, int(current_app.config.get("RENDER_MAX_TASKS", 40)))
    with context.Pool(max(1, jobs), maxtasksperchild=max_tasks) as pool, click.progressbar(
        pool.imap_unordered(_render_one, tasks), length=len(tasks), label="rendering",
        file=sys.stderr,
    ) as bar:
        for _ in bar:
            pass
    click.echo(f"rendered {len(tasks)} reports into {out_dir}")


@report.command("sweep")
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True)
@with_appcontext
def sweep(days: int) -> None:
    """Tidy cached reports: this instance's copies unread for DAYS days, leftover temporary
    and lock files, and stored reports superseded by a newer rendering."""
    from benchmark.services import reports

    result = reports.sweep(days)
    click.echo(f"removed {result.local_reports} cached report(s), {result.leftover_files} "
               f"leftover file(s) and {result.superseded_rows} superseded stored report(s)")


commands = [report]
