"""Demo commitments: what the cities with two rounds committed to after their first one.

Each such city commits to act on its weakest dimensions of round one (on their
lowest-scoring questions), with progress notes; where the second round is submitted
or validated its outcome is recorded there, from how the dimension moved, so that
the demo shows improving cities whose targeted dimension crossed the network average.
A second round still being written (the demo focal point's) keeps its outcomes open.
Runs inside the seed's transaction, after the scores and network statistics.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from benchmark.extensions import db
from benchmark.models import Assessment, City, Commitment, CommitmentNote, User
from benchmark.services import questionnaires, scores

#: What a city commits to, by dimension id (the real editions' dimensions).
TITLES = {
    "commitment": "Adopt an intercultural strategy with a budget line and a yearly public report",
    "education": "Train school staff in intercultural pedagogy and involve migrant parents",
    "neighbourhoods": "Fund mixed-neighbourhood projects with residents' associations",
    "public_services": "Recruit staff with a migrant background in front-line services",
    "business": "Open procurement and business support to migrant entrepreneurs",
    "cultural_civil_life": "Co-programme the cultural season with migrant associations",
    "public_space": "Design public spaces with residents of every background",
    "mediation": "Set up an intercultural mediation service in the town hall",
    "language": "Expand free local-language courses and support mother tongues",
    "media": "Adopt a media anti-discrimination charter with local newsrooms",
    "anti_discrimination": "Open an anti-discrimination counselling desk and record complaints",
    "participation": "Open the city's planning consultations to migrant associations",
}
DEPARTMENTS = ("Social affairs", "Urban planning", "Education", "Culture", "Mayor's office",
               "Equal opportunities", "Economic development")
NOTES = (
    "Working group set up with the departments concerned.",
    "Budget line approved by the council.",
    "First actions started; partners are on board.",
    "Mid-term review with associations held.",
    "Delays: staff changes in the lead department.",
)
OUTCOME_NOTES = {
    "done": "Implemented as planned.",
    "partly": "Half of the planned actions are in place; the rest is scheduled.",
    "not_done": "Postponed: the budget was not renewed.",
    "dropped": "Replaced by a regional programme.",
}


def _outcome(delta: float | None, rng: random.Random) -> str:
    if rng.random() < 0.08:
        return "dropped"
    if delta is None or delta <= 0:
        return "not_done"
    return "done" if delta >= 8 else "partly"


def write(seed: int) -> int:
    """Commitments with notes and outcomes for every demo city with two rounds; their number."""
    rounds: dict[int, list[Assessment]] = {}
    for a in db.session.scalars(select(Assessment).join(City, City.id == Assessment.city_id)
                                .where(City.is_demo.is_(True))
                                .order_by(Assessment.city_id, Assessment.round)):
        rounds.setdefault(a.city_id, []).append(a)
    focal = dict(db.session.execute(select(City.id, City.slug)).all())
    authors: dict[int, int] = {}
    for user_id, city_id in db.session.execute(
            select(User.id, User.city_id).where(User.role == "focal_point").order_by(User.id)):
        authors.setdefault(city_id, user_id)
    means: dict[int, dict[str, Any]] = {}
    commitment_rows: list[dict[str, Any]] = []
    plans: list[tuple[int, list[tuple[date, str]]]] = []
    for city_id, city_rounds in rounds.items():
        if len(city_rounds) < 2:
            continue
        first, second = city_rounds[0], city_rounds[1]
        if first.status != "validated":
            continue
        rng = random.Random(f"{seed}:commitments:{focal[city_id]}")  # noqa: S311 - demo data
        edition = questionnaires.get_edition_by_id(first.edition_id)
        before = scores.stored_indices(first.id)
        after = scores.stored_indices(second.id)
        for edition_id in (first.edition_id, second.edition_id):
            if edition_id not in means:
                means[edition_id] = {d: s.mean for d, s in scores.stored_network(edition_id).items()}
        ranked = sorted((d for d in before if not d.startswith("_") and before[d] is not None),
                        key=lambda d: before[d])
        chosen = ranked[:1] + rng.sample(ranked[1:5], k=rng.choice((0, 1, 1, 2)))
        score = scores.score_of(first)
        start = (first.validated_at or first.updated_at).date() + timedelta(days=30)
        followed = second.status in ("submitted", "validated")
        for dimension_id in chosen:
            weak = sorted((q for q in edition.dimension(dimension_id).questions
                           if score.question(q.id).status == "included"
                           and score.question(q.id).achieved < score.question(q.id).max),
                          key=lambda q: score.question(q.id).achieved / score.question(q.id).max)
            delta = (after.get(dimension_id) - before[dimension_id]
                     if after.get(dimension_id) is not None else None)
            outcome = _outcome(delta, rng) if followed else None
            status = {"done": "done", "dropped": "dropped"}.get(outcome or "", "in_progress")
            target = start + timedelta(days=rng.choice((365, 540, 730)))
            stamp = datetime.combine(start, time(), tzinfo=UTC)
            commitment_rows.append(dict(
                city_id=city_id, assessment_id=first.id,
                title=TITLES.get(dimension_id, f"Act on {dimension_id.replace('_', ' ')}"),
                description="Agreed with the council after the benchmark results.",
                dimension_id=dimension_id, questions=[q.id for q in weak[:rng.choice((1, 2))]],
                department=rng.choice(DEPARTMENTS), owner_id=authors.get(city_id),
                start_date=start, target_date=target, status=status, outcome=outcome,
                outcome_note=OUTCOME_NOTES[outcome] if outcome and outcome != "done" else "",
                outcome_assessment_id=second.id if outcome else None,
                outcome_at=(second.submitted_at or second.updated_at) if outcome else None,
                practices=[], revision=2 + (1 if outcome else 0), created_by_id=authors.get(city_id),
                created_at=stamp, updated_at=stamp))
            notes = sorted(rng.sample(range(1, 300), k=rng.choice((1, 2, 2, 3))))
            plans.append((city_id, [(start + timedelta(days=n), rng.choice(NOTES)) for n in notes]))
    if not commitment_rows:
        return 0
    ids = list(db.session.scalars(insert(Commitment).returning(Commitment.id,
                                                               sort_by_parameter_order=True),
                                  commitment_rows))
    note_rows = [dict(commitment_id=cid, kind="progress", on_date=day, text=text, evidence="",
                      author_id=authors.get(city_id),
                      created_at=datetime.combine(day, time(), tzinfo=UTC))
                 for cid, (city_id, notes) in zip(ids, plans, strict=True) for day, text in notes]
    db.session.execute(insert(CommitmentNote), note_rows)
    return len(ids)
