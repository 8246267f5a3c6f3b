"""The demo network: a deterministic, fictional network of cities (`benchmark demo seed`).

One use case, one transaction. The default network mirrors the programme it stands
for: 135 member cities, 97 with a validated round on the oldest imported edition, a
few dozen of them in a second round on the latest edition (some improving past the
network average in a dimension, some declining), and cities in draft, submitted
and returned states, with evidence, review comments and notifications. The demo
users of demo/accounts.py log in with DEMO_PASSWORD; the demo focal
point's city has a validated first round and a second round in progress.

The seed writes through the same data layer as real use, in bulk: answers are
generated from each question's definition and parsed by the type registry
(demo/answers.py), scores and network statistics come from the scoring engine via
services/scores.py, rows are inserted with one executemany (COPY on PostgreSQL)
per table and chunk (demo/store.py). A smaller or larger `cities` keeps the mix in
proportion; the same `seed` always gives the same network.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from benchmark.demo import commitments as demo_commitments
from benchmark.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from benchmark.demo.answers import AnswerGenerator, GeneratedAnswer
from benchmark.demo.names import RETURN_MESSAGES, REVIEW_COMMENTS, person_name
from benchmark.demo.planning import (
    ANCHOR,
    BATCH,
    CONTRIBUTOR_DIMENSIONS,
    DEFAULT_CITIES,
    DEFAULT_SEED,
    DEMO_CITY_NAME,
    EMAIL_DOMAIN,
    LANGUAGES,
    MAX_CITIES,
    NEW,
    OLD,
    CityPlan,
    ProgressFn,
    RoundPlan,
    plan_cities,
    plan_rounds,
)
from benchmark.demo.practices import plan as practice_plans
from benchmark.demo.store import analyze, bulk_insert
from benchmark.errors import Invalid
from benchmark.extensions import db
from benchmark.infra import passwords
from benchmark.models import (
    Answer,
    Assessment,
    AssessmentScore,
    AuditEvent,
    City,
    Notification,
    Practice,
    PracticeDimension,
    PracticeQuestion,
    PracticeText,
    ReviewComment,
    User,
    declared_columns,
    effective_columns,
)
from benchmark.questionnaire import Questionnaire
from benchmark.scoring import AnswerInput
from benchmark.services import audit, practice_search, questionnaires, scores
from benchmark.services._tx import transaction


@dataclass
class SeedResult:
    """What a seed did; `created` is False when it changed nothing."""

    created: bool
    message: str
    cities: int = 0
    users: int = 0
    answers: int = 0
    commitments: int = 0
    assessments: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Good practices by status.
    practices: Counter[str] = field(default_factory=Counter)
    demo_city: str = ""
    #: Seconds spent per phase: generate (answers and scores in Python), answers (inserting
    #: them), scores (cached indices), network (statistics), total.
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        if not self.created:
            return [self.message]
        by_edition = ", ".join(f"{version} {status}: {n}"
                               for (version, status), n in sorted(self.assessments.items()))
        return [
            f"seeded {self.cities} cities, {sum(self.assessments.values())} assessments "
            f"({by_edition}), {self.answers} answers, {self.users} users, "
            f"{self.commitments} commitments "
            f"in {self.seconds.get('total', 0):.1f} s",
            "good practices: " + ", ".join(f"{status} {n}" for status, n
                                             in sorted(self.practices.items())),
            f"demo city of the demo focal point and contributor: {self.demo_city}",
        ]


# -- writing ----------------------------------------------------------------------------------


ANSWER_COLUMNS = ("assessment_id", "question_id", "value", "na", "comment", "evidence",
                  "evidence_url", "evidence_year", "confirmed", "revision", "updated_by_id",
                  "updated_at")
AUDIT_COLUMNS = ("at", "user_id", "actor", "ip", "action", "target_type", "target_id", "city_id",
                 "details")


def is_seeded() -> bool:
    return db.session.scalar(select(City.id).where(City.is_demo.is_(True)).limit(1)) is not None


def has_cities() -> bool:
    return db.session.scalar(select(City.id).limit(1)) is not None


def _editions() -> dict[str, Questionnaire]:
    known = questionnaires.known_editions()
    if not known:
        raise Invalid("No questionnaire edition is imported yet: run `benchmark init` first.")
    ordered = [known[v] for v in sorted(known, key=questionnaires._version_key)]
    return {OLD: ordered[0], NEW: ordered[-1]}


def seed(cities: int = DEFAULT_CITIES, seed: int = DEFAULT_SEED, *, if_empty: bool = False,
         progress: ProgressFn | None = None) -> SeedResult:
    """Create the demo network in one transaction, or change nothing when it exists.

    With `if_empty`, nothing happens when the database has any city at all (make run).
    `progress` is called with the number of cities written since its last call.
    """
    if not 1 <= cities <= MAX_CITIES:
        raise Invalid(f"--cities must be between 1 and {MAX_CITIES}.", fields={"cities": "out of range"})
    if if_empty and has_cities():
        return SeedResult(False, "the database already has cities: nothing seeded")
    if is_seeded():
        count = db.session.scalar(select(db.func.count()).select_from(City).where(City.is_demo.is_(True)))
        return SeedResult(False, f"the demo network is already seeded ({count} cities): nothing changed")
    editions = _editions()
    started = time.perf_counter()
    with transaction():
        writer = _Writer(editions, seed, progress)
        result = writer.run(cities)
    result.seconds["total"] = time.perf_counter() - started
    return result


class _Writer:
    """Writes one seed inside the caller's transaction; keeps the ids it needs."""

    def __init__(self, editions: dict[str, Questionnaire], seed: int,
                 progress: ProgressFn | None) -> None:
        self.editions = editions
        self.seed = seed
        self.progress = progress or (lambda _n: None)
        self.generators = {key: AnswerGenerator(e, seed) for key, e in editions.items()}
        self.edition_ids = {key: questionnaires.find_row(e.version).id  # type: ignore[union-attr]
                            for key, e in editions.items()}
        self.result = SeedResult(True, "")
        self.seconds: Counter[str] = Counter()
        self.audit_rows: list[tuple[Any, ...]] = []
        self.comment_rows: list[dict[str, Any]] = []
        self.pending_submitted: list[tuple[int, str, int, datetime]] = []
        self.returned_for: list[tuple[int, int, str, int, datetime]] = []

    def run(self, cities: int) -> SeedResult:
        taken = set(db.session.scalars(select(City.slug)))
        plans = plan_cities(cities, self.seed, taken)
        password_hash = passwords.hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
        city_ids = self._insert_cities(plans)
        users = self._insert_users(plans, city_ids, password_hash)
        for start in range(0, len(plans), BATCH):
            batch = plans[start:start + BATCH]
            self._write_batch(batch, city_ids, users)
            self.progress(len(batch))
        self._insert_practices(plans, city_ids, users)
        self._write_reviews_and_notifications(users)
        tick = time.perf_counter()
        db.session.flush()
        analyze([City.__table__, Assessment.__table__, AssessmentScore.__table__, Answer.__table__])
        for edition_id in dict.fromkeys(self.edition_ids.values()):
            scores.refresh_network(edition_id)
        self.seconds["network"] += time.perf_counter() - tick
        self.result.commitments = demo_commitments.write(self.seed)
        audit.record(None, "demo_seeded", details={"cities": cities, "seed": self.seed})
        self.result.cities = len(plans)
        self.result.demo_city = f"{plans[0].name} ({plans[0].country})"
        self.result.seconds = dict(self.seconds)
        return self.result

    def _insert_practices(self, plans: Sequence[CityPlan], city_ids: Sequence[int],
                          users: dict[str, Any]) -> None:
        """About sixty published good practices and a few in the workflow (demo/practices.py)."""
        edition = self.editions[NEW]
        dimension_of = {q.id: d.id for d in edition.dimensions for q in d.questions}
        known_dims = {d.id for d in edition.dimensions}
        emails = users["emails"]
        for p in practice_plans([c.country for c in plans], self.seed):
            idea = p.idea
            city_id = city_ids[p.city_index]
            author = users["focal"][city_id]
            at = ANCHOR - timedelta(days=p.age_days)
            questions = [q for q in idea.questions if q in dimension_of]
            # A smaller edition (tests) may lack the questions: keep their dimensions.
            dimensions = [d for d in dict.fromkeys(dimension_of.get(q) or q.rsplit("_", 1)[0]
                                                   for q in idea.questions) if d in known_dims]
            practice = Practice(
                city_id=city_id, status=p.status, language=idea.language,
                start_year=p.start_year, end_year=p.end_year, department=idea.department,
                partners="", budget_band=idea.budget_band, links=[], contact="",
                return_message=(PRACTICE_RETURN_MESSAGE if p.status == "returned" else ""),
                revision=1 if p.status == "draft" else 3, created_by_id=author,
                updated_by_id=author, created_at=at - timedelta(days=30), updated_at=at,
                submitted_at=None if p.status == "draft" else at - timedelta(days=7),
                published_at=at if p.status == "published" else None,
                texts=[PracticeText(language=idea.language, title=idea.title,
                                    summary=idea.summary, description=idea.description,
                                    results=idea.results)],
                dimensions=[PracticeDimension(dimension_id=d)
                            for d in dimensions or [edition.dimensions[0].id]],
                questions=[PracticeQuestion(question_id=q) for q in questions],
                search_text=practice_search.document(
                    [(idea.title, idea.summary, idea.description, idea.results)],
                    [idea.department]))
            db.session.add(practice)
            db.session.flush()
            if p.status == "published":
                self.audit_rows.append((at, users["staff"], emails[users["staff"]], None,
                                        "practice_published", "Practice", str(practice.id),
                                        city_id, None))
            self.result.practices[p.status] += 1

    def _insert_cities(self, plans: Sequence[CityPlan]) -> list[int]:
        rows = []
        for p in plans:
            # The city record holds the profile of its latest round (plan_rounds is pure).
            _, _, population, share = plan_rounds(p, self.editions, self.seed)
            rows.append(dict(slug=p.slug, name=p.name, country=p.country, population=population,
                             foreign_born_share=share, consent_named=p.consent_named, is_demo=True,
                             created_at=ANCHOR - timedelta(days=3000 - p.index % 2000)))
        ids = db.session.scalars(insert(City).returning(City.id, sort_by_parameter_order=True), rows)
        return list(ids)

    def _insert_users(self, plans: Sequence[CityPlan], city_ids: Sequence[int],
                      password_hash: str) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:users")  # noqa: S311 - demo data, not secrets
        demo_city = city_ids[0]
        dims = [d.id for d in self.editions[NEW].dimensions][:CONTRIBUTOR_DIMENSIONS]
        rows = []
        for email, role in DEMO_USERS:
            rows.append(dict(email=email, role=role, name=person_name(rng),
                             city_id=demo_city if role in ("focal_point", "contributor") else None,
                             dimensions=dims if role == "contributor" else None, language="en"))
        for plan, city_id in zip(plans[1:], city_ids[1:], strict=True):
            rows.append(dict(email=f"focal.{plan.slug}@{EMAIL_DOMAIN}", role="focal_point",
                             name=person_name(rng), city_id=city_id, dimensions=None,
                             language=LANGUAGES.get(plan.country, "en")))
        created = ANCHOR - timedelta(days=2500)
        for row in rows:
            row.update(password_hash=password_hash, is_active=True, created_at=created,
                       password_changed_at=created)
        ids = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), rows))
        by_role = {role: ids[i] for i, (_, role) in enumerate(DEMO_USERS)}
        focal = {city_ids[0]: by_role["focal_point"]}
        focal.update(zip(city_ids[1:], ids[len(DEMO_USERS):], strict=True))
        self.result.users = len(ids)
        return {"staff": by_role["staff"], "admin": by_role["admin"], "focal": focal,
                "demo_focal": by_role["focal_point"],
                "contributor": by_role["contributor"], "contributor_dims": set(dims),
                "emails": {i: r["email"] for i, r in zip(ids, rows, strict=True)}}

    def _write_batch(self, batch: Sequence[CityPlan], city_ids: Sequence[int],
                     users: dict[str, Any]) -> None:
        tick = time.perf_counter()
        planned: list[tuple[CityPlan, RoundPlan, list[GeneratedAnswer], int]] = []
        records: dict[int, tuple[int, float]] = {}  # the city's record (_insert_cities)
        for city in batch:
            rng, rounds, population, share = plan_rounds(city, self.editions, self.seed)
            records[city.index] = (population, share)
            for rnd in rounds:
                answers = self.generators[rnd.key].answers(
                    rng, rnd.levels, year=rnd.round, website=f"{city.slug}.example",
                    fraction=rnd.fraction)
                planned.append((city, rnd, answers, self.edition_ids[rnd.key]))
        rows = []
        latest: dict[tuple[int, int], int] = {}
        for city, rnd, _answers, edition_id in planned:
            key = (city.index, edition_id)
            latest[key] = max(latest.get(key, 0), rnd.round)
        # Scored before the insert: each round is written with its overall index (the
        # dashboard's sort), instead of updated after (on PostgreSQL a dead copy of every row).
        scores_of = [scores.score_answers(rnd.edition, {a.question_id: AnswerInput(a.value, a.na)
                                                        for a in answers}, rnd.status)
                     for _city, rnd, answers, _edition_id in planned]
        for (city, rnd, answers, edition_id), score in zip(planned, scores_of, strict=True):
            city_id = city_ids[city.index]
            rows.append(dict(
                city_id=city_id, edition_id=edition_id, round=rnd.round, status=rnd.status,
                profile=rnd.profile, **declared_columns(rnd.profile),
                **effective_columns(rnd.profile, *records[city.index]),
                overall_index=score.overall,
                is_latest=rnd.round == latest[(city.index, edition_id)],
                created_at=rnd.created_at, created_by_id=users["focal"][city_id],
                updated_at=rnd.updated_at, submitted_at=rnd.submitted_at,
                validated_at=rnd.validated_at,
                # When the round entered its status (the dashboard's "days in status"), as
                # the audit events below tell it; a returned round was returned at its last
                # change.
                status_changed_at={"validated": rnd.validated_at, "submitted": rnd.submitted_at,
                                   "returned": rnd.updated_at}.get(rnd.status) or rnd.created_at,
                returned_at=rnd.updated_at if rnd.status == "returned" else None,
                revision=1 + sum(a.revision for a in answers) + _transitions(rnd.status)))
        ids = list(db.session.scalars(
            insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), rows)) if rows else []
        self.seconds["generate"] += time.perf_counter() - tick

        tick = time.perf_counter()
        answer_rows = []
        scored = []
        for aid, (city, rnd, answers, _edition_id), score in zip(ids, planned, scores_of, strict=True):
            city_id = city_ids[city.index]
            author = users["focal"][city_id]
            stamps = self._stamps(city, rnd)
            for a in answers:
                by = author
                if city.index == 0 and a.dimension_id in users["contributor_dims"] and rnd.status == "draft":
                    by = users["contributor"]
                answer_rows.append((aid, a.question_id, a.value, a.na, a.comment, a.evidence,
                                    a.evidence_url, a.evidence_year, True, a.revision, by,
                                    stamps[a.dimension_id]))
            scored.append((aid, score))
            self._collect_events(aid, city, city_id, rnd, answers, users)
            self.result.assessments[(rnd.edition.version, rnd.status)] += 1
        self.seconds["generate"] += time.perf_counter() - tick

        tick = time.perf_counter()
        self.result.answers += bulk_insert(Answer.__table__, ANSWER_COLUMNS, answer_rows)
        self.seconds["answers"] += time.perf_counter() - tick
        tick = time.perf_counter()
        scores.store_many(scored, rounds_hold_overall=True)
        self.seconds["scores"] += time.perf_counter() - tick

    def _stamps(self, city: CityPlan, rnd: RoundPlan) -> dict[str, datetime]:
        """When each dimension was last saved: teams fill a dimension in one sitting."""
        rng = random.Random(f"{self.seed}:stamps:{city.index}:{rnd.round}")  # noqa: S311
        end = rnd.submitted_at or rnd.updated_at
        span = max((end - rnd.created_at).total_seconds(), 1.0)
        stamps = {d.id: rnd.created_at + timedelta(seconds=int(rng.uniform(0.2, 1.0) * span))
                  for d in rnd.edition.dimensions}
        if rnd.status == "draft" and rnd.edition.dimensions:
            stamps[rnd.edition.dimensions[0].id] = rnd.updated_at  # the latest save
        return stamps

    def _collect_events(self, aid: int, city: CityPlan, city_id: int, rnd: RoundPlan,
                        answers: Sequence[GeneratedAnswer], users: dict[str, Any]) -> None:
        focal = users["focal"][city_id]
        staff = users["staff"]
        emails = users["emails"]

        def event(at: datetime, user: int, action: str) -> None:
            self.audit_rows.append((at, user, emails[user], None, action, "Assessment", str(aid),
                                    city_id, None))

        event(rnd.created_at, focal, "assessment_created")
        if rnd.submitted_at is not None:
            event(rnd.submitted_at, focal, "assessment_submitted")
        if rnd.status == "validated" and rnd.validated_at is not None:
            event(rnd.validated_at, staff, "assessment_validated")
        if rnd.status == "submitted" and rnd.submitted_at is not None:
            self.pending_submitted.append((aid, city.name, rnd.round, rnd.submitted_at))
        if rnd.status == "returned":
            event(rnd.updated_at, staff, "assessment_returned")
            self._review(aid, rnd, answers, staff)
            self.returned_for.append((aid, focal, city.name, rnd.round, rnd.updated_at))

    def _review(self, aid: int, rnd: RoundPlan, answers: Sequence[GeneratedAnswer],
                staff: int) -> None:
        rng = random.Random(f"{self.seed}:review:{aid}")  # noqa: S311 - demo data, not secrets
        commented = [a.question_id for a in answers if a.value is not None]
        for i, qid in enumerate(sorted(rng.sample(commented, min(len(commented), rng.randint(2, 3))))):
            self.comment_rows.append(dict(
                assessment_id=aid, question_id=qid, author_id=staff, kind="comment",
                body=rng.choice(REVIEW_COMMENTS),
                created_at=rnd.updated_at - timedelta(minutes=30 - 5 * i)))
        self.comment_rows.append(dict(assessment_id=aid, question_id=None, author_id=staff,
                                      kind="return", body=rng.choice(RETURN_MESSAGES),
                                      created_at=rnd.updated_at))

    def _write_reviews_and_notifications(self, users: dict[str, Any]) -> None:
        if self.comment_rows:
            db.session.execute(insert(ReviewComment), self.comment_rows)
        bulk_insert(AuditEvent.__table__, AUDIT_COLUMNS, self.audit_rows)
        notes = []
        recent = sorted(self.pending_submitted, key=lambda s: s[3])[-6:]
        for aid, name, label, at in recent:
            for user in (users["staff"], users["admin"]):
                notes.append(dict(
                    user_id=user, kind="assessment_submitted", link=f"/review/{aid}", created_at=at,
                    subject=f"{name} submitted its {label} assessment",
                    body=f"{name} submitted its assessment (round {label}). It is waiting in the "
                         "review queue.", read_at=None))
        for aid, focal, name, label, at in self.returned_for:
            notes.append(dict(
                user_id=focal, kind="assessment_returned", link=f"/assessments/{aid}", created_at=at,
                subject=f"Your {label} assessment was returned for changes",
                body=f"Programme staff returned the assessment of {name} (round {label}) for "
                     "changes; see the comments on the questions.", read_at=None))
        demo_focal = users["demo_focal"]
        first = db.session.execute(
            select(Assessment.id, Assessment.round, Assessment.validated_at)
            .where(Assessment.created_by_id == demo_focal, Assessment.status == "validated")
            .order_by(Assessment.round).limit(1)).first()
        if first is not None:
            for user in (demo_focal, users["contributor"]):
                notes.append(dict(
                    user_id=user, kind="assessment_validated", link=f"/assessments/{first.id}",
                    created_at=first.validated_at, read_at=first.validated_at + timedelta(days=1),
                    subject=f"Your {first.round} assessment is validated",
                    body=f"Programme staff validated the assessment of {DEMO_CITY_NAME} (round "
                         f"{first.round}). Its scores now count in the network comparison."))
        if notes:
            db.session.execute(insert(Notification), notes)


PRACTICE_RETURN_MESSAGE = ("Thank you. Please add what changed for residents (figures if you "
                           "have them) and the department to contact.")


def _transitions(status: str) -> int:
    """Status changes a round went through (each bumps the assessment revision)."""
    return {"draft": 0, "submitted": 1, "returned": 2, "validated": 2}[status]

