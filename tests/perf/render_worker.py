"""A report-rendering worker for benchmarks 1 and 5: `python -m tests.perf.render_worker N K`.

Renders N different validated assessments' reports through the download service on
a cold cache (as a web or job worker does on a cache miss), recording seconds and
the process RSS after each. For the first K it also renders, right after, the very
HTML that report was laid out from as a static document (same pages, same images)
with bare WeasyPrint: the baseline. Prints one JSON object. Configuration comes from
the BENCHMARK_* environment.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(count: int, static_rounds: int) -> dict[str, object]:
    from pypdf import PdfReader

    from benchmark.app import create_app

    app = create_app()
    with app.app_context():
        from benchmark.authz import SYSTEM
        from benchmark.extensions import db
        from benchmark.models import Assessment, QuestionnaireEdition
        from benchmark.reporting.fetcher import make_safe_fetcher
        from benchmark.reporting.render import html_to_pdf, render_city_report_html
        from benchmark.services import city_report, reports, scores

        ids = [aid for edition_id in db.session.scalars(
                   QuestionnaireEdition.__table__.select().with_only_columns(QuestionnaireEdition.id))
               for aid in scores.latest_validated_ids(edition_id)][:count]
        times: list[float] = []
        static: list[float] = []
        rss: list[float] = []
        pages = images = 0
        for n, aid in enumerate(ids):
            start = time.perf_counter()
            report = reports.city_report_pdf(SYSTEM, aid, "en")
            times.append(time.perf_counter() - start)
            db.session.remove()
            rss.append(_rss_mib())
            if 0 < n <= static_rounds:  # report 0 warms the process up
                assessment = db.session.get(Assessment, aid)
                html = render_city_report_html(
                    city_report.build(assessment, "en", datetime.now(UTC).date()))
                db.session.remove()
                start = time.perf_counter()
                html_to_pdf(html, fetcher=make_safe_fetcher())
                static.append(time.perf_counter() - start)
                pages = len(PdfReader(report.path).pages)
                images = html.count("data:image/")
        return {"ids": ids, "times": times, "static": static, "rss": rss, "pages": pages,
                "images": images}




# -- recycled rendering processes (issue 19) -----------------------------------------------


def render_recycled(task: tuple[dict[str, object], int, str, str]) -> tuple[int, float]:
    """`report render-all`'s own task in this pool process; (pid, RSS MiB right after it)."""
    import os

    from benchmark.commands.report import _render_one

    _render_one(task)
    return os.getpid(), _rss_mib()


def recycled(count: int, max_tasks: int, out_dir: str) -> dict[str, object]:
    """Render `count` reports as `report render-all` does (its task function, its
    overrides, a spawned pool replaced every `max_tasks` reports), with one process so that
    each RSS is that of the process that rendered the report; the processes used."""
    import multiprocessing

    from benchmark.app import create_app

    app = create_app()
    with app.app_context():
        from benchmark.extensions import db
        from benchmark.models import QuestionnaireEdition
        from benchmark.services import scores

        ids = [aid for edition_id in db.session.scalars(
                   QuestionnaireEdition.__table__.select().with_only_columns(QuestionnaireEdition.id))
               for aid in scores.latest_validated_ids(edition_id)]
        overrides = {"DATABASE_URL": app.config["DATABASE_URL"], "INSTANCE_PATH": app.instance_path,
                     "SECRET_KEY": app.config["SECRET_KEY"], "BACKGROUND_JOBS": False}
        db.session.remove()
        db.engine.dispose()
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    # render-all renders one language per run; a network has fewer than 200 reports in
    # one, so the languages follow each other as successive runs would.
    tasks = [(overrides, aid, lang, out_dir) for lang in ("en", "fr", "ar") for aid in ids][:count]
    context = multiprocessing.get_context("spawn")
    with context.Pool(1, maxtasksperchild=max_tasks) as pool:
        done = list(pool.imap(render_recycled, tasks))
    return {"rss": [rss for _, rss in done], "processes": len({pid for pid, _ in done}),
            "langs": [task[2] for task in tasks]}


if __name__ == "__main__" and len(sys.argv) > 4 and sys.argv[1] == "recycled":
    print(json.dumps(recycled(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])))
    sys.exit(0)


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
