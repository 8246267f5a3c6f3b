"""Test data builders with defaults; each commits, like real use would."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.infra import passwords
from benchmark.models import Answer, Assessment, City, QuestionnaireEdition, User, utcnow

PASSWORD = "correct horse battery staple"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "questionnaires"
REAL = Path(__file__).resolve().parent.parent / "questionnaires"
_counter = itertools.count(1)
_password_hash: dict[str, str] = {}


def build_edition(version: str = "2019", *, real: bool = False) -> QuestionnaireEdition:
    """Import the mini (default) or real edition `version` and its predecessors."""
    from benchmark.services import questionnaires

    row = questionnaires.find_row(version)
    if row is not None:
        return row
    folder = REAL if real else FIXTURES
    prefix = "icc" if real else "mini"
    paths = sorted(folder.glob(f"{prefix}-*.yaml"))
    wanted = [p for p in paths if p.stem.split("-")[-1] <= version]
    questionnaires.import_files(wanted)
    row = questionnaires.find_row(version)
    assert row is not None
    return row


def build_city(slug: str | None = None, **fields: Any) -> City:
    n = next(_counter)
    city = City(
        slug=slug or f"city-{n}",
        name=fields.pop("name", f"Testville {n}"),
        country=fields.pop("country", "Testland"),
        population=fields.pop("population", 200_000),
        foreign_born_share=fields.pop("foreign_born_share", 15.0),
        consent_named=fields.pop("consent_named", True),
        **fields,
    )
    db.session.add(city)
    db.session.commit()
    return city


def build_user(role: str = "focal_point", city: City | None = None, *, email: str | None = None,
               password: str = PASSWORD, dimensions: list[str] | None = None,
               language: str = "en", is_active: bool = True) -> User:
    if role in {"focal_point", "contributor"} and city is None:
        city = build_city()
    if password not in _password_hash:
        _password_hash[password] = passwords.hash_password(password)
    user = User(
        email=email or f"{role}-{next(_counter)}@example.org", name=f"Test {role}",
        password_hash=_password_hash[password], role=role,
        city_id=city.id if city is not None and role in {"focal_point", "contributor"} else None,
        dimensions=dimensions, language=language, is_active=is_active,
    )
    db.session.add(user)
    db.session.commit()
    return user


def build_assessment(city: City | None = None, *, version: str = "2019", round: int = 2026,
                     status: str = "draft", answers: dict[str, Any] | None = None,
                     real: bool = False, profile: dict[str, Any] | None = None) -> Assessment:
    """An assessment with `answers` ({qid: value} or {qid: {"value":…, "na":…}}), scored."""
    city = city or build_city()
    edition = build_edition(version, real=real)
    assessment = Assessment(
        city_id=city.id, edition_id=edition.id, round=round, status=status,
        profile=profile or {"population": city.population,
                            "foreign_born_share": city.foreign_born_share},
        submitted_at=utcnow() if status in {"submitted", "validated"} else None,
        validated_at=utcnow() if status == "validated" else None,
    )
    db.session.add(assessment)
    db.session.flush()
    for question_id, given in (answers or {}).items():
        spec = given if isinstance(given, dict) and ("value" in given or "na" in given) else {"value": given}
        db.session.add(Answer(assessment_id=assessment.id, question_id=question_id,
                              value=spec.get("value"), na=spec.get("na", False),
                              comment=spec.get("comment", ""), evidence=spec.get("evidence", "")))
    db.session.commit()
    _refresh_scores(assessment)
    return assessment


def _refresh_scores(assessment: Assessment) -> None:
    from benchmark.services import scores

    scores.rebuild_assessment(assessment.id)
    if assessment.status == "validated":
        scores.rebuild_network(assessment.edition_id)


def login(client: Any, user: User, password: str = PASSWORD) -> Any:
    """Log `user` in through the real login form."""
    page = client.get("/login")
    token = _csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def csrf_token(client: Any, path: str = "/") -> str:
    return _csrf_from(client.get(path).get_data(as_text=True))


def _csrf_from(html: str) -> str:
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def api_token(user: User) -> dict[str, str]:
    """Authorization headers with a fresh API token of `user`."""
    from benchmark.services import accounts, tokens

    _, secret = tokens.create(accounts.actor_for(user), user, "test")
    return {"Authorization": f"Bearer {secret}"}


def get_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def build_practice(city: City | None = None, *, status: str = "published", language: str = "en",
                   title: str | None = None, summary: str = "A short summary.",
                   description: str = "", questions: tuple[str, ...] = ("commitment_01",),
                   dimensions: tuple[str, ...] = (), translations: dict[str, Any] | None = None,
                   start_year: int | None = 2020, end_year: int | None = None) -> Any:
    """A practice of `city` in `status` (published by default), written through the service."""
    from benchmark import authz
    from benchmark.models import Practice
    from benchmark.services import practices
    from benchmark.services.practices import PracticeData, Texts

    city = city or build_city()
    build_edition()
    texts = {language: Texts(title or f"Practice {next(_counter)}", summary, description)}
    for lang, fields in (translations or {}).items():
        texts[lang] = Texts(**fields)
    created = practices.create(authz.SYSTEM, city.id, PracticeData(
        language=language, texts=texts, dimensions=dimensions, questions=questions,
        start_year=start_year, end_year=end_year))
    path = {"draft": [], "submitted": ["submit"], "returned": ["submit", "return"],
            "published": ["submit", "publish"], "withdrawn": ["submit", "publish", "withdraw"]}
    practice = db.session.get(Practice, created.id)
    for step in path[status]:
        if step == "submit":  # a city step: taken as the city's team would
            practice.status = "submitted"
            db.session.commit()
            continue
        practices.take_step(authz.SYSTEM, practice.id, step, "Please add the results.")
    return db.session.get(Practice, created.id)


def unknown_city_message(typed: str) -> str:
    """The error for a typed city that names no city (services/city_filter.py), as pages
    escape it."""
    return (f"No city is called “{typed}”, and no city&#39;s name starts with it. Check the "
            "spelling, or type the city&#39;s short name (as in its web address).")
