"""Full-text search with each database's own engine (FTS5, PostgreSQL text search):
French and Arabic words, accents and diacritics, and filters that combine."""

from __future__ import annotations

from benchmark import authz
from benchmark.services import practices
from benchmark.services.practice_search import normalise
from benchmark.services.practices import Filters
from tests.builders import build_city, build_practice


def _titles(filters: Filters) -> set[str]:
    found = practices.search(authz.SYSTEM, filters, limit=50)
    return {next(t.title for t in p.texts if t.language == p.language) for p in found}


def test_normalise_folds_case_accents_and_arabic_variants() -> None:
    assert normalise("Écoles   INTÉGRATION, l'été") == "ecoles integration l ete"
    assert normalise("المدرسةُ أَطفال إلى") == normalise("المدرسه اطفال الي")


def test_a_french_word_finds_the_french_practice_and_an_arabic_word_the_arabic_one(app) -> None:
    lyon = build_city(country="France", population=520_000)
    tunis = build_city(country="Tunisia", population=650_000)
    build_practice(lyon, language="fr", title="Médiation interculturelle dans les écoles",
                   summary="Des médiateurs accompagnent les familles nouvellement arrivées.")
    build_practice(tunis, language="ar", title="مجالس الأحياء المتعددة الثقافات",
                   summary="يلتقي السكان الجدد والقدامى كل شهر في مكتبة الحي.")
    build_practice(lyon, language="en", title="Welcome desk",
                   summary="A one-stop desk for newcomers at the town hall.")
    assert _titles(Filters(q="médiateurs")) == {"Médiation interculturelle dans les écoles"}
    assert _titles(Filters(q="ecoles")) == {"Médiation interculturelle dans les écoles"}
    assert _titles(Filters(q="مكتبة")) == {"مجالس الأحياء المتعددة الثقافات"}
    assert _titles(Filters(q="الاحياء")) == {"مجالس الأحياء المتعددة الثقافات"}  # hamza folded
    assert _titles(Filters(q="newcomer")) == {"Welcome desk"}  # a word's start


def test_filters_combine_with_words(app) -> None:
    small = build_city(country="Portugal", population=80_000)
    big = build_city(country="Portugal", population=1_200_000)
    other = build_city(country="Norway", population=80_000)
    build_practice(small, title="Library language cafés", summary="Conversation in libraries.",
                   questions=("language_01",), start_year=2018, end_year=2020)
    build_practice(big, title="Library outreach", summary="Libraries go to markets.",
                   questions=("language_01",), start_year=2021)
    build_practice(other, title="Library mentors", summary="Libraries pair mentors.",
                   questions=("education_01",), start_year=2019)
    assert _titles(Filters(q="library", country="Portugal")) == {
        "Library language cafés", "Library outreach"}
    assert _titles(Filters(q="library", country="Portugal", size="pop-0-100k")) == {
        "Library language cafés"}
    assert _titles(Filters(q="library", dimension="language", year=2022)) == {"Library outreach"}
    assert _titles(Filters(question="education_01", language="en")) == {"Library mentors"}
    assert _titles(Filters(q="library", language="fr")) == set()


def test_drafts_are_found_only_by_their_city_and_staff(app) -> None:
    city = build_city()
    build_practice(city, status="draft", title="Draft welcome plan", summary="Plan.")
    from benchmark.services import accounts
    from tests.builders import build_user

    own = accounts.actor_for(build_user("focal_point", city))
    stranger = accounts.actor_for(build_user("focal_point"))
    assert len(practices.search(own, Filters(q="welcome", own=True))) == 1
    assert practices.search(stranger, Filters(q="welcome", status="draft")) == []


def test_a_filter_with_a_control_character_is_refused_not_a_server_error(app, client) -> None:
    from tests.builders import api_token, build_user, login

    user = build_user("staff")
    headers = api_token(user)
    assert client.get("/api/v1/practices?country=Fr%00ance", headers=headers).status_code == 422
    login(client, user)
    assert client.get("/practices?city=a%00b").status_code == 422


def test_the_browse_page_is_paged_on_the_server(app, client) -> None:
    import re

    from tests.builders import build_user, login

    city = build_city()
    for n in range(23):
        build_practice(city, title=f"Paged practice {n:02d}")
    login(client, build_user("staff"))
    first = client.get("/practices").get_data(as_text=True)
    assert first.count("Paged practice") == 20
    more = re.search(r'href="([^"]+)" rel="next"', first)
    assert more is not None
    second = client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert second.count("Paged practice") == 3 and 'rel="next"' not in second
    assert client.get("/practices?after=yesterday~1").status_code == 400
