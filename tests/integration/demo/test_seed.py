"""`benchmark demo seed`: a deterministic, realistic, idempotent demo network."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from benchmark.demo import seeding as demo
from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from benchmark.extensions import db
from benchmark.models import (
    OVERALL,
    Assessment,
    City,
    Notification,
    ReviewComment,
    User,
)
from benchmark.services import accounts, questionnaires, scores
from tests.builders import REAL, build_city
from tests.integration.demo.conftest import (
    answers_checksum,
    row_counts,
    seeded_elsewhere,
    statuses_by_version,
)


def test_eight_cities_have_every_status_and_a_second_round(mini) -> None:
    demo.seed(8, 1)
    statuses = statuses_by_version()
    assert {status for _, status in statuses} == {"draft", "submitted", "returned", "validated"}
    rounds = Counter(db.session.scalars(select(Assessment.city_id)))
    assert max(rounds.values()) == 2
    assert statuses[("2019", "validated")] > 8 / 2


def test_default_network_mirrors_the_programme(mini) -> None:
    result = demo.seed()
    assert result.cities == 135
    statuses = statuses_by_version()
    assert statuses[("2019", "validated")] == 97
    second_rounds = sum(1 for n in Counter(db.session.scalars(select(Assessment.city_id))).values()
                        if n == 2)
    assert 24 <= second_rounds <= 48  # "a few dozen"
    consenting = db.session.scalar(select(func.count()).where(City.consent_named.is_(True)))
    assert 0.6 <= consenting / 135 <= 0.8


def test_profiles_are_plausible_and_stored_on_city_and_round(mini) -> None:
    demo.seed(60, 3)
    for city in db.session.scalars(select(City)):
        assert 20_000 <= city.population <= 3_000_000
        assert 3 <= city.foreign_born_share <= 45
    for assessment in db.session.scalars(select(Assessment)):
        assert set(assessment.profile) == {"population", "foreign_born_share"}


def test_seeding_twice_changes_nothing(mini) -> None:
    demo.seed(8, 1)
    counts, checksum = row_counts(), answers_checksum()
    again = demo.seed(8, 1)
    assert not again.created and "already seeded" in again.message
    assert row_counts() == counts
    assert answers_checksum() == checksum


def test_the_same_seed_gives_the_same_answers(mini, sqlite_template, tmp_path) -> None:
    demo.seed(12, 7)
    here = answers_checksum()
    assert seeded_elsewhere(sqlite_template, tmp_path / "again", 12, 7) == here
    assert seeded_elsewhere(sqlite_template, tmp_path / "other", 12, 8) != here


def test_if_empty_leaves_a_database_with_cities_alone(mini) -> None:
    build_city("somewhere")
    result = demo.seed(8, 1, if_empty=True)
    assert not result.created
    assert db.session.scalar(select(func.count()).select_from(City)) == 1


def test_stored_scores_are_the_engines(mini) -> None:
    demo.seed(20, 2)
    count, differences = scores.recompute_all()
    assert count == db.session.scalar(select(func.count()).select_from(Assessment))
    assert differences == []


def test_network_statistics_cover_the_validated_first_rounds(mini) -> None:
    demo.seed(20, 2)
    row = questionnaires.find_row("2019")
    stored = scores.stored_network(row.id)
    validated = statuses_by_version()[("2019", "validated")]
    assert stored[OVERALL].n == validated
    assert set(stored) == {OVERALL, "commitment", "education", "language"}
    assert 0 < stored[OVERALL].mean < 100


def test_demo_users_log_in_and_the_focal_city_has_a_validated_round_and_a_draft(mini) -> None:
    demo.seed(8, 1)
    for email, role in DEMO_USERS:
        login = accounts.login(email, DEMO_PASSWORD, ip="127.0.0.1", user_agent="test")
        assert login is not None and login.user.role == role
    focal = db.session.scalar(select(User).where(User.email == DEMO_USERS[2][0]))
    rounds = db.session.scalars(select(Assessment).where(Assessment.city_id == focal.city_id)
                                .order_by(Assessment.round)).all()
    assert [(a.edition.version, a.status) for a in rounds] == [("2019", "validated"), ("2024", "draft")]
    contributor = db.session.scalar(select(User).where(User.email == DEMO_USERS[3][0]))
    assert contributor.city_id == focal.city_id and contributor.dimensions


def test_demo_password_is_hashed_once_for_all_demo_users(mini) -> None:
    demo.seed(8, 1)
    hashes = set(db.session.scalars(select(User.password_hash)))
    assert len(hashes) == 1


def test_returned_rounds_carry_review_comments_and_teams_are_notified(mini) -> None:
    demo.seed(30, 4)
    returned = db.session.scalars(select(Assessment.id).where(Assessment.status == "returned")).all()
    assert returned
    for aid in returned:
        kinds = Counter(db.session.scalars(select(ReviewComment.kind)
                                           .where(ReviewComment.assessment_id == aid)))
        assert kinds["return"] == 1 and kinds["comment"] >= 1
    kinds = set(db.session.scalars(select(Notification.kind)))
    assert {"assessment_returned", "assessment_validated"} <= kinds


def test_answers_carry_evidence_and_comments(mini) -> None:
    from benchmark.models import Answer

    demo.seed(30, 4)
    with_evidence = db.session.scalar(select(func.count()).where(Answer.evidence != ""))
    with_url = db.session.scalar(select(func.count()).where(Answer.evidence_url != ""))
    total = db.session.scalar(select(func.count()).select_from(Answer))
    assert 0.1 < with_evidence / total < 0.7 and with_url > 0


def test_command_seeds_then_reports_the_existing_network(runner, mini) -> None:
    first = runner.invoke(args=["demo", "seed", "--cities", "8", "--seed", "1"])
    assert first.exit_code == 0, first.output
    assert "seeded 8 cities" in first.output and DEMO_PASSWORD in first.output
    second = runner.invoke(args=["demo", "seed", "--cities", "8", "--seed", "1"])
    assert second.exit_code == 0 and "already seeded" in second.output
    quiet = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert quiet.exit_code == 0 and "nothing seeded" in quiet.output


def test_command_without_editions_fails_with_one_line(runner) -> None:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "benchmark init" in result.output


@pytest.mark.skipif(not (REAL / "icc-2019.yaml").exists(), reason="real questionnaires not merged yet")
def test_real_editions_submitted_rounds_are_complete(app) -> None:
    from benchmark.services.answers import stored_answers
    from benchmark.services.progress import problems

    questionnaires.import_files()
    demo.seed(16, 5)
    for assessment in db.session.scalars(select(Assessment).where(Assessment.status != "draft")):
        edition = questionnaires.get_edition_by_id(assessment.edition_id)
        assert problems(edition, stored_answers(assessment.id), assessment.profile) == {}


@pytest.mark.skipif(not (REAL / "icc-2019.yaml").exists(), reason="real questionnaires not merged yet")
def test_demo_answers_never_combine_an_exclusive_option_with_others(app) -> None:
    from benchmark.models import Answer

    questionnaires.import_files()
    demo.seed(16, 5)
    combined, alone = [], 0
    rows = db.session.execute(select(Answer, Assessment.edition_id).join(Assessment))
    for answer, edition_id in rows:
        question = questionnaires.get_edition_by_id(edition_id).find_question(answer.question_id)
        if question is None or question.type != "multi_choice" or not answer.value:
            continue
        exclusive = {o.id for o in question.options if o.exclusive}
        if exclusive & set(answer.value):
            alone += len(answer.value) == 1
            if len(answer.value) > 1:
                combined.append((answer.assessment_id, question.id, answer.value))
    assert combined == []
    assert alone > 0  # "None of these" is still chosen, on its own
