"""Report inputs: frozen, with the comparisons derived in one place."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from benchmark.reporting.model import DimensionSection, IndexRow, QuestionLine, RankBand
from tests.unit.reporting.builders import build_city_report


def test_reports_are_frozen_all_the_way_down():
    report = build_city_report()
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.city_name = "Paris"  # type: ignore[misc]
    assert isinstance(report.dimensions, tuple)
    with pytest.raises(TypeError):
        report.change.dimension_deltas["commitment"] = 0  # type: ignore[index]


def test_lists_given_by_callers_become_tuples():
    row = IndexRow(label="x", index=50.0)
    section = DimensionSection(id="x", title="X", row=row, questions=[],  # type: ignore[arg-type]
                               peers_to_learn_from=["Oslo"])  # type: ignore[arg-type]
    assert section.peers_to_learn_from == ("Oslo",)


def test_differences_are_in_index_points_and_none_when_a_side_is_missing():
    row = IndexRow(label="x", index=61.25, network_average=50.0, peer_average=None)
    assert row.network_difference == pytest.approx(11.25)
    assert row.peer_difference is None
    assert IndexRow(label="x", index=None, network_average=50).network_difference is None


def test_question_status_accepts_the_service_layer_strings():
    line = QuestionLine(id="q", text="?", answer_text="", points=None, max_points=None,
                        status="not_applicable")  # type: ignore[arg-type]
    assert line.status.value == "not_applicable"


@pytest.mark.parametrize(("percentile", "band"), [
    (99, RankBand.TOP_QUARTILE), (75, RankBand.TOP_QUARTILE), (50, RankBand.SECOND_QUARTILE),
    (49.9, RankBand.THIRD_QUARTILE), (0, RankBand.BOTTOM_QUARTILE), (None, None),
])
def test_rank_band_from_percentile(percentile, band):
    assert RankBand.from_percentile(percentile) is band


def test_importing_reporting_loads_no_framework_nor_heavy_library():
    code = ("import sys, benchmark.reporting; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'sqlalchemy', 'werkzeug', 'matplotlib', 'weasyprint'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
