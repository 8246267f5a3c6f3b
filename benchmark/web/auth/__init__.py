"""Logging in and out."""

from benchmark.web.auth.views import bp

__all__ = ["bp"]
