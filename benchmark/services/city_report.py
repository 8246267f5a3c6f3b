"""Assemble everything a city is told about one assessment, as the reporting model.

The results page and the PDF report render the same CityReport, so they cannot
disagree; its numbers come from the scoring engine (comparison, trends, priorities).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select

from benchmark import workflow
from benchmark.extensions import db
from benchmark.models import OVERALL, Answer, Assessment, NetworkStatistic, ReviewComment
from benchmark.questionnaire import Questionnaire, localize
from benchmark.reporting import model as rm
from benchmark.reporting import words
from benchmark.scoring import AssessmentScore, Comparison, ComparisonRow
from benchmark.scoring.priorities import achievement_shares, priorities
from benchmark.scoring.trends import (
    RoundResult,
    comparable_scores,
    crossings,
    previous_mapping,
    trend,
)
from benchmark.services import practice_links, questionnaires, scores

_shares_cache: dict[tuple[int, object], dict[str, float]] = {}
_shares_lock = threading.Lock()


def _row(label: str, row: ComparisonRow) -> rm.IndexRow:
    return rm.IndexRow(
        label=label, index=row.index, network_average=row.network_average,
        network_n=row.network_n, peer_average=row.peer_average, peer_n=row.peer_n,
        percentile=row.percentile,
        withheld_reason=row.withheld_reason,
    )


def achievement_shares_of(edition_id: int, edition: Questionnaire) -> dict[str, float]:
    """Share of the network's validated cities achieving full points, per question (cached)."""
    stamp = db.session.scalar(select(func.max(NetworkStatistic.computed_at))
                              .where(NetworkStatistic.edition_id == edition_id))
    key = (edition_id, stamp)
    with _shares_lock:
        if key in _shares_cache:
            return _shares_cache[key]
    by_assessment = scores.answers_of_many(scores.latest_validated_ids(edition_id))
    shares = achievement_shares(edition, list(by_assessment.values()))
    with _shares_lock:
        _shares_cache.clear()  # only the newest network state of each edition is worth keeping
        _shares_cache[key] = shares
    return shares


def _question_lines(edition: Questionnaire, dimension_id: str, score: AssessmentScore,
                    answers: dict[str, Answer], shares: dict[str, float], lang: str,
                    programme_comments: dict[str, tuple[str, ...]],
                    ) -> tuple[rm.QuestionLine, ...]:
    lines = []
    for q in edition.dimension(dimension_id).questions:
        row = score.question(q.id)
        answer = answers.get(q.id)
        given = answer is not None and answer.confirmed and (answer.na or answer.value is not None)
        # Not applicable and unanswered questions show their status (the edge's words).
        text = (words.answer_text(q, answer.value, False, lang)
                if given and answer is not None and not answer.na else "")
        status = row.status
        if status == "included" and not given:
            status = "unanswered"
        included = row.status == "included"
        lines.append(rm.QuestionLine(
            id=q.id, text=localize(q.text, lang), answer_text=text,
            points=row.achieved if included else None, max_points=row.max if included else None,
            status=rm.QuestionStatus(status), network_share_achieving=shares.get(q.id),
            evidence=_evidence(answer), comment=answer.comment if answer else "",
            programme_comments=programme_comments.get(q.id, ()),
        ))
    return tuple(lines)


def programme_comments_of(assessment_id: int) -> dict[str, tuple[str, ...]]:
    """Question id → the review comments a reviewer chose to show in the report, oldest
    first (``ReviewComment.in_report``)."""
    found: dict[str, list[str]] = {}
    for question_id, body in db.session.execute(
            select(ReviewComment.question_id, ReviewComment.body)
            .where(ReviewComment.assessment_id == assessment_id,
                   ReviewComment.in_report.is_(True), ReviewComment.question_id.is_not(None))
            .order_by(ReviewComment.created_at, ReviewComment.id)):
        found.setdefault(question_id, []).append(body)
    return {k: tuple(v) for k, v in found.items()}


def _evidence(answer: Answer | None) -> str:
    if answer is None:
        return ""
    parts = [answer.evidence.strip(), answer.evidence_url.strip(),
             str(answer.evidence_year) if answer.evidence_year else ""]
    return " · ".join(p for p in parts if p)


def earlier_rounds(assessment: Assessment) -> Any:
    """Which earlier rounds the report of `assessment` shows (trends), as a condition on
    Assessment: the city's validated rounds (any edition) up to its own. The report's
    cache key (reports.report_inputs) reads the same rounds."""
    return ((Assessment.city_id == assessment.city_id) & (Assessment.id != assessment.id)
            & (Assessment.status == workflow.VALIDATED) & (Assessment.round <= assessment.round))


def _rounds(assessment: Assessment) -> list[Assessment]:
    """The city's earlier validated rounds (any edition), oldest first."""
    return list(db.session.scalars(
        select(Assessment).where(earlier_rounds(assessment))
        .order_by(Assessment.round, Assessment.id)
    ))


def _trends(assessment: Assessment, edition: Questionnaire, score: AssessmentScore,
            earlier: list[Assessment]) -> tuple[list[rm.TrendPoint], rm.Change | None]:
    """Each round's indices as published, and the change since the previous round.

    A round is shown as its own report showed it (scored in full on its own edition);
    the change comes from `scoring.trends.trend`, computed on the comparable subset of
    mapped questions when the previous round was on another edition.
    """
    current = rm.TrendPoint(assessment.round, edition.version, score.overall, score.indices)
    if not earlier:
        return [current], None
    points: list[rm.TrendPoint] = []
    past_scores = {}
    for past in earlier:
        past_edition = questionnaires.get_edition_by_id(past.edition_id)
        past_scores[past.id] = past_score = scores.score_of(past)
        points.append(rm.TrendPoint(past.round, past_edition.version, past_score.overall,
                                    past_score.indices,
                                    comparable_subset=past.edition_id != assessment.edition_id))
    points.append(current)
    previous = earlier[-1]
    previous_edition = questionnaires.get_edition_by_id(previous.edition_id)
    if previous.edition_id == assessment.edition_id:
        before = RoundResult.from_score(previous.round, past_scores[previous.id])
        now = RoundResult.from_score(assessment.round, score)
    else:
        pair = comparable_scores(
            previous_edition, scores.answers_of(previous.id), edition,
            scores.answers_of(assessment.id), previous_mapping(edition, previous_edition.version),
            provisional=score.provisional)
        before = RoundResult.from_score(previous.round, pair.previous, comparable_subset=True)
        now = RoundResult.from_score(assessment.round, pair.current, comparable_subset=True)
    found = trend(before, now)
    change = rm.Change(
        previous_round=found.previous_round, previous_version=previous_edition.version,
        overall_delta=found.overall.delta,
        dimension_deltas={c.id: c.delta for c in found.dimensions if c.id in score.indices},
        comparable_subset=found.comparable_subset,
    )
    return points, change


def _crossings(assessment: Assessment, edition: Questionnaire, score: AssessmentScore,
               earlier: list[Assessment], lang: str) -> list[rm.Crossing]:
    if not earlier:
        return []
    last = earlier[-1]
    last_score = scores.score_of(last)
    found = crossings(
        RoundResult.from_score(last.round, last_score,
                               network=scores.stored_statistics(last.edition_id, last_score.indices)),
        RoundResult.from_score(assessment.round, score,
                               network=scores.stored_statistics(assessment.edition_id, score.indices)),
    )
    return [rm.Crossing(c.dimension, localize(edition.dimension(c.dimension).title, lang),
                        c.direction == "above") for c in found]


def _priorities(edition: Questionnaire, score: AssessmentScore, shares: dict[str, float],
                lang: str) -> list[rm.Priority]:
    """Top improvement priorities; gains expressed on the overall index, as the report says."""
    weights = {d.id: d.weight for d in edition.dimensions if score.dimension(d.id).index is not None}
    total = sum(weights.values()) or 1.0
    found = []
    for p in priorities(edition, score, shares, limit=10):
        dimension = edition.dimension(p.dimension_id)
        found.append(rm.Priority(
            question_id=p.question_id, question_text=localize(edition.question(p.question_id).text, lang),
            dimension_id=p.dimension_id, dimension_title=localize(dimension.title, lang),
            potential_gain=p.potential_gain * weights.get(p.dimension_id, 0.0) / total,
            network_share=p.network_share,
        ))
    return found


def groups_of(row: ComparisonRow, lang: str) -> tuple[rm.GroupComparison, ...]:
    """The row's comparison groups for the report, labelled in `lang`."""
    return tuple(rm.GroupComparison(kind=g.kind, label=words.group_label(g.kind, g.key, lang),
                                    average=g.average, n=g.n, rank=g.rank,
                                    withheld_reason=g.withheld_reason) for g in row.groups)


def _index(score: AssessmentScore, dimension_id: str) -> float | None:
    try:
        return score.dimension(dimension_id).index
    except KeyError:  # a dimension the other edition does not have
        return None


def _commitment_lines(assessment: Assessment, edition: Questionnaire, score: AssessmentScore,
                      lang: str) -> list[rm.CommitmentLine]:
    """The commitments followed up in this round, with their dimension's and questions' change."""
    from benchmark.services.commitment_followup import due, targets

    network_now = scores.stored_network(assessment.edition_id)
    lines = []
    for c in due(assessment):
        source = c.assessment
        source_edition = questionnaires.get_edition_by_id(source.edition_id)
        before = scores.score_of(source)
        dimension_now, questions_now = targets(c, edition)
        index_before = _index(before, c.dimension_id)
        index_after = _index(score, dimension_now)
        stat_before = scores.stored_network(source.edition_id).get(c.dimension_id)
        stat_now = network_now.get(dimension_now)
        avg_before = stat_before.mean if stat_before else None
        avg_now = stat_now.mean if stat_now else None
        found = crossings(
            RoundResult(source.round, source_edition.version, None, {"d": index_before},
                        network_averages={"d": avg_before}),
            RoundResult(assessment.round, edition.version, None, {"d": index_after},
                        network_averages={"d": avg_now}))
        pairs = dict(zip(c.questions or (), questions_now, strict=False)) \
            if source_edition.version != edition.version else {q: q for q in c.questions or ()}
        changes = []
        for qid in c.questions or ():
            q_before = before.question(qid)
            now_id = pairs.get(qid)
            q_after = score.question(now_id) if now_id else None
            included_before = q_before.status == "included"
            included_after = q_after is not None and q_after.status == "included"
            changes.append(rm.QuestionChange(
                id=now_id or qid,
                text=localize((edition.find_question(now_id) if now_id else None
                               or source_edition.question(qid)).text, lang),
                points_before=q_before.achieved if included_before else None,
                points_after=q_after.achieved if included_after else None,
                max_points=(q_after.max if included_after else
                            q_before.max if included_before else None)))
        dimension = next((d for d in edition.dimensions if d.id == dimension_now), None)
        lines.append(rm.CommitmentLine(
            title=c.title, from_round=source.round, dimension_id=dimension_now,
            dimension_title=localize(dimension.title, lang) if dimension else dimension_now,
            status=c.status, outcome=c.outcome, outcome_note=c.outcome_note,
            index_before=index_before, index_after=index_after, network_before=avg_before,
            network_after=avg_now, crossing=found[0].direction if found else None,
            questions=tuple(changes)))
    return lines


def _with_practices(assessment: Assessment, edition: Questionnaire,
                    found: list[rm.Priority], lang: str) -> list[rm.Priority]:
    """Each priority with up to three published practices of other cities answering it."""
    linked = practice_links.for_priorities(assessment, edition,
                                           [p.question_id for p in found], lang)
    return [replace(p, practices=linked.get(p.question_id, ())) for p in found]


def build(assessment: Assessment, lang: str, today: date) -> rm.CityReport:
    """The full report model of an assessment in `lang` (authorisation is the caller's)."""
    edition = scores.edition_of(assessment)
    score = scores.score_of(assessment)
    network = scores.network_index(assessment.edition_id)
    comparison: Comparison = scores.comparison(assessment, score, network)
    shares = achievement_shares_of(assessment.edition_id, edition)
    answers = {a.question_id: a for a in db.session.scalars(
        select(Answer).where(Answer.assessment_id == assessment.id))}
    programme_comments = programme_comments_of(assessment.id)
    peer_group = scores.peer_group_of(assessment)
    rows = {r.id: r for r in comparison.dimensions}
    learn_from = {d.id: network.peers_to_learn_from(d.id, peer_group=peer_group,
                                                    exclude_city=assessment.city.slug,
                                                    better_than=rows[d.id].index)
                  for d in edition.dimensions}
    practice_counts = practice_links.peers_with_practices(
        (r.city, dimension_id) for dimension_id, found in learn_from.items() for r in found)
    dimensions = []
    for d in edition.dimensions:
        dimensions.append(rm.DimensionSection(
            id=d.id, title=localize(d.title, lang), row=_row(localize(d.title, lang), rows[d.id]),
            questions=_question_lines(edition, d.id, score, answers, shares, lang,
                                      programme_comments),
            peers_to_learn_from=tuple(r.city_name or r.city for r in learn_from[d.id]),
            peer_practices=tuple(
                rm.PeerPractices(r.city_name or r.city, r.city, practice_counts[(r.city, d.id)])
                for r in learn_from[d.id] if (r.city, d.id) in practice_counts),
        ))
    earlier = _rounds(assessment)
    trend_points, change = _trends(assessment, edition, score, earlier)
    stats = scores.stored_network(assessment.edition_id)
    overall_stat = stats.get(OVERALL)
    data_date = overall_stat.computed_at.date() if overall_stat else today
    row = questionnaires.find_row(edition.version)
    return rm.CityReport(
        city_name=assessment.city.name, country=assessment.city.country,
        edition_version=edition.version, edition_title=localize(edition.title, lang),
        round=assessment.round, status=assessment.status, generated_on=today, language=lang,
        provisional=assessment.status != workflow.VALIDATED,
        overall=_row("overall", comparison.overall), dimensions=tuple(dimensions),
        methodology=rm.Methodology(
            k_anonymity=scores.k_anonymity(), network_n=comparison.overall.network_n,
            data_date=data_date, edition_version=edition.version,
            edition_title=localize(edition.title, lang), peer_group=peer_group,
            question_count=row.question_count if row else len(edition.scored_questions),
            dimension_count=len(edition.dimensions),
        ),
        change=change, rank_band=rm.RankBand.from_percentile(comparison.overall.percentile),
        trends=tuple(trend_points),
        crossings=tuple(_crossings(assessment, edition, score, earlier, lang)),
        priorities=tuple(_with_practices(assessment, edition,
                                         _priorities(edition, score, shares, lang), lang)),
        groups=groups_of(comparison.overall, lang),
        commitments=tuple(_commitment_lines(assessment, edition, score, lang)),
    )
