"""The staff dashboard: filters, sort and paging against a plain query; the CSV is the table."""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func

from benchmark.extensions import db
from benchmark.models import OVERALL, Assessment, AssessmentScore, City, utcnow
from benchmark.scoring import DEFAULT_PEER_GROUP_RULES
from benchmark.services import dashboard
from tests.builders import FIXTURES, build_assessment, build_city, build_user, login
from tests.integration.results.test_scores_api import FULL, HALF

pytestmark = pytest.mark.config(QUESTIONNAIRE_DIR=str(FIXTURES))

ROW = re.compile(r'<th scope="row"><a href="/staff/cities/[^"]+">([^<]+)</a></th>')
#: (name, country, population, share, rounds as (round, status, answers))
CITIES = [
    ("Avalon", "France", 90_000, 5.0, [(2024, "validated", HALF), (2026, "submitted", FULL)]),
    ("Brisa", "Spain", 150_000, 12.0, [(2026, "validated", FULL)]),
    ("Corvo", "Portugal", 150_000, 35.0, [(2026, "draft", HALF)]),
    ("Dunmore", "France", 600_000, 18.0, []),
    ("Elvas", "Portugal", 2_000_000, 25.0, [(2026, "returned", HALF)]),
    ("Fjord", "Norway", 300_000, 9.0, [(2026, "validated", HALF)]),
    ("Gdansk", "Poland", None, None, []),
]


@pytest.fixture
def world(app):  # type: ignore[no-untyped-def]
    staff = build_user("staff")
    for name, country, population, share, rounds in CITIES:
        city = build_city(name=name, country=country, population=population,
                          foreign_born_share=share)
        for round_, status, answers in rounds:
            build_assessment(city, round=round_, status=status, answers=answers)
    return staff


def _plain_rows() -> list[dict]:
    """Every city with its latest round on edition 2019, computed plainly in Python."""
    rows = []
    for city in db.session.query(City).all():
        rounds = db.session.query(Assessment).filter_by(city_id=city.id).all()
        latest = max(rounds, key=lambda a: a.round) if rounds else None
        overall = (db.session.get(AssessmentScore, (latest.id, OVERALL)).index
                   if latest else None)
        rules = DEFAULT_PEER_GROUP_RULES
        rows.append({"name": city.name, "country": city.country,
                     "size": rules.size_group_of(city.population),
                     "diversity": rules.diversity_group_of(city.foreign_born_share),
                     "population": city.population, "status": latest.status if latest else "not_started",
                     "round": latest.round if latest else None, "overall": overall})
    return rows


def _page_names(client, **args) -> list[str]:
    response = client.get("/dashboard", query_string={"edition": "2019", **args})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return ROW.findall(response.get_data(as_text=True))


CASES = [
    ({}, lambda r: True, lambda r: r["name"], False),
    ({"status": "validated"}, lambda r: r["status"] == "validated", lambda r: r["name"], False),
    ({"status": "not_started"}, lambda r: r["status"] == "not_started", lambda r: r["name"], False),
    ({"country": "Portugal"}, lambda r: r["country"] == "Portugal", lambda r: r["name"], False),
    ({"size": "pop-100k-250k"}, lambda r: r["size"] == "pop-100k-250k", lambda r: r["name"], False),
    ({"diversity": "fb-0-10"}, lambda r: r["diversity"] == "fb-0-10", lambda r: r["name"], False),
    ({"q": "OR"}, lambda r: "or" in r["name"].lower(), lambda r: r["name"], False),
    ({"sort": "overall", "dir": "desc"}, lambda r: True, lambda r: r["overall"], True),
    ({"sort": "size"}, lambda r: True, lambda r: r["population"], False),
    ({"sort": "country", "status": "validated"}, lambda r: r["status"] == "validated",
     lambda r: r["country"], False),
]


@pytest.mark.parametrize(("args", "keep", "key", "descending"), CASES,
                         ids=[str(c[0]) for c in CASES])
def test_filters_and_sort_match_a_plain_query(client, world, args, keep, key, descending) -> None:
    login(client, world)
    rows = [r for r in _plain_rows() if keep(r)]
    # Ties in name order, rows without a value last, whatever the direction.
    present = sorted((r for r in rows if key(r) is not None),
                     key=lambda r: ((-key(r) if descending else key(r)), r["name"]))
    expected = [r["name"] for r in present] + sorted(r["name"] for r in rows if key(r) is None)
    assert _page_names(client, **args) == expected


def test_pages_split_the_sorted_rows(client, world, monkeypatch) -> None:
    monkeypatch.setattr(dashboard, "PER_PAGE", 3)
    login(client, world)
    pages = [_page_names(client, page=n) for n in (1, 2, 3)]
    assert pages == [["Avalon", "Brisa", "Corvo"], ["Dunmore", "Elvas", "Fjord"], ["Gdansk"]]


def test_the_csv_holds_exactly_the_filtered_table(client, world, monkeypatch) -> None:
    login(client, world)
    args = {"edition": "2019", "country": "Portugal", "sort": "overall"}
    names = _page_names(client, **{k: v for k, v in args.items() if k != "edition"})
    response = client.get("/dashboard.csv", query_string=args)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="dashboard-2019.csv"'
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["city_name"] for r in table] == names == ["Corvo", "Elvas"]
    assert table[1]["status"] == "returned"


def test_counts_cover_every_city_and_the_latest_round(client, world) -> None:
    login(client, world)
    page = client.get("/dashboard?edition=2019").get_data(as_text=True)
    counts = page.split('id="counts-h"')[1].split("</ul>")[0]
    for number, label in ((2, "Not started"), (1, "Draft"), (1, "Submitted"), (1, "Returned"),
                          (2, "Validated")):
        assert f'<span class="big-number">{number}</span> <span>{label}</span>' in counts


def test_overdue_and_resubmitted_are_flagged_and_filtered(client, world) -> None:
    login(client, world)
    avalon = db.session.query(Assessment).filter_by(round=2026).join(City).filter(
        City.name == "Avalon").one()
    avalon.reviewer_id = world.id
    avalon.review_due = (utcnow() - timedelta(days=2)).date()
    avalon.returned_at = utcnow() - timedelta(days=5)
    db.session.commit()
    assert _page_names(client, flag="overdue") == ["Avalon"]
    assert _page_names(client, flag="resubmitted") == ["Avalon"]
    assert _page_names(client, reviewer=str(world.id)) == ["Avalon"]
    html = client.get("/dashboard?edition=2019&flag=overdue").get_data(as_text=True)
    assert "Overdue" in html and "Resubmitted" in html
    assert "+" in html  # change since 2024 shown signed


def test_a_focal_point_may_not_see_the_dashboard(client, world) -> None:
    login(client, build_user("focal_point"))
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard.csv").status_code == 403


def test_an_unknown_filter_value_is_refused(client, world) -> None:
    login(client, world)
    assert client.get("/dashboard?status=lost").status_code == 422
    assert client.get("/dashboard?sort=dim:nothing").status_code == 422


def test_a_page_costs_the_same_statements_whatever_the_number_of_cities(client, world) -> None:
    from tests.queries import count_queries

    login(client, world)

    def cost(path: str) -> int:
        client.get(path)  # the counts of this state of the network are kept from here on
        with count_queries() as queries:
            assert client.get(path).status_code == 200
        return queries.count

    first = "/dashboard?edition=2019"
    filtered = "/dashboard?edition=2019&status=validated&sort=dim:commitment"
    before = (cost(first), cost(filtered))
    for n in range(4):
        build_assessment(build_city(name=f"More {n}"), status="validated", answers=HALF)
    # The session with its user, editions (their assessment counts, their rows), the edition's row twice
    # (by version, then for the parsed edition), reviewers, countries, count, page ids, rows,
    # dimension indices, previous rounds, the counts' stamp (the counts themselves are
    # kept while it holds); the sorted dimension's join adds nothing.
    assert (cost(first), cost(filtered)) == before == (10, 10)
    # The default edition is found by the editions' statement itself (no probe per edition).
    assert cost("/dashboard") == 10


def test_counts_follow_every_workflow_step(client, world) -> None:
    from benchmark.services import accounts, transitions

    login(client, world)

    def counts() -> dict[str, int]:
        html = client.get("/dashboard?edition=2019").get_data(as_text=True)
        found = re.findall(r'<span class="big-number">(\d+)</span> <span>([^<]+)</span>',
                           html.split('id="counts-h"')[1].split("</ul>")[0])
        return {label: int(number) for number, label in found}

    assert counts()["Submitted"] == 1  # and kept
    avalon = db.session.query(Assessment).filter_by(round=2026).join(City).filter(
        City.name == "Avalon").one()
    transitions.take_step(accounts.actor_for(world), avalon.id, "return", "Add the sources.")
    after = counts()
    assert (after["Submitted"], after["Returned"]) == (0, 2)
    build_assessment(db.session.query(City).filter_by(name="Dunmore").one(), round=2026,
                     status="draft")
    after = counts()
    assert (after["Not started"], after["Draft"]) == (1, 2)


def test_a_status_change_committed_late_is_counted_within_a_minute(client, world,
                                                                    monkeypatch) -> None:
    """On PostgreSQL a status change can commit after a later one: the latest change time,
    the counts' stamp, does not move. The kept counts are counted again within a minute."""
    login(client, world)

    def submitted() -> int:
        html = client.get("/dashboard?edition=2019").get_data(as_text=True)
        return int(re.search(r'<span class="big-number">(\d+)</span> <span>Submitted</span>',
                             html).group(1))

    assert submitted() == 1
    corvo = db.session.query(Assessment).join(City).filter(City.name == "Corvo").one()
    latest = db.session.query(func.max(Assessment.status_changed_at)).scalar()
    corvo.status, corvo.status_changed_at = "submitted", latest - timedelta(seconds=1)
    db.session.commit()
    assert submitted() == 1  # kept: nothing in the stamp moved
    later = time.monotonic() + dashboard.COUNTS_KEPT_SECONDS + 1
    monkeypatch.setattr(dashboard.time, "monotonic", lambda: later)
    assert submitted() == 2


def test_the_latest_round_flag_follows_new_rounds_in_any_order(app) -> None:
    city = build_city(population=90_000, foreign_born_share=5.0)
    first = build_assessment(city, round=2024)
    third = build_assessment(city, round=2028)
    second = build_assessment(city, round=2026)  # entered late: not the latest
    other_edition = build_assessment(city, version="2024", round=2020)
    db.session.expire_all()
    assert [a.is_latest for a in (first, second, third, other_edition)] == [False, False, True, True]


def test_a_round_profile_fills_the_columns_the_dashboard_filters_on(app) -> None:
    city = build_city(population=90_000, foreign_born_share=5.0)
    assessment = build_assessment(city, profile={"population": 1_200_000})
    assert (assessment.declared_population, assessment.declared_foreign_born_share) == (1_200_000, None)
    assessment.profile = {"population": "not a number", "foreign_born_share": 31.5}
    db.session.commit()
    db.session.expire_all()
    assert (assessment.declared_population, assessment.declared_foreign_born_share) == (None, 31.5)


def test_the_country_filter_offers_every_country_once_in_order(client, world) -> None:
    build_city(name="Second Avalon", country="France")
    login(client, world)
    html = client.get("/dashboard?edition=2019").get_data(as_text=True)
    choices = html.split('id="f-country"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)"', choices) == [
        "France", "Norway", "Poland", "Portugal", "Spain"]
