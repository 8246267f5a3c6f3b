"""Administration: users, cities and the audit log (administrators only, enforced by authz)."""

from benchmark.web.admin.views import bp

__all__ = ["bp"]
