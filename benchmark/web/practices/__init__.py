"""Good practices: browse and search, read, write, and the workflow buttons."""

from benchmark.web.practices.views import bp

__all__ = ["bp"]
