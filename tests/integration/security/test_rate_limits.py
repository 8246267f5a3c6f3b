"""Rate limits on login, password reset and the API: 429 with Retry-After, shared via Redis.

Limits are off in tests by default; these tests switch them on with the config marker.
Flask-Limiter's Limiter is one object per process whose storage each create_app() replaces,
so "two workers" are simulated in sequence: the first app's requests, then a second app
with its own, new storage connection. Only a shared store (Redis) carries the count over.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest

from benchmark.app import create_app
from benchmark.extensions import db
from benchmark.web.auth import backoff
from tests.builders import PASSWORD, api_token, build_user
from tests.conftest import REDIS_URL, base_overrides
from tests.integration.security.helpers import form_token, link_in, outbox

LOGIN_LIMITS = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                "LOGIN_ACCOUNT_RATE_LIMIT": "100 per hour"}


@contextmanager
def _second_worker(app, tmp_path, **overrides):
    """Another app instance on the same database, as a second gunicorn worker would be."""
    settings = base_overrides(tmp_path / "worker-2")
    settings.update(DATABASE_URL=app.config["DATABASE_URL"], **LOGIN_LIMITS, **overrides)
    worker = create_app(settings)
    with worker.app_context():
        try:
            yield worker.test_client()
        finally:
            db.session.remove()
            db.engine.dispose()


def _fail_login(client, email: str = "nobody@example.org"):
    return client.post("/login", data={"email": email, "password": "not the password",
                                       "csrf_token": form_token(client, "/login")})


@pytest.mark.xdist_group("redis")
@pytest.mark.config(**LOGIN_LIMITS, REDIS_URL=REDIS_URL)
def test_login_limit_holds_across_two_app_instances_sharing_redis(redis_url, app, tmp_path) -> None:
    first = app.test_client()
    assert [_fail_login(first).status_code for _ in range(2)] == [401, 401]

    with _second_worker(app, tmp_path, REDIS_URL=redis_url) as second:
        assert _fail_login(second).status_code == 401  # third attempt: still allowed
        blocked = _fail_login(second)
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert "Too many" in blocked.get_data(as_text=True)


@pytest.mark.config(**LOGIN_LIMITS)
def test_without_redis_each_instance_counts_alone(app, tmp_path) -> None:
    """The control: in-process storage is per worker, which is why production needs Redis."""
    first = app.test_client()
    for _ in range(3):
        _fail_login(first)
    assert _fail_login(first).status_code == 429
    with _second_worker(app, tmp_path) as second:
        assert _fail_login(second).status_code == 401


@pytest.mark.config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="3 per hour")
def test_failed_logins_are_limited_per_account_and_source_not_locking_the_owner(app) -> None:
    """OWASP: per account and source; another address (the owner's) still gets in."""
    user = build_user("staff")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "198.51.100.1"
    codes = [_fail_login(attacker, user.email).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    response = owner.post("/login", data={"email": user.email, "password": PASSWORD,
                                          "csrf_token": form_token(owner, "/login")})
    assert response.status_code == 302


@pytest.mark.config(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                    LOGIN_ACCOUNT_RATE_LIMIT="2 per hour")
def test_successful_logins_do_not_count_towards_the_account_limit(app) -> None:
    user = build_user("staff")
    client = app.test_client()
    for _ in range(3):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                               "csrf_token": form_token(client, "/login")})
        assert response.status_code == 302
        client.post("/logout", data={"csrf_token": form_token(client, "/account")})


@pytest.mark.config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
def test_anonymous_api_calls_are_counted_once_and_200s_carry_no_retry_after(client) -> None:
    codes = [client.get("/api/v1/ping").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    headers = api_token(build_user("staff"))
    ok = client.get("/api/v1/cities", headers=headers)
    assert ok.status_code == 200 and "Retry-After" not in ok.headers


@pytest.mark.config(RATELIMIT_ENABLED=True, PASSWORD_RESET_RATE_LIMIT="2 per minute")
def test_password_reset_requests_are_limited(client) -> None:
    codes = [client.post("/password/forgot", data={
        "email": f"someone{n}@example.org", "csrf_token": form_token(client, "/password/forgot")
    }).status_code for n in range(3)]
    assert codes == [302, 302, 429]


@pytest.mark.config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
def test_api_limit_answers_429_in_the_error_shape_with_retry_after(client) -> None:
    headers = api_token(build_user("staff"))
    codes = [client.get("/api/v1/cities", headers=headers).status_code for _ in range(2)]
    limited = client.get("/api/v1/cities", headers=headers)
    assert codes == [200, 200] and limited.status_code == 429
    body = limited.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60


@pytest.mark.config(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")
def test_inventing_tokens_does_not_dodge_the_api_limit(client) -> None:
    codes = [client.get("/api/v1/cities", headers={"Authorization": f"Bearer cbt_fake{n}"}).status_code
             for n in range(3)]
    assert codes == [401, 401, 429]


def test_limits_are_off_in_tests_unless_enabled(client) -> None:
    assert all(_fail_login(client).status_code == 401 for _ in range(12))


def _from(app, address: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _log_in(client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": form_token(client, "/login")})


#: The per-address limits out of the way: these tests are about the account across addresses.
BACKOFF = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "1000 per minute",
           "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per hour"}


@pytest.mark.config(**BACKOFF, LOGIN_BACKOFF_FREE=3, LOGIN_BACKOFF_MAX=1)
def test_failures_from_many_addresses_make_the_account_wait_then_the_right_password_works(
        app) -> None:
    """A guess spread over many addresses is slowed per account (OWASP), by a delay, not a lock."""
    user = build_user("staff")
    codes = [_fail_login(_from(app, f"198.51.100.{n}"), user.email).status_code for n in range(4)]
    assert codes == [401, 401, 401, 401]  # the fourth failure in a row starts a wait
    owner = _from(app, "203.0.113.7")
    waiting = _log_in(owner, user.email)
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "1"
    assert "Too many" in waiting.get_data(as_text=True)
    time.sleep(1.1)  # the wait the answer named (LOGIN_BACKOFF_MAX: 1 second)
    assert _log_in(owner, user.email).status_code == 302
    # The success started over: the next failures are free again.
    other = _from(app, "198.51.100.200")
    assert [_fail_login(other, user.email).status_code for _ in range(3)] == [401, 401, 401]


@pytest.mark.config(**BACKOFF, LOGIN_BACKOFF_FREE=5, LOGIN_BACKOFF_MAX=300)
def test_a_wrong_password_storm_makes_the_owner_wait_minutes_at_most_never_an_hour(app) -> None:
    user = build_user("focal_point")
    assert [backoff.delay_after(n) for n in range(1, 17)] == [
        0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    answers = [_fail_login(_from(app, f"198.51.100.{n}"), user.email) for n in range(25)]
    assert {a.status_code for a in answers} == {401, 429}
    waits = [int(a.headers["Retry-After"]) for a in answers if a.status_code == 429]
    assert waits and max(waits) <= 300
    held = _log_in(_from(app, "203.0.113.7"), user.email)
    assert held.status_code == 429 and int(held.headers["Retry-After"]) <= 300


@pytest.mark.config(**BACKOFF, LOGIN_BACKOFF_FREE=2, LOGIN_BACKOFF_MAX=300)
def test_a_password_reset_works_while_the_account_waits_and_ends_the_wait(app) -> None:
    user = build_user("contributor")
    for n in range(4):
        _fail_login(_from(app, f"198.51.100.{n}"), user.email)
    owner = _from(app, "203.0.113.7")
    assert _log_in(owner, user.email).status_code == 429
    asked = owner.post("/password/forgot", data={
        "email": user.email, "csrf_token": form_token(owner, "/password/forgot")})
    assert asked.status_code == 302
    path = link_in(outbox(app)[-1])
    new_password = "river lantern copper meadow"
    chosen = owner.post(path, data={"password": new_password, "confirm": new_password,
                                    "csrf_token": form_token(owner, path)})
    assert chosen.status_code == 302
    assert _log_in(owner, user.email, new_password).status_code == 302


@pytest.mark.config(**BACKOFF, LOGIN_BACKOFF_FREE=2, LOGIN_BACKOFF_MAX=300)
def test_unknown_addresses_wait_like_accounts_so_waits_do_not_reveal_accounts(app) -> None:
    known, unknown = build_user("staff").email, "nobody-here@example.org"
    for email in (known, unknown):
        codes = [_fail_login(_from(app, f"198.51.100.{n}"), email).status_code for n in range(4)]
        assert codes == [401, 401, 401, 429], email
