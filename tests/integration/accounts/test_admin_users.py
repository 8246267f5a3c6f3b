"""Administration of users through the pages, as an administrator would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from tests.builders import build_city, build_user, get_user
from tests.integration.security.helpers import post_form, sign_in


def test_users_list_filters(admin_client) -> None:
    city = build_city(name="Zurich")
    build_user("focal_point", city, email="anna@zurich.example")
    build_user("staff", email="bob@programme.example")
    build_user("contributor", email="gone@zurich.example", is_active=False, city=city)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "anna@zurich.example" in page and "bob@programme.example" in page
    by_city = admin_client.get("/admin/users?city=zUR").get_data(as_text=True)  # part of the name, any case
    assert "anna@zurich.example" in by_city and "bob@programme.example" not in by_city
    assert 'value="zUR"' in by_city and "Zurich" in by_city
    by_role = admin_client.get("/admin/users?role=staff").get_data(as_text=True)
    assert "bob@programme.example" in by_role and "anna@zurich.example" not in by_role
    inactive = admin_client.get("/admin/users?active=no").get_data(as_text=True)
    assert "gone@zurich.example" in inactive and "anna@" not in inactive
    search = admin_client.get("/admin/users?q=ANNA").get_data(as_text=True)
    assert "anna@zurich.example" in search and "bob@" not in search
    assert admin_client.get("/admin/users?active=maybe").status_code == 422


def test_role_change_is_audited_old_to_new(admin_client) -> None:
    city = build_city()
    user = build_user("contributor", city)
    response = post_form(admin_client, f"/admin/users/{user.id}", {
        "name": "Promoted", "role": "staff", "city_id": "", "language": "fr"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    changed = get_user(user.email)
    assert (changed.role, changed.city_id, changed.language) == ("staff", None, "fr")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.details == {"role": ["contributor", "staff"], "city_id": [city.id, None]}
    assert event.actor == "root@example.org"


def test_city_roles_need_a_city(admin_client) -> None:
    user = build_user("staff")
    response = post_form(admin_client, f"/admin/users/{user.id}", {
        "name": "X", "role": "focal_point", "city_id": "", "language": "en"})
    assert response.status_code == 422
    assert 'href="#city_id"' in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"role": "emperor", "city_id": "", "language": "en"},
    {"role": "staff", "city_id": "999999", "language": "en"},
    {"role": "staff", "city_id": "abc", "language": "en"},
    {"role": "staff", "city_id": "", "language": "tlh"},
    {"role": "staff", "city_id": "", "language": "en", "name": "n" * 201},
])
def test_user_form_refuses_bad_input(admin_client, data: dict) -> None:
    user = build_user("staff")
    response = post_form(admin_client, f"/admin/users/{user.id}", {"name": "X", **data})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)


def test_deactivation_logs_the_user_out_and_is_audited(app, admin_client) -> None:
    user = build_user("focal_point")
    victim = app.test_client()
    sign_in(victim, user)
    response = post_form(admin_client, f"/admin/users/{user.id}/deactivate", {})
    assert response.status_code == 302
    assert victim.get("/account").status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_deactivated"))
    post_form(admin_client, f"/admin/users/{user.id}/reactivate", {})
    db.session.expire_all()
    assert get_user(user.email).is_active


def test_the_last_administrator_cannot_lock_themself_out(admin_client) -> None:
    me = get_user("root@example.org")
    post_form(admin_client, f"/admin/users/{me.id}/deactivate", {})
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": "Me", "role": "staff", "city_id": "", "language": "en"})
    assert response.status_code == 422
    assert ("This is the last administrator: appoint another one first."
            in response.get_data(as_text=True))
    db.session.expire_all()
    assert get_user("root@example.org").is_active and get_user("root@example.org").role == "admin"


def test_admin_pages_have_labelled_fields_and_rtl_layout(admin_client) -> None:
    html = admin_client.get("/admin/users/invite?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    for field in ("email", "name", "role", "city_id", "language"):
        assert f'<label for="{field}"' in html


def test_an_administrator_can_hand_over_and_step_down(admin_client) -> None:
    """With a second active administrator, the first may become staff (the same rule as
    the command line: only the last active administrator is kept)."""
    other = build_user("admin", email="second@example.org")
    me = get_user("root@example.org")
    response = post_form(admin_client, f"/admin/users/{other.id}/deactivate", {})
    assert response.status_code == 302
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": "Me", "role": "staff", "city_id": "", "language": "en"})
    assert response.status_code == 422  # the other one is inactive now
    post_form(admin_client, f"/admin/users/{other.id}/reactivate", {})
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": "Me", "role": "staff", "city_id": "", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_user("root@example.org").role == "staff"


def test_the_city_filter_is_a_text_field_matched_on_the_server(admin_client) -> None:
    for name in ("Lyon", "Lille", "Lausanne"):
        build_user("focal_point", build_city(name=name), email=f"fp@{name.lower()}.example")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    # No list of every city: a labelled search field.
    assert '<label for="city">City name contains</label>' in page
    assert 'id="city" maxlength="200" name="city" type="search"' in page
    assert ">Lausanne</option>" not in page
    both = admin_client.get("/admin/users?city=l").get_data(as_text=True)
    assert all(f"fp@{n}.example" in both for n in ("lyon", "lille", "lausanne"))
    one = admin_client.get("/admin/users?city=yon").get_data(as_text=True)
    assert "fp@lyon.example" in one and "fp@lille.example" not in one


def test_a_city_no_name_contains_is_an_error_on_the_field(admin_client) -> None:
    build_user("focal_point", build_city(name="Lyon"))
    response = admin_client.get("/admin/users?city=Atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "No city&#39;s name contains “Atlantis”. Check the spelling, or type fewer letters."
    assert f'<a href="#city">{message}</a>' in html  # the error summary links to the field
    assert f'<p class="error-message" id="city-error">{message}</p>' in html
    assert 'aria-describedby="city-error"' in html and 'aria-invalid="true"' in html
    too_long = admin_client.get("/admin/users?city=" + "x" * 201)
    assert too_long.status_code == 422 and "Use at most 200 characters." in too_long.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "label", "error"), [
    ("fr", "Le nom de la ville contient", "Aucune ville"),
    ("ar", "اسم المدينة يحتوي على", "لا توجد مدينة"),
])
def test_the_city_filter_speaks_french_and_arabic(admin_client, lang, label, error) -> None:
    html = admin_client.get(f"/admin/users?city=Atlantis&lang={lang}").get_data(as_text=True)
    assert label in html and error in html
