"""Administration of questionnaire editions: published ones, drafts, translations, publishing."""

from benchmark.web.editions import drafts as _draft_views  # noqa: F401 - registers the draft routes
from benchmark.web.editions.views import bp

__all__ = ["bp"]
