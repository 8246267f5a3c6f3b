"""One's own account: profile and language, password, sessions, API tokens."""

from benchmark.web.account.views import bp

__all__ = ["bp"]
