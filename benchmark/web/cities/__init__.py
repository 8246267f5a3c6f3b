"""The city team's pages: home, assessment overview, questionnaire form, profile, team."""

from benchmark.web.cities.views import bp

__all__ = ["bp"]
