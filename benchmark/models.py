"""SQLAlchemy 2.0 typed models (tables plural, classes singular)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    event,
    false,
    func,
    inspect,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from benchmark.extensions import db
from benchmark.practice_workflow import STATUSES as PRACTICE_STATUSES
from benchmark.scoring.peers import declared, effective
from benchmark.workflow import STATUSES

ROLES = ("admin", "staff", "focal_point", "contributor")
CITY_ROLES = ("focal_point", "contributor")
#: Pseudo dimension id under which the overall index is stored in assessment_scores.
OVERALL = "_overall"


def utcnow() -> datetime:
    return datetime.now(UTC)


def utctoday() -> date:
    """Today in UTC: the one "today" of due dates, overdue flags and report dates."""
    return utcnow().date()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class City(db.Model):
    __tablename__ = "cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100))
    population: Mapped[int | None] = mapped_column(Integer)
    foreign_born_share: Mapped[float | None] = mapped_column(Float)
    #: Consent to be named in other cities' "peers to learn from".
    consent_named: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
        CheckConstraint(
            "foreign_born_share IS NULL OR (foreign_born_share >= 0 AND foreign_born_share <= 100)",
            name="share_percent",
        ),
        # The dashboard's country filter lists the distinct countries from this index.
        Index("ix_cities_country", "country"),
        # The dashboard's first page (every city by name) reads 50 entries of this index
        # instead of sorting every city; a city typed by its name (users filter, account
        # forms, commitments filter: services/city_filter.py) is found by its first column.
        Index("ix_cities_name_order", text("lower(name)"), "name", "id"),
    )


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)
    #: Contributors only: dimension ids they may edit; None means every dimension.
    dimensions: Mapped[list[str] | None] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(5), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    city: Mapped[City | None] = relationship()

    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        CheckConstraint(
            "(role IN ('focal_point', 'contributor')) = (city_id IS NOT NULL)",
            name="city_roles_have_city",
        ),
        # Staff who may review (the dashboard, the review page) among every city's users.
        Index("ix_users_role", "role"),
    )


class UserSession(db.Model):
    """A server-side login session; revoking the row kills every copy of its cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token; only its sha256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class AuditEvent(db.Model):
    """Append-only record of security- and data-relevant actions."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254), default="")
    ip: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(50), index=True)
    target_type: Mapped[str | None] = mapped_column(String(50))
    target_id: Mapped[str | None] = mapped_column(String(100))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The id of the spool line this row was flushed from (services/audit_spool.py), else None.
    spool_id: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ux_audit_events_spool_id", "spool_id", unique=True),)


class QuestionnaireEdition(db.Model):
    """A published questionnaire version; immutable once imported."""

    __tablename__ = "questionnaire_editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    # Deferred: 100-150 KB of YAML that only a cache miss of the parsed edition reads
    # (services/questionnaires.py); every other use needs the small columns.
    source: Mapped[str] = mapped_column(Text, deferred=True)
    question_count: Mapped[int] = mapped_column(Integer)
    dimension_count: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionRow(db.Model):
    """A question of an edition, referenced by (edition, question id)."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_editions.id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(String(64))
    dimension_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    scored: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (UniqueConstraint("edition_id", "question_id"),)


class QuestionnaireDraft(db.Model):
    """An edition being authored by administrators: never offered to cities nor in the API.

    `source` is the file as uploaded (YAML text or workbook bytes), or the YAML the
    service wrote after an edit in the browser (mappings, translations). Publishing
    copies it into questionnaire_editions and stamps `published_at`; the row then stays
    as the record of that edition's authoring and can no longer change.
    """

    __tablename__ = "questionnaire_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As read from the file; None while the file has no readable version.
    version: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300), default="")
    filename: Mapped[str] = mapped_column(String(255))
    source_format: Mapped[str] = mapped_column(String(10))
    source: Mapped[bytes] = mapped_column(LargeBinary)
    #: Bumped by every change; edits send the revision they saw (If-Match).
    revision: Mapped[int] = mapped_column(Integer, default=1)
    mappings_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("questionnaire_editions.id"))

    __table_args__ = (
        CheckConstraint("source_format IN ('yaml', 'xlsx')", name="draft_source_format"),
    )


class Assessment(db.Model):
    """One city's answers to one edition in one round."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_editions.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    #: City context for this round (population, foreign-born share, ...): feeds peer groups.
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The population and foreign-born share the profile declares, as plain columns kept by
    #: `_declared_groups`: the dashboard filters and sorts 10,000 cities by size and
    #: diversity on these instead of parsing every round's JSON profile (5 ms a statement).
    declared_population: Mapped[float | None] = mapped_column(Float)
    declared_foreign_born_share: Mapped[float | None] = mapped_column(Float)
    #: The round's population and foreign-born share by the peer-group rule (the profile's,
    #: else the city's record: `scoring.peers.effective`), kept by `_effective_on_insert`,
    #: `_effective_on_profile` and `_effective_on_city` (an edit of the city's record), and
    #: its overall index (0–100, unrounded: the OVERALL row of assessment_scores), kept
    #: wherever those rows are written (services/scores.py). The dashboard filters a status
    #: by size or diversity and sorts by overall index within one range of
    #: `ix_assessments_dashboard` instead of looking up each round's city and score.
    effective_population: Mapped[float | None] = mapped_column(Float)
    effective_foreign_born_share: Mapped[float | None] = mapped_column(Float)
    overall_index: Mapped[float | None] = mapped_column(Float)
    #: This is the city's latest round on the edition (kept by `_take_over_latest`): the
    #: dashboard reads "each city's latest round" from this flag, as a lookup of the latest
    #: round per city was most of a filtered page's cost at 10,000 cities.
    is_latest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Bumped on every change of answers, profile or status: part of report cache keys.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    #: When the status last changed (days in the current status on the dashboard).
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    #: When staff last returned (or reopened) it: answers changed after it are what a
    #: resubmission changed.
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The staff member reviewing it, and by when (services/assignments.py).
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    review_due: Mapped[date | None] = mapped_column(Date)

    city: Mapped[City] = relationship()
    edition: Mapped[QuestionnaireEdition] = relationship()
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    __table_args__ = (
        UniqueConstraint("city_id", "edition_id", "round"),
        # The dashboard's "latest round of each city on an edition".
        Index("ix_assessments_edition_city_round", "edition_id", "city_id", "round"),
        # The dashboard's counts are kept under a stamp read from this index alone.
        Index("ix_assessments_edition_status_changed", "edition_id", "status_changed_at"),
        # The dashboard's status, size and diversity filters over the latest rounds, their
        # count and the sort by overall index, from the index alone.
        Index("ix_assessments_dashboard", "edition_id", "status", "is_latest",
              "effective_population", "effective_foreign_born_share", "overall_index", "city_id"),
        # The review queue: submitted assessments, the longest-waiting first (a page of 50).
        Index("ix_assessments_status_submitted", "status", "submitted_at", "id"),
        CheckConstraint(f"status IN {STATUSES}", name="status_known"),
        CheckConstraint("round > 0", name="round_positive"),
    )

    @validates("profile")
    def _declared_groups(self, _key: str, profile: dict[str, Any] | None) -> dict[str, Any] | None:
        # Every ORM write of a profile goes through here (a profile is always replaced whole).
        for name, value in declared_columns(profile).items():
            setattr(self, name, value)
        return profile


@event.listens_for(Assessment, "before_insert")
def _take_over_latest(_mapper: Any, connection: Any, new: Assessment) -> None:
    """A new round becomes the city's latest on its edition, unless a later one exists; its
    effective population and share are its profile's, else its city's record."""
    # Two rounds of one city started at once would each see no later round and both keep
    # the flag: the city's row is locked first (PostgreSQL; SQLite has one writer anyway).
    record = connection.execute(select(City.population, City.foreign_born_share)
                                .where(City.id == new.city_id).with_for_update()).first()
    record = record or (None, None)  # an unknown city: the insert's foreign key refuses it
    for name, value in effective_columns(new.profile, *record).items():
        setattr(new, name, value)
    same = (Assessment.city_id == new.city_id, Assessment.edition_id == new.edition_id)
    new.is_latest = not connection.scalar(
        select(func.count()).select_from(Assessment).where(*same, Assessment.round > new.round))
    if new.is_latest:
        connection.execute(update(Assessment).where(*same, Assessment.is_latest)
                           .values(is_latest=False))


@event.listens_for(Assessment, "before_update")
def _effective_on_profile(_mapper: Any, connection: Any, changed: Assessment) -> None:
    """A round's new profile may declare, or stop declaring, its population or share."""
    if not inspect(changed).attrs.profile.history.has_changes():
        return
    record = connection.execute(select(City.population, City.foreign_born_share)
                                .where(City.id == changed.city_id)).one()
    for name, value in effective_columns(changed.profile, *record).items():
        setattr(changed, name, value)


@event.listens_for(City, "after_update")
def _effective_on_city(_mapper: Any, connection: Any, city: City) -> None:
    """An edit of a city's population or share moves its rounds that do not declare their own
    (every ORM path: the admin form, the API, the CLI)."""
    state = inspect(city).attrs
    if not (state.population.history.has_changes()
            or state.foreign_born_share.history.has_changes()):
        return
    table = Assessment.__table__
    rows = [{"key": aid, **effective_columns(profile, city.population, city.foreign_born_share)}
            for aid, profile in connection.execute(
                select(table.c.id, table.c.profile).where(table.c.city_id == city.id))]
    if rows:
        connection.execute(table.update().where(table.c.id == bindparam("key"))
                           .values(effective_population=bindparam("effective_population"),
                                   effective_foreign_born_share=bindparam(
                                       "effective_foreign_born_share")), rows)


def declared_columns(profile: dict[str, Any] | None) -> dict[str, float | None]:
    """The columns an assessment's profile fills besides itself (for bulk inserts too)."""
    return {"declared_population": declared(profile, "population"),
            "declared_foreign_born_share": declared(profile, "foreign_born_share")}


def effective_columns(profile: dict[str, Any] | None, population: float | None,
                      foreign_born_share: float | None) -> dict[str, float | None]:
    """The effective population and share of a round with this profile, of a city with this
    record (`scoring.peers.effective`; for bulk inserts too)."""
    return {"effective_population": effective(profile, "population", population),
            "effective_foreign_born_share": effective(profile, "foreign_born_share",
                                                      foreign_born_share)}


class Answer(db.Model):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    # SQL NULL (not JSON null) for "no value", so CHECK constraints can see it.
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    na: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(2000), default="")
    evidence_year: Mapped[int | None] = mapped_column(Integer)
    #: False for answers prefilled from an earlier round until a person confirms them.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    updated_by: Mapped[User | None] = relationship()

    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id"),
        CheckConstraint("revision > 0", name="revision_positive"),
        CheckConstraint("NOT (na AND value IS NOT NULL)", name="na_has_no_value"),
    )


class ReviewComment(db.Model):
    """A staff review comment on a question (or on the whole assessment), visible to the city."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str | None] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The reviewer ticked "show in the report": the city's PDF prints it under the
    #: question as the programme's comment (off by default; comments on a question only).
    in_report: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    author: Mapped[User | None] = relationship()


class AssessmentScore(db.Model):
    """Cached index of one dimension (or OVERALL) of an assessment, unrounded 0–100."""

    __tablename__ = "assessment_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    index: Mapped[float | None] = mapped_column(Float)
    included: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)



class NetworkStatistic(db.Model):
    """Distribution of a dimension's (or OVERALL) index over an edition's validated cities."""

    __tablename__ = "network_statistics"

    edition_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_editions.id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    mean: Mapped[float | None] = mapped_column(Float)
    min: Mapped[float | None] = mapped_column(Float)
    max: Mapped[float | None] = mapped_column(Float)
    q1: Mapped[float | None] = mapped_column(Float)
    median: Mapped[float | None] = mapped_column(Float)
    q3: Mapped[float | None] = mapped_column(Float)
    std: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RenderedReport(db.Model):
    """A rendered PDF by key (which hashes every input): the store every instance shares.

    The database is the store of record so that a report rendered on one machine (a web
    instance or `benchmark worker`) is served by all; each instance keeps a local copy
    under instance/reports/ (services/report_store.py). `content` is deferred: listing
    rows never loads the bytes.
    """

    __tablename__ = "rendered_reports"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    #: The edition of a network report (kind "network"); None for a city report.
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_editions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="city")
    language: Mapped[str] = mapped_column(String(5))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Notification(db.Model):
    """A message to a user (also emailed; written to instance/outbox in development)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# The header's unread count comes with the user row that every request loads already:
# a correlated count on notifications' user_id index, no statement of its own.
User.unread_notifications = column_property(  # type: ignore[attr-defined]
    select(func.count(Notification.id))
    .where(Notification.user_id == User.id, Notification.read_at.is_(None))
    .correlate_except(Notification).scalar_subquery()
)


COMMITMENT_STATUSES = ("planned", "in_progress", "done", "dropped")
#: What became of a commitment, recorded by the focal point in the next round.
COMMITMENT_OUTCOMES = ("done", "partly", "not_done", "dropped")
NOTE_KINDS = ("progress", "comment")


class Commitment(db.Model):
    """A city's policy commitment, prompted by one assessment's results, followed up in the next round.

    `outcome` is recorded in the city's next assessment (`outcome_assessment_id`), before
    it is submitted; `revision` is bumped by every change (If-Match).
    """

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    #: The assessment whose results prompted the commitment.
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    dimension_id: Mapped[str] = mapped_column(String(64), index=True)
    #: Question ids of the prompting assessment's edition the commitment targets.
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    department: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    start_date: Mapped[date | None] = mapped_column(Date)
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Ids of good practices the commitment draws on (when the practice library exists).
    practices: Mapped[list[int]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    assessment: Mapped[Assessment] = relationship(foreign_keys=[assessment_id])

    __table_args__ = (
        CheckConstraint(f"status IN {COMMITMENT_STATUSES}", name="commitment_status_known"),
        CheckConstraint(f"outcome IS NULL OR outcome IN {COMMITMENT_OUTCOMES}",
                        name="commitment_outcome_known"),
        CheckConstraint("revision > 0", name="commitment_revision_positive"),
    )


class CommitmentNote(db.Model):
    """A dated progress note (city team) or comment (staff) on a commitment."""

    __tablename__ = "commitment_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="progress")
    on_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(String(2000), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()

    __table_args__ = (CheckConstraint(f"kind IN {NOTE_KINDS}", name="note_kind_known"),)

#: Budget bands of a practice (euros over its whole run), smallest first.
BUDGET_BANDS = ("none", "under_10k", "10k_100k", "100k_1m", "over_1m")
#: Search structures kept by the migration, not by the models: SQLite's FTS5 table (and its
#: shadow tables) and PostgreSQL's GIN index over to_tsvector('simple', search_text). Both
#: index practices.search_text, which services/practice_search.py fills.
SEARCH_SCHEMA_NAMES = ("practices_fts", "ix_practices_search")


def is_mapped_schema_name(name: str | None) -> bool:
    """False for the search structures above (schema comparisons skip them)."""
    return not (name or "").startswith(SEARCH_SCHEMA_NAMES)


class Practice(db.Model):
    """A good practice of a city: what it did, linked to the questions it answers.

    Its texts (title, summary, description, results) are PracticeText rows, one per
    language; `language` is the one it was first written in (the original).
    """

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(ForeignKey("cities.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    language: Mapped[str] = mapped_column(String(5))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(String(200), default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    budget_band: Mapped[str | None] = mapped_column(String(20))
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: A contact person who agreed to be named (free text), or "".
    contact: Mapped[str] = mapped_column(String(300), default="")
    #: Staff's message when the practice was last returned.
    return_message: Mapped[str] = mapped_column(Text, default="")
    #: Every language's texts and the city's name, normalised (practice_search.normalise).
    search_text: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    city: Mapped[City] = relationship()
    texts: Mapped[list[PracticeText]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeText.language")
    dimensions: Mapped[list[PracticeDimension]] = relationship(cascade="all, delete-orphan")
    questions: Mapped[list[PracticeQuestion]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint(f"status IN {PRACTICE_STATUSES}", name="practice_status_known"),
        CheckConstraint(f"budget_band IS NULL OR budget_band IN {BUDGET_BANDS}",
                        name="practice_budget_band_known"),
        CheckConstraint("start_year IS NULL OR end_year IS NULL OR start_year <= end_year",
                        name="practice_years_ordered"),
        CheckConstraint("revision > 0", name="practice_revision_positive"),
    )


class PracticeText(db.Model):
    """A practice's texts in one language."""

    __tablename__ = "practice_texts"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(5), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")


class PracticeDimension(db.Model):
    """A dimension a practice addresses (its questions' dimensions are always among them)."""

    __tablename__ = "practice_dimensions"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    dimension_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (Index("ix_practice_dimensions_dimension", "dimension_id", "practice_id"),)


class PracticeQuestion(db.Model):
    """A questionnaire question a practice answers (by question id, across editions)."""

    __tablename__ = "practice_questions"

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (Index("ix_practice_questions_question", "question_id", "practice_id"),)
