"""`url_with` builds the links `url_for` builds, from one `url_for` per request."""

from __future__ import annotations

import pytest
from flask import url_for

from benchmark.web.urls import url_with


@pytest.mark.parametrize("value", ["education_01", "commitment", "a-b_C9", "with space",
                                   "é", "a/b", "a?b", "50%", "__benchmark_url_id__", ""])
def test_the_same_link_as_url_for(app, value: str) -> None:
    with app.test_request_context("/", base_url="http://example.org/prefix"):
        for _ in range(2):  # the second from the request's template
            assert url_with("practices.for_question", "question_id", value) == url_for(
                "practices.for_question", question_id=value)
            assert url_with("practices.for_question", "question_id", value, fragment=1) == url_for(
                "practices.for_question", question_id=value, fragment=1)
            assert url_with("cities.dimension", "dimension_id", value, assessment_id=7) == url_for(
                "cities.dimension", assessment_id=7, dimension_id=value)


def test_each_request_builds_its_own_templates(app) -> None:
    with app.test_request_context("/", base_url="http://example.org/one"):
        first = url_with("cities.dimension", "dimension_id", "language", assessment_id=3)
    with app.test_request_context("/", base_url="http://example.org/two"):
        second = url_with("cities.dimension", "dimension_id", "language", assessment_id=3)
    assert (first, second) == ("/one/assessments/3/dimensions/language",
                               "/two/assessments/3/dimensions/language")
