"""Charts: standalone, accessible SVG drawn with matplotlib's object API."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from benchmark.reporting.charts import (
    CITY_STYLE,
    NETWORK_STYLE,
    PEER_STYLE,
    SERIES_STYLES,
    Series,
    distribution_chart,
    needs_shaping,
    radar_chart,
    trend_chart,
)
from tests.unit.reporting.builders import DIMENSIONS, build_network_report, title_of

SVG = "{http://www.w3.org/2000/svg}"
LABELS = [title_of(d) for d in DIMENSIONS]
ARABIC = [title_of(d, "ar") for d in DIMENSIONS]


def series(city: str = "Lyon") -> list[Series]:
    return [Series(city, [40 + i * 4 for i in range(12)], CITY_STYLE),
            Series("Network average (n = 97)", [55.0] * 12, NETWORK_STYLE),
            Series("Peer-group average (n = 12)", [60.0] * 11 + [None], PEER_STYLE)]


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_radar_is_valid_scalable_svg_with_title_and_description():
    svg = radar_chart(LABELS, series(), lang="en", title="Profile of Lyon")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") and root.get("width") is None and root.get("height") is None
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Profile of Lyon"
    description = root.find(f"{SVG}desc").text
    assert "Commitment: Lyon 40.0, Network average (n = 97) 55.0" in description
    assert "Peer-group average (n = 12) –." in description  # a missing value is said so


def test_radar_keeps_every_label_and_legend_entry_as_text():
    words = " ".join(texts(radar_chart(LABELS, series(), lang="en")))
    for label in LABELS:
        for word in label.split():
            assert word in words, label
    for name in ("Lyon", "Network average (n = 97)", "Peer-group average (n = 12)"):
        assert name in words
    assert {"20", "40", "60", "80", "100"} <= set(words.split())


def test_arabic_labels_stay_text_when_asked():
    assert "الالتزام" in texts(radar_chart(ARABIC, series("ليون"), lang="ar", text_as="text"))


def test_paths_mode_draws_no_text_but_keeps_the_title():
    svg = radar_chart(ARABIC, series(), lang="ar", title="مخطط", text_as="paths")
    assert texts(svg) == []
    assert ET.fromstring(svg).find(f"{SVG}title").text == "مخطط"


def test_auto_mode_draws_outlines_only_for_text_that_needs_shaping():
    assert texts(radar_chart(LABELS, series("Zürich"), lang="en", text_as="auto"))
    assert not texts(radar_chart(ARABIC, series(), lang="ar", text_as="auto"))
    assert needs_shaping("الالتزام") and needs_shaping("Cafe\u0301")
    assert not needs_shaping("Zürich (CH) – 2026")


def test_series_never_differ_by_colour_alone():
    for styles in (SERIES_STYLES, (CITY_STYLE, NETWORK_STYLE, PEER_STYLE)):
        assert len({s.color for s in styles}) == len(styles)
        assert len({str(s.linestyle) for s in styles}) == len(styles)
        assert len({s.marker for s in styles}) == len(styles)


def test_drawn_lines_carry_their_style():
    svg = radar_chart(LABELS, series(), lang="en", text_as="paths")
    for style in (CITY_STYLE, NETWORK_STYLE, PEER_STYLE):
        assert f"stroke: {style.color.lower()}" in svg.lower()
    assert "stroke-dasharray" in svg  # dashed and dotted averages


def test_user_text_is_escaped_and_never_mathtext():
    city = 'A&B <script>alert(1)</script> $x^2$ cost'
    svg = radar_chart(LABELS, series(city), lang="en", title=city)
    ET.fromstring(svg)  # still well-formed XML
    assert "<script>" not in svg
    assert city in " ".join(texts(svg))


def test_two_charts_share_no_element_ids():
    def ids(svg: str) -> set[str]:
        return set(re.findall(r'\bid="([^"]+)"', svg))

    first = radar_chart(LABELS, series(), lang="en")
    second = trend_chart(["2019", "2022", "2026"], [Series("Lyon", [40, 50, 60])], lang="en")
    assert ids(first) and ids(second) and not ids(first) & ids(second)


def test_same_input_gives_the_same_svg():
    assert radar_chart(LABELS, series(), lang="en") == radar_chart(LABELS, series(), lang="en")


def test_trend_and_distribution_charts_are_valid_svg():
    trend = trend_chart(["2019*", "2022", "2026"],
                        [Series("Overall", [48.2, None, 66.4], CITY_STYLE)], lang="fr",
                        title="Évolution")
    assert "2019*" in texts(trend)
    report = build_network_report()
    box = distribution_chart([report.overall, *report.distributions], lang="ar",
                             title="توزيع", text_as="paths")
    assert ET.fromstring(box).find(f"{SVG}title").text == "توزيع"


def test_charts_use_no_pyplot():
    code = ("import sys; from benchmark.reporting.charts import radar_chart; "
            "radar_chart(['a', 'b', 'c'], [], lang='en'); "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="has 12 values for 3 categories"):
        trend_chart(["2019", "2022", "2026"], series()[:1], lang="en")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_empty_series_still_draw_the_grid(lang):
    svg = radar_chart(LABELS, [], lang=lang)
    ET.fromstring(svg)


def test_arabic_web_charts_are_laid_out_as_measured_and_long_labels_fit():
    # Arabic text as shaped outlines by default (web and PDF alike), so a right-to-left
    # page cannot swap the anchors; the SVG keeps its own direction and lets text show.
    from benchmark.reporting.charts import radar_chart

    arabic = radar_chart(["الخدمات العامة", "التعليم", "اللغة"],
                         [Series("Valdoria", (50, 60, 70), CITY_STYLE)], lang="ar")
    assert "<text" not in arabic.split("</desc>", 1)[1]
    assert 'direction="ltr"' in arabic and 'overflow="visible"' in arabic
    french = radar_chart(["Engagement", "Services publics", "Langues", "Éducation"],
                         [Series("Lyon", (50, 60, 70, 80), CITY_STYLE)], lang="fr")
    labels = re.findall(r"<text[^>]*>(.*?)</text>", french, flags=re.S)
    assert "Services publics" not in labels  # wrapped onto two lines
