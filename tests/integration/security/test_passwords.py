"""Passwords: argon2id hashes, upgrades of weaker hashes at login, the policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from benchmark.extensions import db
from benchmark.infra import passwords
from tests.builders import PASSWORD, build_user, get_user, login


def test_passwords_are_hashed_with_argon2id(client) -> None:
    user = build_user("staff")
    assert user.password_hash.startswith("$argon2id$v=19$")
    assert PasswordHasher().check_needs_rehash(user.password_hash) is False
    assert passwords.verify_password(user.password_hash, PASSWORD)
    assert not passwords.verify_password(user.password_hash, PASSWORD + "x")


def test_weaker_hashes_are_upgraded_at_login(client) -> None:
    user = build_user("staff")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID).hash(PASSWORD)
    user.password_hash = weak
    db.session.commit()
    login(client, user)
    upgraded = get_user(user.email).password_hash
    assert upgraded != weak and upgraded.startswith("$argon2id$")


@pytest.mark.parametrize(("candidate", "code"), [
    ("elevenchars", "length"),
    ("x" * 257, "too_long"),
    ("qwertyuiop123", "common"),
    ("Password1234!", "common"),
    ("iloveyou2026", "common"),
    ("monkeymonkey", "common"),
    ("aaaaaaaaaaaaaa", "common"),
    ("maria.lopez-2026!", "email"),
    ("correct horse battery staple", None),
    ("ثلاث كلمات عربية طويلة", None),
])
def test_password_policy(candidate: str, code: str | None) -> None:
    assert passwords.problem_code(candidate, email="maria.lopez@city.example") == code


def test_common_password_list_has_thousands_of_entries() -> None:
    assert len(passwords._common_passwords()) > 10_000
