"""A focal point's team: invite the city's contributors and choose what each may edit."""

from benchmark.web.team.views import bp

__all__ = ["bp"]
