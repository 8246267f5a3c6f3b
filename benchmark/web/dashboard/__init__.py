"""Staff pages that run the network: the dashboard, city pages, review assignment."""

from benchmark.web.dashboard.views import bp

__all__ = ["bp"]
