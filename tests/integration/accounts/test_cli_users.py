"""`benchmark user create`: creating and updating accounts from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmark.extensions import db
from benchmark.infra import passwords
from benchmark.models import AuditEvent
from tests.builders import build_city, build_user, get_user, login

STRONG = "orchard violin tundra 1987 kite"


def test_cli_user_create_with_password_from_stdin(runner, app) -> None:
    city = build_city("ghent")
    result = runner.invoke(args=["user", "create", "--email", "Focal@Ghent.example", "--role",
                                 "focal_point", "--city", "ghent", "--password-stdin"],
                           input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert "created user focal@ghent.example" in result.output
    user = get_user("focal@ghent.example")
    assert user.city_id == city.id and user.password_hash.startswith("$argon2id$")
    login(app.test_client(), user, STRONG)


def test_cli_user_create_updates_role_city_and_password(runner) -> None:
    build_city("porto")
    user = build_user("contributor")
    result = runner.invoke(args=["user", "create", "--email", user.email, "--role", "focal_point",
                                 "--city", "porto", "--password-stdin"], input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert "updated user" in result.output
    db.session.expire_all()
    assert get_user(user.email).role == "focal_point"
    assert passwords.verify_password(get_user(user.email).password_hash, STRONG)
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert change.details["role"] == ["contributor", "focal_point"]
    assert change.actor == "system" and change.target_id == str(user.id)


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["--role", "focal_point"], None, "--city"),
    (["--role", "contributor", "--city", "nowhere"], None, "nowhere"),
    (["--role", "wizard"], None, "wizard"),
    (["--role", "staff", "--password-stdin"], "short\n", "12 characters"),
    (["--role", "staff", "--password-stdin"], "password1234\n", "too common"),
    (["--role", "staff", "--password-stdin"], "", "no password"),
])
def test_cli_user_create_refuses_bad_input(runner, args, stdin, message) -> None:
    result = runner.invoke(args=["user", "create", "--email", "someone@example.org", *args],
                           input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert get_user("someone@example.org") is None


def test_cli_user_create_refuses_an_invalid_email(runner) -> None:
    result = runner.invoke(args=["user", "create", "--email", "not-an-email", "--role", "staff"])
    assert result.exit_code != 0 and "email" in result.output.lower()


def test_cli_refuses_to_demote_the_last_administrator(runner) -> None:
    admin = build_user("admin")
    result = runner.invoke(args=["user", "create", "--email", admin.email, "--role", "staff"])
    assert result.exit_code != 0
    assert result.output == ("benchmark: This is the last administrator: appoint another one "
                             "first.\n")
    assert get_user(admin.email).role == "admin"
    build_user("admin")
    assert runner.invoke(args=["user", "create", "--email", admin.email, "--role",
                               "staff"]).exit_code == 0
    assert get_user(admin.email).role == "staff"


def test_cli_role_change_drops_a_contributors_dimensions(runner) -> None:
    build_city("porto")
    user = build_user("contributor", dimensions=["education"])
    result = runner.invoke(args=["user", "create", "--email", user.email, "--role", "staff"])
    assert result.exit_code == 0, result.output
    assert (get_user(user.email).role, get_user(user.email).dimensions) == ("staff", None)


def test_cli_refuses_to_demote_the_last_active_administrator(runner) -> None:
    """An inactive administrator does not count: the active one stays."""
    admin = build_user("admin")
    dormant = build_user("admin")
    dormant.is_active = False
    db.session.commit()
    result = runner.invoke(args=["user", "create", "--email", admin.email, "--role", "focal_point",
                                 "--city", build_city("porto").slug])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and "last administrator" in result.output
    assert get_user(admin.email).role == "admin"
