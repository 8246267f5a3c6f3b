"""The PDF reports: content, tagging, metadata, right-to-left layout and safety."""

from __future__ import annotations

import base64
import io
import logging
import re
import shutil
import subprocess
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from benchmark.reporting import (
    REPORTS_DIR,
    QuestionLine,
    make_safe_fetcher,
    render_city_report,
    render_network_report,
)
from benchmark.reporting.render import css_string, environment, render_city_report_html
from tests.unit.reporting.builders import build_city_report, build_network_report
from tests.unit.reporting.conftest import Rendered

HOSTILE = ('<link rel="attachment" href="file:///etc/passwd">'
           '<img src="http://127.0.0.1:9/x.png">{{ 7*7 }}')


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout wrapped."""
    return re.sub(r"\s+", "", text)


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed (apt-get install qpdf poppler-utils)")
    return subprocess.run(args, capture_output=True, text=True, check=False)


def test_pdf_text_has_the_city_and_every_dimension_index_with_one_decimal(english):
    assert "Lyon" in english.text
    for dimension in english.report.dimensions:
        assert f"{dimension.row.index:.1f}" in english.text, dimension.title
    assert f"{english.report.overall.index:.1f}" in english.text


def test_indices_are_rounded_for_display_only(english):
    unrounded = f"{english.report.overall.network_average:.4f}"
    assert unrounded not in english.text
    assert f"{english.report.overall.network_average:.1f}" in english.text


def test_pdf_is_tagged_with_title_author_and_language(english):
    metadata = english.reader.metadata
    assert metadata.title == "Inclusion policy benchmark report \u2013 Lyon"
    assert metadata.author == "City Benchmark"
    root = english.reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in root


def test_pdf_has_an_outline_of_sections_and_dimensions(english):
    outline = english.reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Summary", "Profile by dimension", "Results by dimension",
                      "Trends over rounds", "Improvement priorities", "Methodology"]
    # A list after an entry holds its children: the dimensions under "Results by dimension".
    children = outline[outline.index(next(i for i in outline if not isinstance(i, list)
                                          and i.title == "Results by dimension")) + 1]
    assert [c.title for c in children] == [d.title for d in english.report.dimensions]


def test_every_page_but_the_cover_is_numbered_page_x_of_y(english):
    total = len(english.pages)
    for number, text in enumerate(english.pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Lyon \u2014 Intercultural Cities Index" in text


def test_pdfinfo_reports_a_tagged_pdf(english, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(english.pdf)
    result = run_tool("pdfinfo", str(path))
    assert re.search(r"^Tagged:\s+yes$", result.stdout, re.M), result.stdout


@pytest.mark.parametrize("language", ["english", "arabic"])
def test_qpdf_check_passes(language, request, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(request.getfixturevalue(language).pdf)
    result = run_tool("qpdf", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_arabic_report_is_right_to_left_and_extracts_in_logical_order(arabic):
    assert '<html lang="ar" dir="rtl">' in arabic.html
    assert arabic.reader.trailer["/Root"]["/Lang"] == "ar"
    # Multi-word phrases come out in reading order, not reversed glyph by glyph.
    assert "تقرير المقارنة المرجعية لسياسات الإدماج" in arabic.text
    assert "متوسط الشبكة" in arabic.text
    assert "ةكبشلا" not in arabic.text  # "الشبكة" reversed


def chart_svg(html: str, figure_class: str) -> str:
    figure = html[html.index(f'<figure class="{figure_class}">'):]
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure)
    assert uri, "charts are embedded as data: URIs"
    return base64.b64decode(uri[1]).decode()


def test_arabic_chart_text_is_drawn_as_shaped_outlines(arabic):
    radar = chart_svg(arabic.html, "radar")
    assert "<text" not in radar  # WeasyPrint would lay SVG text out glyph by glyph
    assert "الالتزام" in radar  # the labels remain, in the accessible title


def test_english_chart_text_stays_text(english):
    radar = chart_svg(english.html, "radar")
    assert ">Commitment</text>" in radar


def test_charts_have_alternative_text_with_their_data(english):
    figure = english.html[english.html.index('<figure class="radar">'):]
    alt = re.search(r'alt="([^"]+)"', figure)[1]
    assert alt.startswith("Radar chart of the index of each dimension for Lyon")
    first = english.report.dimensions[0]
    assert f"{first.title}: Lyon {first.row.index:.1f}" in alt


def test_provisional_report_is_watermarked_on_every_page(arabic, english):
    assert all("نسخة مؤقتة" in page for page in arabic.pages)
    assert not any("PROVISIONAL" in page for page in english.pages)


def test_english_watermark_reads_provisional():
    html_report = build_city_report(provisional=True)
    from benchmark.reporting import render_city_report_html

    assert '<div class="watermark" aria-hidden="true">PROVISIONAL</div>' in (
        render_city_report_html(html_report))


def test_french_report_uses_french_labels_and_decimal_comma():
    from benchmark.reporting import render_city_report_html

    report = build_city_report(lang="fr")
    html = render_city_report_html(report)
    assert '<html lang="fr" dir="ltr">' in html
    assert "Synthèse" in html and "Moyenne du réseau" in html
    assert f"{report.overall.index:.1f}".replace(".", ",") in html


def test_only_report_files_are_fetched(english):
    assert english.requested, "the stylesheet and fonts go through the fetcher"
    for url in english.requested:
        assert url.startswith((REPORTS_DIR.as_uri() + "/", "data:")), url
    fonts = {urlsplit(url).path.rsplit("/", 1)[-1] for url in english.requested}
    assert {"NotoSans-Regular.ttf", "report.css"} <= fonts


def test_fonts_are_embedded_from_the_shipped_files(english):
    fonts = set()
    for page in english.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Noto" in name for name in fonts), fonts


def hostile_report():
    report = build_city_report(city_name=f"Lyon {HOSTILE}")
    first = report.dimensions[0]
    evil = QuestionLine(id="commitment_99", text="Hostile question?",
                        answer_text=f"Yes {HOSTILE}", points=2, max_points=2,
                        evidence=f"See {HOSTILE}", comment=f"Check {HOSTILE}")
    dimensions = (replace(first, questions=(*first.questions, evil),
                          peers_to_learn_from=(HOSTILE,)), *report.dimensions[1:])
    return replace(report, dimensions=dimensions, country=HOSTILE)


def test_hostile_content_is_text_never_markup_nor_a_fetch():
    rendered = Rendered(hostile_report())
    assert not any("passwd" in url or "127.0.0.1" in url for url in rendered.requested)
    assert all(url.startswith((REPORTS_DIR.as_uri() + "/", "data:"))
               for url in rendered.requested)
    assert b"/EmbeddedFiles" not in rendered.pdf
    assert "/Names" not in rendered.reader.trailer["/Root"] or (
        "/EmbeddedFiles" not in rendered.reader.trailer["/Root"]["/Names"])
    assert not rendered.reader.attachments
    text = squeeze(rendered.text)
    for literal in ('<linkrel="attachment"href="file:///etc/passwd">',
                    '<imgsrc="http://127.0.0.1:9/x.png">', "{{7*7}}"):
        assert text.count(literal) >= 5, literal  # city, country, answer, evidence, comment
    assert "{{ 7*7 }}" in rendered.html and "&lt;link" in rendered.html


def test_a_refused_resource_stops_the_rendering():
    from benchmark.reporting.render import html_to_pdf

    html = '<html lang="en"><body><img src="file:///etc/passwd" alt="x"></body></html>'
    with pytest.raises(BaseException, match="Error fetching"):
        html_to_pdf(html)


def test_every_template_is_autoescaped_and_strict():
    env = environment()
    assert env.autoescape is True
    template = env.from_string("{{ value }}")
    assert template.render(value="<b>") == "&lt;b&gt;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ missing }}").render()


def test_css_string_escapes_everything_but_letters_and_digits():
    assert css_string('Page </style>"\\') == (
        '"Page \\00003cstyle\\00003e\\000022\\00005c"'.replace("style", "\\00002fstyle"))
    assert css_string("صفحة") == '"\\000635\\000641\\00062d\\000629"'


def test_rendering_logs_no_weasyprint_error(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    render_city_report(build_city_report(lang="fr", seed=11))
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []


def test_withheld_peer_average_shows_the_reason():
    from benchmark.reporting import render_city_report_html

    report = build_city_report()
    overall = replace(report.overall, peer_average=None, peer_n=3,
                      withheld_reason="k_anonymity")
    html = render_city_report_html(replace(report, overall=overall))
    assert "not shown: fewer than 5 cities" in html


def test_network_report_renders_distributions_and_cities():
    report = build_network_report()
    pdf = render_network_report(report, fetcher=make_safe_fetcher())
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Distribution of indices in the network" in text
    assert "City 01" in text and f"{report.overall.median:.1f}" in text
    assert any(page.mediabox.width > page.mediabox.height for page in reader.pages)


def test_a_first_round_report_without_comparisons_renders():
    report = build_city_report(change=None, trends=(), crossings=(), priorities=(),
                               rank_band=None)
    empty = replace(report.dimensions[0], questions=(), peers_to_learn_from=(),
                    row=replace(report.dimensions[0].row, index=None))
    report = replace(report, dimensions=(empty, *report.dimensions[1:]),
                     overall=replace(report.overall, percentile=None, peer_average=None,
                                     withheld_reason=None))
    rendered = Rendered(report)
    assert "No earlier round to compare with." in rendered.text
    assert "Trends appear once the city has completed two rounds." in rendered.text
    assert "No questions in this dimension." in rendered.text
    assert "no index" in rendered.text


def structure_elements(reader: PdfReader, kind: str) -> list:
    found = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == kind:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_tagged_figures_carry_alternative_text_and_captions(english):
    figures = structure_elements(english.reader, "/Figure")
    assert len(figures) == 2  # radar and trend
    assert all(str(figure["/Alt"]).strip() for figure in figures)
    assert len(structure_elements(english.reader, "/Caption")) == 2
    assert len(structure_elements(english.reader, "/H1")) == 6


def test_user_text_is_isolated_and_lists_use_the_languages_separator():
    # Latin names in an Arabic report: each is wrapped in first-strong isolates (the
    # PDF's <bdi>) and the list uses the Arabic comma; French keeps ", ".
    def with_peers(lang: str) -> str:
        report = build_city_report(lang=lang)
        first = replace(report.dimensions[0], peers_to_learn_from=("Barcelona", "Botkyrka"))
        return render_city_report_html(replace(report, dimensions=(first, *report.dimensions[1:])),
                                       text_as="text")

    assert "\u2068Barcelona\u2069</span>\u060c <span" in with_peers("ar")
    assert "\u2068Barcelona\u2069</span>, <span" in with_peers("fr")


def test_radar_caption_names_the_peer_average_only_when_it_is_drawn():
    report = build_city_report()
    assert "and the peer-group average" in render_city_report_html(report, text_as="text")
    rows = [replace(d, row=replace(d.row, peer_average=None, withheld_reason="k_anonymity"))
            for d in report.dimensions]
    alone = replace(report, dimensions=tuple(rows),
                    overall=replace(report.overall, peer_average=None,
                                    withheld_reason="k_anonymity"))
    html = render_city_report_html(alone, text_as="text")
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert "peer-group average" not in caption and "network average" in caption


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_no_dimension_heading_or_score_box_is_left_at_the_foot_of_a_page(lang):
    # Each dimension's heading and score box start on the page where its table starts,
    # and no page holds only the tail of the summary.
    report = build_city_report(lang=lang)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_city_report(report))).pages]
    header = {"fr": "Question", "ar": "السؤال"}[lang]
    start = next(i for i, text in enumerate(pages) if i > 1 and report.dimensions[0].title in text
                 and header in text)
    for d in report.dimensions:
        found = [i for i, text in enumerate(pages[start:], start) if d.title in text.splitlines()]
        assert found, d.title
        page = pages[found[0]]
        assert header in page[page.index(d.title):], (d.title, found[0])
    assert all(len(text.splitlines()) > 12 for text in pages[:-1]), [
        len(text.splitlines()) for text in pages]


def test_the_cover_names_the_country_in_the_report_language() -> None:
    report = replace(build_city_report(lang="fr"), country="Germany")
    assert "Allemagne" in render_city_report_html(report, text_as="text")
