"""Staff review: the queue of submitted assessments, the review page, round-to-round diff."""

from benchmark.web.review.views import bp

__all__ = ["bp"]
