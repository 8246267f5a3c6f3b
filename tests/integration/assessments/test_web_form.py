"""The questionnaire pages without JavaScript: render, post a page, errors, conflicts."""

from __future__ import annotations

import re

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import Answer
from tests.builders import csrf_token, login


def _answers(aid: int) -> dict[str, Answer]:
    db.session.expire_all()
    return {a.question_id: a for a in db.session.scalars(select(Answer).where(
        Answer.assessment_id == aid))}


def _page(client, aid: int, dim: str) -> str:
    response = client.get(f"/assessments/{aid}/dimensions/{dim}")
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _revisions(html: str) -> dict[str, str]:
    return dict(re.findall(r'name="(\w+):revision" value="(\d+)"', html))


def test_dimension_page_renders_every_question_in_a_fieldset(client, team) -> None:
    login(client, team.focal)
    html = _page(client, team.assessment.id, "commitment")
    for qid in ("commitment_01", "commitment_02", "commitment_03", "commitment_04"):
        assert f'id="q-{qid}"' in html
    assert html.count("<legend>") >= 4
    assert 'type="radio" name="commitment_01:value"' in html
    assert 'type="checkbox" name="commitment_03:value"' in html
    assert 'aria-live="polite"' in html and "js/assessment.js" in html

