"""Administration of users through the pages, as an administrator would."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import AuditEvent
from tests.builders import build_city, build_user, get_user, unknown_city_message
from tests.integration.security.helpers import post_form, sign_in


def test_users_list_filters(admin_client) -> None:
    city = build_city(name="Zurich")
    build_user("focal_point", city, email="anna@zurich.example")
    build_user("staff", email="bob@programme.example")
    build_user("contributor", email="gone@zurich.example", is_active=False, city=city)
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "anna@zurich.example" in page and "bob@programme.example" in page
    by_city = admin_client.get("/admin/users?city=zURICH").get_data(as_text=True)  # the name, any case
    assert "anna@zurich.example" in by_city and "bob@programme.example" not in by_city
    assert 'value="zURICH"' in by_city and "Zurich" in by_city
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
        "name": "Promoted", "role": "staff", "city": "", "language": "fr"})
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
        "name": "X", "role": "focal_point", "city": "", "language": "en"})
    assert response.status_code == 422
    assert 'href="#city"' in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"role": "emperor", "city": "", "language": "en"},
    {"role": "staff", "city": "999999", "language": "en"},
    {"role": "staff", "city": "abc", "language": "en"},
    {"role": "staff", "city": "", "language": "tlh"},
    {"role": "staff", "city": "", "language": "en", "name": "n" * 201},
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
        "name": "Me", "role": "staff", "city": "", "language": "en"})
    assert response.status_code == 422
    assert ("This is the last administrator: appoint another one first."
            in response.get_data(as_text=True))
    db.session.expire_all()
    assert get_user("root@example.org").is_active and get_user("root@example.org").role == "admin"


def test_admin_pages_have_labelled_fields_and_rtl_layout(admin_client) -> None:
    html = admin_client.get("/admin/users/invite?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    for field in ("email", "name", "role", "city", "language"):
        assert f'<label for="{field}"' in html


def test_an_administrator_can_hand_over_and_step_down(admin_client) -> None:
    """With a second active administrator, the first may become staff (the same rule as
    the command line: only the last active administrator is kept)."""
    other = build_user("admin", email="second@example.org")
    me = get_user("root@example.org")
    response = post_form(admin_client, f"/admin/users/{other.id}/deactivate", {})
    assert response.status_code == 302
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": "Me", "role": "staff", "city": "", "language": "en"})
    assert response.status_code == 422  # the other one is inactive now
    post_form(admin_client, f"/admin/users/{other.id}/reactivate", {})
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": "Me", "role": "staff", "city": "", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_user("root@example.org").role == "staff"


def test_the_city_filter_takes_a_name_or_a_short_name(admin_client) -> None:
    for name in ("Lyon", "Lille", "Lausanne"):
        build_user("focal_point", build_city(name=name, slug=f"{name.lower()}-fr"),
                   email=f"fp@{name.lower()}.example")
    build_user("focal_point", build_city(name="Lyon", slug="lyon-ca"), email="fp@lyon.ca.example")
    page = admin_client.get("/admin/users").get_data(as_text=True)
    # No list of every city: a labelled search field.
    assert '<label for="city">City (name or short name)</label>' in page
    assert ">Lausanne</option>" not in page and "<datalist" not in page
    by_name = admin_client.get("/admin/users?city=lyon").get_data(as_text=True)  # homonyms: both
    assert "fp@lyon.example" in by_name and "fp@lyon.ca.example" in by_name
    assert "fp@lille.example" not in by_name
    by_slug = admin_client.get("/admin/users?city=lyon-ca").get_data(as_text=True)
    assert "fp@lyon.ca.example" in by_slug and "fp@lyon.example" not in by_slug
    part = admin_client.get("/admin/users?city=yon")  # a part of a name is not a city
    assert part.status_code == 422


def test_a_city_no_name_is_an_error_on_the_field_with_suggestions(admin_client) -> None:
    build_user("focal_point", build_city(name="Lyon", slug="lyon-fr"))
    response = admin_client.get("/admin/users?city=Atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = unknown_city_message("Atlantis")
    assert f'<a href="#city">{message}</a>' in html  # the error summary links to the field
    assert f'<p class="error-message" id="city-error">{message}</p>' in html
    assert 'aria-describedby="city-error"' in html and 'aria-invalid="true"' in html
    prefix = admin_client.get("/admin/users?city=LY").get_data(as_text=True)
    assert "Cities whose name starts with it (short name in brackets): Lyon (lyon-fr)." in prefix
    too_long = admin_client.get("/admin/users?city=" + "x" * 201)
    assert too_long.status_code == 422 and "Use at most 200 characters." in too_long.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "label", "error"), [
    ("fr", "Ville (nom ou nom court)", "Aucune ville ne s’appelle"),
    ("ar", "المدينة (الاسم أو الاسم المختصر)", "لا توجد مدينة باسم"),
])
def test_the_city_filter_speaks_french_and_arabic(admin_client, lang, label, error) -> None:
    html = admin_client.get(f"/admin/users?city=Atlantis&lang={lang}").get_data(as_text=True)
    assert label in html and error in html


def test_the_account_forms_take_a_city_by_name_or_short_name(admin_client) -> None:
    lyon = build_city(name="Lyon", slug="lyon-fr")
    build_city(name="Lille", slug="lille")
    form = admin_client.get("/admin/users/invite").get_data(as_text=True)
    assert '<label for="city">City</label>' in form and 'list="city-names"' in form
    assert '<option value="Lille">' in form  # a small network: a <datalist> of the names
    for i, typed in enumerate(("  lyon ", "lyon-fr")):
        response = post_form(admin_client, "/admin/users/invite", {
            "email": f"fp{i}@lyon.example", "name": "", "role": "focal_point", "city": typed,
            "language": "en"})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        assert get_user(f"fp{i}@lyon.example").city_id == lyon.id
    user = get_user("fp0@lyon.example")
    edit = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'value="Lyon"' in edit  # the name of the account's city
    response = post_form(admin_client, f"/admin/users/{user.id}", {
        "name": "Fp", "role": "focal_point", "city": "lille", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_user("fp0@lyon.example").city.name == "Lille"


def test_an_unknown_city_keeps_what_was_typed_and_says_what_it_could_mean(admin_client) -> None:
    build_city(name="Lyon", slug="lyon-fr")
    build_city(name="Lyon", slug="lyon-ca")
    typed = {"email": "new@x.example", "name": "Névine Ali", "role": "contributor",
             "city": "Lyo", "language": "fr"}
    response = post_form(admin_client, "/admin/users/invite", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = ("No city is called “Lyo”. Cities whose name starts with it (short name in "
               "brackets): Lyon (lyon-ca), Lyon (lyon-fr). Type a whole name or a short name.")
    assert f'<a href="#city">{message}</a>' in html
    assert f'<p class="error-message" id="city-error">{message}</p>' in html
    assert 'value="new@x.example"' in html and 'value="Névine Ali"' in html and 'value="Lyo"' in html
    assert '<option selected value="contributor">' in html and '<option selected value="fr">' in html
    homonyms = post_form(admin_client, "/admin/users/invite", {**typed, "city": "lyon"})
    assert homonyms.status_code == 422
    assert ("Several cities are called “lyon”: type the short name of the one you mean: "
            "Lyon (lyon-ca), Lyon (lyon-fr).") in homonyms.get_data(as_text=True)
    assert get_user("new@x.example") is None


def test_an_unchanged_homonym_city_saves(admin_client) -> None:
    build_city(name="Lyon", slug="lyon-fr")
    mine = build_city(name="Lyon", slug="lyon-ca")
    user = build_user("focal_point", mine)
    response = post_form(admin_client, f"/admin/users/{user.id}", {
        "name": "X", "role": "focal_point", "city": "Lyon", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_user(user.email).city_id == mine.id
