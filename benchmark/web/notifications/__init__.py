"""One's notifications: the list, opening one (marks it read), marking all read."""

from benchmark.web.notifications.views import bp

__all__ = ["bp"]
