"""Benchmark: full-text search over 5,000 good practices, on SQLite (FTS5) and PostgreSQL
(GIN over to_tsvector('simple', …)), as a ratio to a plain indexed lookup in the same run.

Both calls are the same service call (`practices.search`, one page of 20 with its texts,
topics and cities): the search with two words (French, accents folded) against the list
filtered by question (an index on practice_questions). Target: ratio ≤ 3, so search costs
about what browsing does. For information: the same words as a `LIKE '%…%'` scan of every
practice's text, which is what the full-text index saves.
"""

from __future__ import annotations

import random
import statistics

from sqlalchemy import func, insert, select

from benchmark import authz
from benchmark.extensions import db
from benchmark.models import (
    Practice,
    PracticeDimension,
    PracticeQuestion,
    PracticeText,
    utcnow,
)
from benchmark.services import practice_search, practices
from benchmark.services.practices import Filters
from tests.builders import build_city, build_edition
from tests.perf.harness import Results, interleaved

PRACTICES = 5_000
ROUNDS = 30
WORDS = {
    "en": (
        "library welcome newcomers volunteers district school parents housing mediation "
        "language course employer charter sport league health interpreter grant square "
        "workshop council budget training jobs "
    ),
    "fr": (
        "bibliothèque accueil nouveaux bénévoles quartier école parents logement "
        "médiateurs langue cours employeurs charte sport santé interprète subvention "
        "place atelier conseil budget formation emploi "
    ),
    "ar": (
        "مكتبة ترحيب القادمين متطوعون الحي مدرسة أولياء سكن وساطة اللغة دروس أرباب ميثاق "
        "رياضة صحة مترجم منحة ساحة ورشة مجلس ميزانية تدريب "
    ),
}
#: A word in 0.5 % of the practices (a selective search).
RARE = {"en": "Vauclère", "fr": "Vauclère", "ar": "Vauclère"}
QUESTIONS = ("language_01", "education_01", "commitment_01", "commitment_03", "education_02")


def _fill(rng: random.Random) -> None:
    cities = [build_city(population=rng.choice([80_000, 200_000, 700_000])).id for _ in range(40)]
    now = utcnow()
    rows, texts, dims, qs = [], [], [], []
    first = (db.session.scalar(select(func.max(Practice.id))) or 0) + 1
    for n in range(PRACTICES):
        lang = rng.choice(("en", "en", "fr", "ar"))
        words = WORDS[lang].split()
        title = " ".join(rng.sample(words, 4)).capitalize()
        summary = " ".join(rng.choice(words) for _ in range(30))
        description = " ".join(rng.choice(words) for _ in range(150))
        if n % 200 == 7:  # 25 practices mention the rare word the selective search looks for
            description += " " + RARE[lang]
        question = rng.choice(QUESTIONS)
        pid = first + n
        rows.append(dict(id=pid, city_id=rng.choice(cities), status="published", language=lang,
                         department="", partners="", links=[], contact="", return_message="",
                         search_text=practice_search.document([(title, summary, description, "")],
                                                              []),
                         revision=1, created_at=now, updated_at=now, published_at=now))
        texts.append(dict(practice_id=pid, language=lang, title=title, summary=summary,
                          description=description, results=""))
        dims.append(dict(practice_id=pid, dimension_id=question.rsplit("_", 1)[0]))
        qs.append(dict(practice_id=pid, question_id=question))
    for table, values in ((Practice, rows), (PracticeText, texts), (PracticeDimension, dims),
                          (PracticeQuestion, qs)):
        for start in range(0, len(values), 1000):
            db.session.execute(insert(table), values[start:start + 1000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(db.text("ANALYZE practices"))
        db.session.commit()


def test_search_over_five_thousand_practices(app, backend: str, results: Results) -> None:
    build_edition()
    _fill(random.Random(15))
    actor = authz.SYSTEM
    common = Filters(q="médiateurs quartier", status="published")
    rare = Filters(q="vauclere", status="published")
    listed = Filters(question="language_01", status="published")
    assert len(practices.search(actor, common, limit=20)) == 21  # a full page and more
    assert len(practices.search(actor, rare, limit=50)) == 25

    def page(filters: Filters) -> None:
        practices.search(actor, filters, limit=20)
        db.session.rollback()

    for name, filters in (("two common words", common), ("one rare word", rare)):
        a, b = interleaved(lambda f=filters: page(f), lambda: page(listed), ROUNDS, warmup=2)
        results.record(f"practice search, 5,000 practices: {name} ({backend})",
                       statistics.median(a) * 1000, "ms", baseline=statistics.median(b) * 1000,
                       target="ratio <= 3",
                       note="baseline: the same page of 20 filtered by question (indexed)")

    def ids(condition: object) -> None:
        db.session.scalars(select(Practice.id).where(condition).order_by(  # type: ignore[arg-type]
            Practice.updated_at.desc(), Practice.id.desc()).limit(21)).all()
        db.session.rollback()

    indexed = Practice.id.in_(select(PracticeQuestion.practice_id)
                              .where(PracticeQuestion.question_id == "language_01"))
    matched = practice_search.matches(practice_search.terms(rare.q))
    scan = Practice.search_text.like("%vauclere%")
    c, d = interleaved(lambda: ids(matched), lambda: ids(indexed), ROUNDS, warmup=2)
    results.record(f"  ids only: full-text match of the rare word ({backend})",
                   statistics.median(c) * 1000, "ms", baseline=statistics.median(d) * 1000,
                   note="baseline: ids by question (indexed)")
    e, f = interleaved(lambda: ids(scan), lambda: ids(indexed), ROUNDS, warmup=2)
    results.record(f"  ids only: the same word as a LIKE scan, for comparison ({backend})",
                   statistics.median(e) * 1000, "ms", baseline=statistics.median(f) * 1000)
