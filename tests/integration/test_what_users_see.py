"""What a new user tripped over (issue 14), each asserted as the user sees it."""

from __future__ import annotations

import re
from datetime import timedelta

from benchmark.extensions import db
from benchmark.models import AuditEvent, utcnow
from benchmark.services import audit
from tests.builders import (
    api_token,
    build_assessment,
    build_city,
    build_edition,
    build_user,
    csrf_token,
    login,
)
from tests.integration.conftest import COMPLETE_2019


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


# -- filling in ----------------------------------------------------------------------------------

def test_last_change_on_the_city_page_ignores_a_report_download(client) -> None:
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city, email="focal@lyon.example")
    focal.name = "Inès Martin"
    db.session.commit()
    assessment = build_assessment(city, version="2019", round=2026)
    audit.record(None, "answer_saved", target=assessment, user_id=focal.id)
    db.session.flush()
    downloaded = audit.record(None, "report_download", target=assessment,
                              user_id=build_user("staff", email="staff@example.org").id)
    downloaded.at = utcnow() + timedelta(hours=2)
    db.session.commit()
    login(client, focal)
    html = _text(client.get("/city"))
    row = html[html.index("Round 2026"):]
    assert "Inès Martin" in row.split("</tr>")[0]
    assert "staff@example.org" not in html


def test_start_another_assessment_offers_the_next_free_round(client) -> None:
    build_edition("2024")
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city)
    year = utcnow().year
    build_assessment(city, version="2024", round=year)
    build_assessment(city, version="2024", round=year + 1)
    login(client, focal)
    html = _text(client.get("/city"))
    assert "Start another assessment" in html
    assert f'id="start-round" name="round" value="{year + 2}"' in html


def test_saving_a_page_already_autosaved_says_it_is_saved(client) -> None:
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city)
    assessment = build_assessment(city, version="2019", round=2026)
    login(client, focal)
    url = f"/assessments/{assessment.id}/dimensions/language"
    token = csrf_token(client, url)
    first = client.post(url, data={"csrf_token": token, "language_01:revision": "0",
                                   "language_01:value": "yes", "language_02:revision": "0"},
                        follow_redirects=True)
    assert "Saved 1 answer." in _text(first)
    again = client.post(url, data={"csrf_token": token, "language_01:revision": "1",
                                   "language_01:value": "yes", "language_02:revision": "0"},
                        follow_redirects=True)
    assert "All your answers on this page are saved." in _text(again)
    assert "No changes to save" not in _text(again)


def test_dates_on_a_page_follow_the_language(client) -> None:
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city)
    assessment = build_assessment(city, version="2019", round=2026, answers={"language_01": "yes"})
    assessment.submitted_at = utcnow().replace(year=2026, month=3, day=4)
    assessment.status = "returned"
    db.session.commit()
    login(client, focal)
    english = _text(client.get(f"/assessments/{assessment.id}"))
    assert "Submitted Mar 4, 2026" in english
    client.get("/language/fr")
    assert "4 mars 2026" in _text(client.get(f"/assessments/{assessment.id}"))


def test_each_role_lands_on_its_work_after_logging_in(client, app) -> None:
    city = build_city("lyon", name="Lyon")
    build_assessment(city, version="2019", round=2024, status="validated")
    current = build_assessment(city, version="2019", round=2026)
    expected = {
        build_user("focal_point", city): f"/assessments/{current.id}",
        build_user("contributor", city, dimensions=["education"]): f"/assessments/{current.id}",
        build_user("staff"): "/review",
        build_user("admin"): "/admin/",
    }
    for user, landing in expected.items():
        browser = app.test_client()
        assert login(browser, user).headers["Location"] == landing, user.role
    focal_page = _text(app.test_client().get("/login"))
    assert "Log in" in focal_page
    browser = app.test_client()
    login(browser, next(iter(expected)))
    overview = _text(browser.get(f"/assessments/{current.id}"))
    assert "Continue" in overview and "0 of " in overview


def test_the_administration_home_counts_the_work_waiting(client) -> None:
    build_assessment(build_city("porto", name="Porto"), status="submitted", answers=COMPLETE_2019)
    login(client, build_user("admin"))
    html = _text(client.get("/admin/"))
    assert "1 assessment awaiting review" in html
    assert "Invite a user" in html


# -- reviewing -----------------------------------------------------------------------------------

def _submitted(city, round_=2026):  # type: ignore[no-untyped-def]
    return build_assessment(city, version="2019", round=round_, status="submitted",
                            answers=COMPLETE_2019)


def test_the_review_page_has_jump_links_to_each_dimension_and_the_decision(client) -> None:
    a = _submitted(build_city("lyon", name="Lyon"))
    login(client, build_user("staff"))
    html = _text(client.get(f"/review/{a.id}"))
    nav = html[html.index('class="review-contents"'):]
    nav = nav[:nav.index("</nav>")]
    assert 'href="#decision-title"' in nav
    assert 'href="#dim-commitment"' in nav and 'href="#dim-language"' in nav
    assert html.count("Back to the decision") == 3  # one after each dimension


def test_after_add_comment_the_reviewer_returns_to_that_question(client) -> None:
    a = _submitted(build_city("lyon", name="Lyon"))
    login(client, build_user("staff"))
    token = csrf_token(client, f"/review/{a.id}")
    response = client.post(f"/review/{a.id}/comments", data={
        "csrf_token": token, "question_id": "education_01", "body": "Source?"})
    assert response.headers["Location"] == f"/review/{a.id}#q-education_01"


def test_an_empty_return_message_is_named_in_the_error_summary(client) -> None:
    a = _submitted(build_city("lyon", name="Lyon"))
    login(client, build_user("staff"))
    token = csrf_token(client, f"/review/{a.id}")
    response = client.post(f"/review/{a.id}/return", data={"csrf_token": token, "comment": " "})
    assert response.status_code == 422
    html = _text(response)
    summary = html[html.index('class="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert re.search(r'<a href="#return-comment">Message to the city: [^<]+</a>', summary), summary
    assert 'aria-invalid="true"' in html


def test_validate_asks_for_confirmation_first(client) -> None:
    a = _submitted(build_city("lyon", name="Lyon"))
    login(client, build_user("staff"))
    review = _text(client.get(f"/review/{a.id}"))
    assert f'href="/review/{a.id}/validate"' in review
    assert f'action="/review/{a.id}/validate"' not in review
    confirm = _text(client.get(f"/review/{a.id}/validate"))
    assert "Validate Lyon, round 2026?" in confirm and "Yes, validate" in confirm
    token = csrf_token(client, f"/review/{a.id}/validate")
    client.post(f"/review/{a.id}/validate", data={"csrf_token": token})
    assert "Validated" in _text(client.get(f"/review/{a.id}"))


def test_compare_with_the_previous_round_only_when_there_is_one(client) -> None:
    city = build_city("lyon", name="Lyon")
    first = _submitted(city, 2022)
    login(client, build_user("staff"))
    assert "Compare with the previous round" not in _text(client.get(f"/review/{first.id}"))
    first.status = "validated"
    db.session.commit()
    second = _submitted(city, 2026)
    assert "Compare with the previous round (2022)" in _text(client.get(f"/review/{second.id}"))


def test_review_messages_show_words_not_workflow_codes(client) -> None:
    city = build_city("lyon", name="Lyon")
    a = _submitted(city)
    staff = build_user("staff")
    login(client, staff)
    token = csrf_token(client, f"/review/{a.id}")
    client.post(f"/review/{a.id}/return", data={"csrf_token": token, "comment": "Fix 2.1"})
    html = _text(client.get(f"/review/{a.id}"))
    assert '<p class="comment-kind">Returned for changes ·' in html
    assert '<p class="comment-kind">return ·' not in html


# -- small things that looked unfinished -----------------------------------------------------------

def test_the_tokens_page_shows_the_whole_header_to_send(client) -> None:
    login(client, build_user("staff"))
    html = _text(client.get("/account/tokens"))
    assert "“Authorization: Bearer &lt;token&gt;”" in html


def test_the_audit_log_shows_actions_and_targets_in_words(client) -> None:
    city = build_city("lyon", name="Lyon")
    assessment = build_assessment(city)
    audit.record(None, "answer_saved", target=assessment)
    audit.record(None, "report_download", target=assessment)
    db.session.commit()
    login(client, build_user("admin"))
    client.get("/language/fr")
    html = _text(client.get("/admin/audit"))
    assert "answer_saved" not in html.split("<tbody>")[1]
    assert "report_download" not in html.split("<tbody>")[1]
    assert db.session.query(AuditEvent).count() >= 2


def test_every_audit_action_the_code_writes_reads_as_words_in_arabic(client) -> None:
    from tests.unit.test_audit_words import written_codes

    codes, _ = written_codes()
    for code in sorted(codes):
        audit.record(None, code)
    db.session.commit()
    login(client, build_user("admin"))
    client.get("/language/ar")
    rows = _text(client.get("/admin/audit")).split("<tbody>")[1].split("</tbody>")[0]
    actions = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[3] for row in rows.split("<tr")[1:]]
    assert len(actions) == len(codes) + 1  # and the administrator's own login
    assert sorted(set(actions) & codes) == []


def test_favicon_is_served(client) -> None:
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_api_docs_show_code_not_backticks(client) -> None:
    html = _text(client.get("/api/docs"))
    main = html[html.index("<main"):]
    prose = re.sub(r"<pre>.*?</pre>", "", main, flags=re.S)  # the schemas' JSON, shown as is
    assert "`" not in prose
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in main


def test_counts_use_plural_forms(client) -> None:
    city = build_city("lyon", name="Lyon")
    focal = build_user("focal_point", city)
    answers = dict(COMPLETE_2019)
    del answers["language_02"]
    assessment = build_assessment(city, version="2019", round=2026, answers=answers)
    response = client.post(f"/api/v1/assessments/{assessment.id}/submit", headers=api_token(focal))
    assert response.status_code == 422
    assert response.json["error"]["message"] == (
        "1 question still needs attention before you can submit.")


def test_arabic_plurals_are_arabic_for_every_count(app) -> None:
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/"), force_locale("ar"):
        for n in (0, 1, 2, 5, 11, 100):
            text = ngettext("%(num)d answer changed.", "%(num)d answers changed.", n)
            assert "changed" not in text, (n, text)


def test_the_invitation_page_shows_the_name_the_administrator_typed(app, client) -> None:
    from tests.integration.security.helpers import form_token, link_in, outbox, sign_in

    build_city("lyon", name="Lyon")
    sign_in(client, build_user("admin"))
    client.post("/admin/users/invite", data={
        "email": "amira@lyon.example", "name": "Amira Haddad", "role": "focal_point",
        "city": "Lyon", "language": "en", "csrf_token": form_token(client, "/admin/users/invite")})
    [mail] = outbox(app)
    html = _text(app.test_client().get(link_in(mail)))
    assert 'value="Amira Haddad"' in html


def test_run_py_points_emailed_links_at_the_server_it_starts(monkeypatch, tmp_path) -> None:
    import os

    import run

    started = {}
    for name in ("BENCHMARK_BASE_URL", "BENCHMARK_ENV"):  # restored to their state after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.setenv("BENCHMARK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr("werkzeug.serving.run_simple",
                        lambda host, port, app, **_: started.update(url=app.config["BASE_URL"]))
    run.serve_development("127.0.0.1", 5102)
    assert started["url"] == "http://127.0.0.1:5102"
    assert os.environ["BENCHMARK_BASE_URL"] == "http://127.0.0.1:5102"


def test_the_cities_table_names_peer_groups_in_words(client) -> None:
    build_city("lyon", name="Lyon", population=80_000, foreign_born_share=35.0)
    login(client, build_user("admin"))
    html = _text(client.get("/admin/cities"))
    assert "pop-0-100k" not in html
    assert "foreign-born" in html


def test_the_menu_marks_one_current_page(client) -> None:
    login(client, build_user("staff"))
    html = _text(client.get("/network/commitments"))
    current = r'<a href="([^"]+)" aria-current="page">'
    assert re.findall(current, html) == ["/network/commitments"]
    assert re.findall(current, _text(client.get("/network"))) == ["/network"]
