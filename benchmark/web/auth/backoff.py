"""Growing delays after consecutive failed logins on one account, from any address (OWASP).

The per-address limits (LOGIN_RATE_LIMIT, and LOGIN_ACCOUNT_RATE_LIMIT per account *and*
address) slow one source; a guess spread over many addresses is slowed here. After
LOGIN_BACKOFF_FREE consecutive failures on an account, each further failure makes that
account wait 1, 2, 4, ... seconds, at most LOGIN_BACKOFF_MAX seconds, before any password is
tried again: the right one is refused too while the account waits (a wait that let the
right password through would let a guess through), with 429 and Retry-After. Nothing is
locked: the owner waits at most LOGIN_BACKOFF_MAX seconds. A successful login or a password
reset starts the count over.

Accounts are keyed by the address typed, whether or not it has an account, so the delays
do not tell which addresses exist. The counters live in the rate limiter's storage (Redis
when BENCHMARK_REDIS_URL is set, so every worker sees them); RATELIMIT_ENABLED=False turns
them off with the other limits.
"""

from __future__ import annotations

import math
import time

from flask import current_app

from benchmark.extensions import limiter

#: How long the count of consecutive failures is kept after the first of them.
_FAILURES_KEPT = 24 * 3600


def _keys(email: str) -> tuple[str, str]:
    account = email.strip().lower()[:254]
    return f"login-failures:{account}", f"login-wait:{account}"


def _on() -> bool:
    return bool(current_app.config["RATELIMIT_ENABLED"])


def wait_seconds(email: str) -> int:
    """Seconds the account must still wait before a password is tried (0: none)."""
    if not _on():
        return 0
    _, wait_key = _keys(email)
    if limiter.storage.get(wait_key) <= 0:
        return 0
    return max(1, math.ceil(limiter.storage.get_expiry(wait_key) - time.time()))


def delay_after(failures: int) -> int:
    """Seconds an account waits after its `failures`-th consecutive failure."""
    free = int(current_app.config["LOGIN_BACKOFF_FREE"])
    cap = int(current_app.config["LOGIN_BACKOFF_MAX"])
    if failures <= free:
        return 0
    return min(cap, 2 ** min(failures - free - 1, 32))


def failed(email: str) -> None:
    """Count a failed login on the account; past the free ones, make it wait."""
    if not _on():
        return
    failures_key, wait_key = _keys(email)
    delay = delay_after(limiter.storage.incr(failures_key, _FAILURES_KEPT))
    if delay:
        limiter.storage.clear(wait_key)
        limiter.storage.incr(wait_key, delay)


def succeeded(email: str) -> None:
    """The account's owner got in (or chose a new password): start over."""
    if not _on():
        return
    for key in _keys(email):
        limiter.storage.clear(key)
