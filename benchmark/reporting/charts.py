"""Charts as standalone SVG strings, drawn with matplotlib's object API (no pyplot).

The same functions serve the web results page and the PDF report. Each SVG has a
``viewBox`` but no fixed width/height (CSS sizes it), a ``<title>`` (the accessible
name, which WeasyPrint also uses as the tagged-PDF alternative text) and a ``<desc>``
giving the plotted data in words.

Text: ``text_as="auto"`` (default, for the web page and the PDF alike) keeps labels as
``<text>`` elements when every string is safe to lay out glyph by glyph (no
right-to-left letters, no combining marks) and otherwise has matplotlib (libraqm) shape
the text and write glyph outlines (``"paths"``). WeasyPrint's SVG engine places SVG text
glyph by glyph, without shaping or bidi, which breaks Arabic; and a browser laying out
Arabic ``<text>`` in a right-to-left page swaps the anchors matplotlib measured (labels
over the circle, legend text over its swatch, row labels over the whiskers). Paths sit
exactly where matplotlib measured them, in every viewer, but are not searchable (each
chart has a title, a description with its data, and a data table beside it).
``"text"`` forces text elements.

Nothing relies on colour alone: each series has an Okabe–Ito colour (colour-blind
safe), a line style and a marker of its own.
"""

from __future__ import annotations

import hashlib
import io
import re
import textwrap
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from math import cos, isfinite, pi, sin
from typing import TYPE_CHECKING, Literal

from benchmark.languages import is_rtl
from benchmark.reporting.fetcher import REPORTS_DIR
from benchmark.reporting.model import Distribution

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TextAs = Literal["text", "paths", "auto"]

#: Families shipped in reports/fonts (the same as the PDF's @font-face rules).
FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
              "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")
FONT_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]

# Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "purple": "#CC79A7", "black": "#000000"}
INK = "#1a1a1a"
GRID = "#b0b0b0"


@dataclass(frozen=True)
class SeriesStyle:
    """How a series is drawn: colour, matplotlib line style, marker, optional fill."""

    color: str
    linestyle: str | tuple[int, tuple[int, ...]]
    marker: str
    fill: bool = False
    linewidth: float = 1.6


CITY_STYLE = SeriesStyle(OKABE_ITO["blue"], "-", "o", fill=True, linewidth=2.2)
NETWORK_STYLE = SeriesStyle(OKABE_ITO["vermillion"], "--", "s")
PEER_STYLE = SeriesStyle(OKABE_ITO["green"], ":", "^", linewidth=1.9)

#: Further styles for charts with many series (trend lines per dimension).
EXTRA_STYLES = (
    SeriesStyle(OKABE_ITO["orange"], "-.", "D"),
    SeriesStyle(OKABE_ITO["purple"], (0, (5, 1, 1, 1, 1, 1)), "v"),
    SeriesStyle(OKABE_ITO["sky_blue"], (0, (1, 1)), "P"),
    SeriesStyle(OKABE_ITO["black"], (0, (8, 2)), "X"),
)
SERIES_STYLES = (CITY_STYLE, NETWORK_STYLE, PEER_STYLE, *EXTRA_STYLES)


@dataclass(frozen=True)
class Series:
    """A named line: one value (index 0–100, or None for none) per category."""

    name: str
    values: tuple[float | None, ...]
    style: SeriesStyle = CITY_STYLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))


# rcParams (read while artists are created) and the font manager are process-global:
# one chart at a time, so concurrent requests or worker threads cannot mix settings.
_LOCK = threading.RLock()


@cache
def _register_fonts() -> None:
    from matplotlib import font_manager

    for name in FONT_FILES:
        font_manager.fontManager.addfont(str(REPORTS_DIR / "fonts" / name))


def needs_shaping(text: str) -> bool:
    """Whether ``text`` needs shaping or reordering: right-to-left or combining chars."""
    return any(unicodedata.bidirectional(c) in ("R", "AL", "AN", "NSM")
               or unicodedata.combining(c) for c in text)


def _text_mode(text_as: TextAs, strings: Sequence[str]) -> TextAs:
    if text_as != "auto":
        return text_as
    return "paths" if any(needs_shaping(s) for s in strings) else "text"


def _rc(text_as: TextAs) -> dict[str, object]:
    return {
        "svg.fonttype": "none" if text_as == "text" else "path",
        "svg.hashsalt": "city-benchmark",  # stable ids: same input, same SVG bytes
        "font.family": FONT_FAMILIES,
        "font.size": 9,
        "text.color": INK,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.unicode_minus": False,  # U+2212 is not in the shipped fonts
    }


def _plain(text: str) -> str:
    """Escape ``$`` so user text (a city name) is never parsed as mathtext."""
    return text.replace("$", r"\$")


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(_plain(label), width, break_long_words=False)) or " "


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _values(series: Series) -> list[float]:
    return [float("nan") if v is None or not isfinite(v) else float(v) for v in series.values]


def _check_lengths(categories: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values "
                             f"for {len(categories)} categories")


def _data_in_words(labels: Sequence[str], series: Sequence[Series]) -> str:
    """"Label: A 61.2, B 50.3; …" — the plotted data for screen readers."""
    parts = []
    for i, label in enumerate(labels):
        values = ", ".join(
            f"{s.name} {_num(s.values[i] if i < len(s.values) else None)}" for s in series)
        parts.append(f"{label}: {values}")
    return "; ".join(parts) + "."


_ID_RE = re.compile(r'\bid="([^"]+)"')


def _finish(fig: Figure, *, title: str, description: str) -> str:
    """Serialise ``fig``; make the SVG inlinable, scalable and self-describing."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Several charts share one HTML page: prefix ids so they cannot collide.
    prefix = "c" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8] + "-"
    svg = _ID_RE.sub(lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = svg.replace('href="#', f'href="#{prefix}').replace("url(#", f"url(#{prefix}")
    head_end = svg.index(">") + 1
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end])
    # direction="ltr": matplotlib placed every label by its left or right edge
    # (text-anchor start/end); inside a right-to-left page the inherited direction would
    # swap start and end and draw Arabic labels over the circle, the legend text over its
    # swatch. Each label's own letters still run right to left. overflow="visible": a
    # browser's font may be wider than the one matplotlib measured; a long label then
    # runs past the edge instead of being cut ("Services publics").
    head = head.replace(
        "<svg ", f'<svg class="chart" role="img" aria-labelledby="{prefix}title {prefix}desc" '
        'direction="ltr" overflow="visible" ', 1)
    return (f'{head}\n <title id="{prefix}title">{escape(title)}</title>'
            f'\n <desc id="{prefix}desc">{escape(description)}</desc>{svg[head_end:]}')


def _legend_columns(names: Sequence[str]) -> int:
    """Legend columns: one row when three short names fit, else two columns (one for
    three or fewer long names)."""
    if len(names) <= 3 and sum(len(n) for n in names) < 70:
        return max(len(names), 1)
    return 2 if len(names) > 3 else 1


def _legend_rows(names: Sequence[str]) -> int:
    return -(-len(names) // _legend_columns(names)) if names else 0


def _legend(fig: Figure, handles: list, *, rtl: bool, y: float = 0.0) -> None:
    if not handles:
        return
    if rtl:
        handles = handles[::-1]  # first series rightmost, where right-to-left reading starts
    ncols = _legend_columns([h.get_label() for h in handles])
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, y),
               ncols=ncols, frameon=False, markerfirst=not rtl, handlelength=3.2,
               fontsize=10, columnspacing=1.6)


def radar_chart(labels: Sequence[str], series: Sequence[Series], *, lang: str,
                title: str | None = None, description: str | None = None,
                text_as: TextAs = "auto") -> str:
    """A radar (spider) chart of indices 0–100, one spoke per label, as SVG text.

    Spokes run clockwise from the top, counter-clockwise for right-to-left languages.
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    _check_lengths(labels, series)
    text_as = _text_mode(text_as, [*labels, *(s.name for s in series)])
    rtl = is_rtl(lang)
    count = len(labels)
    angles = [2 * pi * i / count for i in range(count)] if count else []
    with _LOCK, rc_context(_rc(text_as)):
        _register_fonts()
        # Room around the circle for wrapped spoke labels; the legend sits below, and each
        # extra legend row (long names go one per row) adds height under the circle.
        extra = 0.42 * max(0, _legend_rows([s.name for s in series]) - 1)
        height = 5.9 + extra
        fig = Figure(figsize=(6.6, height))
        bottom = (0.185 * 5.9 + extra) / height
        ax = fig.add_axes((0.2, bottom, 0.6, 0.665 * 5.9 / height), projection="polar")
        ax.set_theta_zero_location("N")
        ax.set_theta_direction(1 if rtl else -1)
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100])
        ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=8, color="#555555")
        ax.set_rlabel_position(180 / count if count else 0)
        ax.set_xticks(angles)
        ax.set_xticklabels([])
        ax.grid(color=GRID, linewidth=0.6)
        ax.spines["polar"].set_color(GRID)
        closed = [*angles, angles[0]] if angles else []
        for s in series:
            values = _values(s)
            values = [*values, values[0]] if values else []
            ax.plot(
                closed, values, color=s.style.color, linestyle=s.style.linestyle,
                linewidth=s.style.linewidth, marker=s.style.marker, markersize=5,
                markeredgecolor="white", markeredgewidth=0.6, label=_plain(s.name),
                clip_on=False)
            # A filled polygon across a gap would draw a shape that is not the data.
            if s.style.fill and all(v == v for v in values):  # v == v: not NaN
                ax.fill(closed, values, color=s.style.color, alpha=0.12, linewidth=0)
        direction = 1 if rtl else -1
        for angle, label in zip(angles, labels, strict=True):
            x, y = -direction * sin(angle), cos(angle)
            ha = "left" if x > 0.15 else "right" if x < -0.15 else "center"
            va = "bottom" if y > 0.5 else "top" if y < -0.5 else "center"
            # 15 characters a line keep the side labels inside the figure ("Services publics").
            ax.text(angle, 110, _wrap(label, 15), ha=ha, va=va, fontsize=10.5,
                    multialignment=ha, clip_on=False, parse_math=False)
        _legend(fig, ax.get_lines(), rtl=rtl, y=0.015)
        return _finish(fig, title=title or ", ".join(s.name for s in series),
                       description=description or _data_in_words(labels, series))


def trend_chart(rounds: Sequence[str], series: Sequence[Series], *, lang: str,
                title: str | None = None, description: str | None = None,
                text_as: TextAs = "auto") -> str:
    """Indices (0–100) over rounds, one line per series, rounds in reading order."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    _check_lengths(rounds, series)
    text_as = _text_mode(text_as, [*rounds, *(s.name for s in series)])
    rtl = is_rtl(lang)
    positions = list(range(len(rounds)))
    with _LOCK, rc_context(_rc(text_as)):
        _register_fonts()
        fig = Figure(figsize=(6.6, 3.6))
        bottom = 0.14 + 0.055 * ((len(series) + 1) // 2 if len(series) > 3 else 1)
        ax = fig.add_axes((0.09, bottom + 0.06, 0.86, 0.9 - bottom - 0.06))
        for s in series:
            ax.plot(positions, _values(s), color=s.style.color, linestyle=s.style.linestyle,
                    linewidth=s.style.linewidth, marker=s.style.marker, markersize=5,
                    label=_plain(s.name))
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        ax.set_xticks(positions)
        ax.set_xticklabels([_plain(r) for r in rounds])
        ax.set_xlim(-0.4, max(len(rounds) - 0.6, 0.4))
        if rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        ax.spines[["top", "right" if not rtl else "left"]].set_visible(False)
        _legend(fig, ax.get_lines(), rtl=rtl)
        return _finish(fig, title=title or ", ".join(s.name for s in series),
                       description=description or _data_in_words(rounds, series))


def distribution_chart(distributions: Sequence[Distribution], *, lang: str,
                       title: str | None = None, description: str | None = None,
                       marks: Series | None = None, text_as: TextAs = "auto") -> str:
    """Horizontal box plots (min, quartiles, median, max; mean as a diamond), one per row.

    ``marks`` optionally overlays one value per row (e.g. a city's indices).
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    rows = [d for d in distributions if d.median is not None]
    text_as = _text_mode(text_as, [d.title for d in rows] + ([marks.name] if marks else []))
    rtl = is_rtl(lang)
    height = 0.9 + 0.34 * len(rows) + (0.35 if marks is not None else 0)
    with _LOCK, rc_context(_rc(text_as)):
        _register_fonts()
        fig = Figure(figsize=(6.6, height))
        bottom = (0.45 + (0.35 if marks is not None else 0)) / height
        top = 1 - 0.12 / height
        # Row labels sit outside the plot: on the left, on the right in RTL.
        left, width = (0.03, 0.66) if rtl else (0.31, 0.66)
        ax = fig.add_axes((left, bottom, width, top - bottom))
        stats = [{"whislo": d.min, "q1": d.q1, "med": d.median, "q3": d.q3,
                  "whishi": d.max, "mean": d.mean, "label": ""} for d in rows]
        positions = list(range(len(rows), 0, -1))
        if stats:
            ax.bxp(stats, positions=positions, orientation="horizontal", widths=0.55,
                   showmeans=True, showfliers=False, patch_artist=True,
                   boxprops={"facecolor": "#cfe3f1", "edgecolor": OKABE_ITO["blue"]},
                   medianprops={"color": INK, "linewidth": 2},
                   whiskerprops={"color": OKABE_ITO["blue"]},
                   capprops={"color": OKABE_ITO["blue"]},
                   meanprops={"marker": "D", "markerfacecolor": OKABE_ITO["vermillion"],
                              "markeredgecolor": "white", "markersize": 5})
        ax.set_xlim(0, 100)
        ax.set_ylim(0.4, len(rows) + 0.6)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_yticks(positions)
        ax.set_yticklabels([_wrap(d.title, 30) for d in rows], fontsize=8)
        ax.tick_params(axis="y", length=0, pad=4)
        if rtl:
            ax.invert_xaxis()
            ax.yaxis.tick_right()
        ax.grid(axis="x", color=GRID, linewidth=0.5)
        if marks is not None:
            values = _values(marks)[: len(rows)]
            ax.plot(values, positions[: len(values)], linestyle="none",
                    marker=marks.style.marker, color=marks.style.color, markersize=6,
                    label=_plain(marks.name))
            _legend(fig, ax.get_lines()[-1:], rtl=rtl)
        words = "; ".join(
            f"{d.title}: {_num(d.min)}, {_num(d.q1)}, {_num(d.median)}, {_num(d.q3)}, "
            f"{_num(d.max)} ({_num(d.mean)}, n={d.n})" for d in rows)
        return _finish(fig, title=title or "", description=description or words + ".")
