"""Policy commitments: the city's list, the form, progress notes, outcomes, the staff list."""

from benchmark.web.commitments.views import bp

__all__ = ["bp"]
