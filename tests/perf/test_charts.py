"""Benchmark 2: the radar chart of a report, against a minimal matplotlib SVG."""

from __future__ import annotations

import io
import statistics

from tests.perf.harness import Results, interleaved, percentile

ROUNDS = 15
LABELS = ("Commitment", "Education", "Neighbourhoods", "Public services", "Business and labour",
          "Cultural and civil life", "Public space", "Mediation and conflict resolution",
          "Language", "Media and communication", "Participation", "Anti-discrimination")


def _radar() -> str:
    from benchmark.reporting import charts

    city = charts.Series("Valdoria", (62.5, 48.0, 71.2, 55.0, 39.9, 80.1, 44.4, 58.3, 66.0, 49.5,
                                      35.2, 70.0), charts.CITY_STYLE)
    network = charts.Series("Network average (97 cities)", (51.0,) * 12, charts.NETWORK_STYLE)
    peers = charts.Series("Peer group average (11 cities)", (55.5,) * 12, charts.PEER_STYLE)
    return charts.radar_chart(LABELS, (city, network, peers), lang="en",
                              title="Indices by dimension", description="City, network and peers")


def _minimal_svg() -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.6, 5.9))
    fig.add_subplot().plot(range(12), range(12))
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def test_radar_chart_svg(results: Results) -> None:
    radar, baseline = interleaved(_radar, _minimal_svg, ROUNDS, warmup=2)
    p50 = statistics.median(radar) * 1000
    base = statistics.median(baseline) * 1000
    row = results.record("radar chart SVG, p50", p50, "ms", baseline=base, target="value <= 100",
                         note="baseline: minimal matplotlib Figure saved as SVG")
    results.record("radar chart SVG, p95", percentile(radar, 95) * 1000, "ms")
    assert row.met, f"radar chart takes {p50:.0f} ms (target ≤ 100 ms)"
