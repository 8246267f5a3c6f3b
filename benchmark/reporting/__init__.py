"""Benchmark reports: model, charts and PDF rendering (pure: no Flask, no database).

Importing this package loads neither Flask, SQLAlchemy, matplotlib nor WeasyPrint;
the heavy libraries are imported when a chart or a PDF is first drawn.
"""

from benchmark.reporting.charts import (
    CITY_STYLE,
    NETWORK_STYLE,
    PEER_STYLE,
    Series,
    SeriesStyle,
    distribution_chart,
    radar_chart,
    trend_chart,
)
from benchmark.reporting.fetcher import REPORTS_DIR, RefusedURL, make_safe_fetcher
from benchmark.reporting.model import (
    Change,
    CityReport,
    Crossing,
    DimensionSection,
    Distribution,
    EditionChange,
    IndexRow,
    Methodology,
    NetworkCity,
    NetworkReport,
    Priority,
    QuestionLine,
    QuestionStatus,
    RankBand,
    TrendPoint,
)
from benchmark.reporting.render import (
    render_city_report,
    render_city_report_html,
    render_network_report,
    render_network_report_html,
)

__all__ = [
    "CITY_STYLE",
    "NETWORK_STYLE",
    "PEER_STYLE",
    "REPORTS_DIR",
    "Change",
    "CityReport",
    "Crossing",
    "DimensionSection",
    "Distribution",
    "EditionChange",
    "IndexRow",
    "Methodology",
    "NetworkCity",
    "NetworkReport",
    "Priority",
    "QuestionLine",
    "QuestionStatus",
    "RankBand",
    "RefusedURL",
    "Series",
    "SeriesStyle",
    "TrendPoint",
    "distribution_chart",
    "make_safe_fetcher",
    "radar_chart",
    "render_city_report",
    "render_city_report_html",
    "render_network_report",
    "render_network_report_html",
    "trend_chart",
]
