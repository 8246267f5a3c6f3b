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


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
