"""Hand-built report models for the reporting tests (no app, no database)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from benchmark.reporting.model import (
    Change,
    CityReport,
    Crossing,
    DimensionSection,
    Distribution,
    EditionChange,
    IndexRow,
    Methodology,
    NetworkCity,
    NetworkReport,
    Priority,
    QuestionLine,
    QuestionStatus,
    RankBand,
    TrendPoint,
)

DIMENSIONS = {
    "commitment": ("Commitment", "Engagement", "الالتزام"),
    "education": ("Education", "Éducation", "التعليم"),
    "neighbourhoods": ("Neighbourhoods", "Quartiers", "الأحياء"),
    "public_services": ("Public services", "Services publics", "الخدمات العامة"),
    "business": ("Business and labour market", "Entreprises et marché du travail",
                 "الأعمال وسوق العمل"),
    "cultural_life": ("Cultural and civil life", "Vie culturelle et civile",
                      "الحياة الثقافية والمدنية"),
    "public_space": ("Public space", "Espace public", "الفضاء العام"),
    "mediation": ("Mediation and conflict resolution", "Médiation et résolution des conflits",
                  "الوساطة وحل النزاعات"),
    "language": ("Language", "Langues", "اللغة"),
    "media": ("Media and communication", "Médias et communication", "الإعلام والاتصال"),
    "international": ("International outlook", "Ouverture internationale",
                      "الانفتاح الدولي"),
    "competence": ("Intercultural intelligence and competence",
                   "Intelligence et compétence interculturelles",
                   "الذكاء والكفاءة بين الثقافات"),
}
LANG_INDEX = {"en": 0, "fr": 1, "ar": 2}
QUESTION_TEXT = (
    "Does the city have an action plan for {dim} that includes migrants (item {i})?",
    "La ville a-t-elle un plan d\u2019action pour « {dim} » qui inclut les migrants "
    "(point {i}) ?",
    "هل لدى المدينة خطة عمل في مجال {dim} تشمل المهاجرين (البند {i})؟",
)
ANSWERS = {2: ("Yes", "Oui", "نعم"), 1: ("Partly", "En partie", "جزئيًا"),
           0: ("No", "Non", "لا")}
PEERS = ("Oslo", "Lisboa", "Montréal", "Reggio Emilia", "Botkyrka", "Barcelona")


def title_of(dimension_id: str, lang: str = "en") -> str:
    return DIMENSIONS[dimension_id][LANG_INDEX[lang]]


def build_questions(dimension_id: str, count: int, lang: str,
                    rng: random.Random) -> list[QuestionLine]:
    questions = []
    for i in range(1, count + 1):
        points = rng.choice((0, 1, 2, 2))
        status = QuestionStatus.INCLUDED
        if i == 4:
            status = QuestionStatus.NOT_APPLICABLE
        elif i == 6 and dimension_id == "education":
            status = QuestionStatus.HIDDEN
        lang_i = LANG_INDEX[lang]
        questions.append(QuestionLine(
            id=f"{dimension_id}_{i:02d}",
            text=QUESTION_TEXT[lang_i].format(dim=title_of(dimension_id, lang).lower(), i=i),
            answer_text="" if status is not QuestionStatus.INCLUDED else ANSWERS[points][lang_i],
            points=points if status is QuestionStatus.INCLUDED else None,
            max_points=2 if status is QuestionStatus.INCLUDED else None,
            status=status,
            network_share_achieving=round(rng.uniform(0.1, 0.9), 2),
            evidence=("City council decision 2024/117, https://example.org/plan"
                      if i == 1 else ""),
            comment=("Please attach the adopted plan." if i == 2 and points < 2 else ""),
        ))
    return questions


def build_city_report(*, lang: str = "en", city_name: str = "Lyon",
                      provisional: bool = False, seed: int = 7,
                      **overrides: object) -> CityReport:
    """A 12-dimension, 83-question report with realistic, deterministic values."""
    rng = random.Random(seed)
    dimensions = []
    for number, dimension_id in enumerate(DIMENSIONS):
        index = round(rng.uniform(25, 95), 4)
        network = round(rng.uniform(40, 70), 4)
        peer = round(rng.uniform(40, 75), 4)
        dimensions.append(DimensionSection(
            id=dimension_id,
            title=title_of(dimension_id, lang),
            row=IndexRow(label=title_of(dimension_id, lang), index=index,
                         network_average=network, network_n=97, peer_average=peer,
                         peer_n=12, percentile=rng.uniform(0, 100)),
            questions=build_questions(dimension_id, 6 if number == 11 else 7, lang, rng),
            peers_to_learn_from=tuple(rng.sample(PEERS, 3)),
        ))
    overall = sum(d.row.index for d in dimensions) / len(dimensions)
    lang_i = LANG_INDEX[lang]
    edition_title = ("Intercultural Cities Index", "Index des cités interculturelles",
                     "مؤشر المدن بين الثقافات")[lang_i]
    report = CityReport(
        city_name=city_name,
        country=("France", "France", "فرنسا")[lang_i],
        edition_version="2024",
        edition_title=edition_title,
        round=2026,
        status="draft" if provisional else "validated",
        generated_on=date(2026, 5, 12),
        language=lang,
        provisional=provisional,
        overall=IndexRow(label="overall", index=overall, network_average=55.4321,
                         network_n=97, peer_average=58.049, peer_n=12, percentile=78.0),
        dimensions=tuple(dimensions),
        methodology=Methodology(
            k_anonymity=5, network_n=97, data_date=date(2026, 4, 30),
            edition_version="2024", edition_title=edition_title,
            peer_group="pop-250k-500k.fb-20-30",
            question_count=83, dimension_count=12),
        change=Change(previous_round=2022, previous_version="2019", overall_delta=4.25,
                      dimension_deltas={d.id: round(rng.uniform(-8, 10), 3)
                                        for d in dimensions},
                      comparable_subset=True),
        rank_band=RankBand.TOP_QUARTILE,
        trends=(
            TrendPoint(round=2019, version="2019", overall=48.2,
                       dimensions={d: rng.uniform(20, 80) for d in DIMENSIONS},
                       comparable_subset=True),
            TrendPoint(round=2022, version="2019", overall=overall - 4.25,
                       dimensions={d: rng.uniform(20, 80) for d in DIMENSIONS},
                       comparable_subset=True),
            TrendPoint(round=2026, version="2024", overall=overall,
                       dimensions={d.id: d.row.index for d in dimensions}),
        ),
        crossings=(Crossing("education", title_of("education", lang), now_above=True),
                   Crossing("media", title_of("media", lang), now_above=False)),
        priorities=tuple(
            Priority(question_id=q.id, question_text=q.text, dimension_id=d.id,
                     dimension_title=d.title, potential_gain=round(rng.uniform(0.3, 1.6), 3),
                     network_share=q.network_share_achieving)
            for d in dimensions[:5] for q in d.questions[:1]),
    )
    return replace(report, **overrides) if overrides else report


def build_network_report(*, lang: str = "en", cities: int = 24, seed: int = 3) -> NetworkReport:
    rng = random.Random(seed)
    distributions = []
    for dimension_id in DIMENSIONS:
        values = sorted(rng.uniform(15, 95) for _ in range(cities))
        distributions.append(Distribution(
            id=dimension_id, title=title_of(dimension_id, lang),
            mean=sum(values) / len(values), n=len(values), min=values[0],
            q1=values[len(values) // 4], median=values[len(values) // 2],
            q3=values[3 * len(values) // 4], max=values[-1]))
    city_rows = tuple(
        NetworkCity(name=f"City {i:02d}", country="Country", overall=rng.uniform(30, 85),
                    dimensions={d: rng.uniform(15, 95) for d in DIMENSIONS})
        for i in range(1, cities + 1))
    overall_values = sorted(c.overall for c in city_rows)
    lang_i = LANG_INDEX[lang]
    edition_title = ("Intercultural Cities Index", "Index des cités interculturelles",
                     "مؤشر المدن بين الثقافات")[lang_i]
    return NetworkReport(
        edition_version="2024", edition_title=edition_title,
        generated_on=date(2026, 5, 12), language=lang,
        overall=Distribution(id="overall", title=("Overall index", "Indice global",
                                                  "المؤشر العام")[lang_i],
                             mean=sum(overall_values) / cities, n=cities,
                             min=overall_values[0], q1=overall_values[cities // 4],
                             median=overall_values[cities // 2],
                             q3=overall_values[3 * cities // 4], max=overall_values[-1]),
        distributions=tuple(distributions),
        cities=city_rows,
        methodology=Methodology(k_anonymity=5, network_n=cities, data_date=date(2026, 4, 30),
                                edition_version="2024", edition_title=edition_title,
                                question_count=83, dimension_count=12),
        previous_version="2019",
        changes=tuple(EditionChange(id=d.id, title=d.title,
                                    previous_mean=d.mean - rng.uniform(-5, 8), mean=d.mean)
                      for d in distributions),
    )
