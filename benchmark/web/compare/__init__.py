"""Cities side by side: the page, its CSV and its PDF."""

from benchmark.web.compare.views import bp

__all__ = ["bp"]
