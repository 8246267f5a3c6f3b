"""The network overview: how the network's cities score, dimension by dimension."""

from benchmark.web.network.views import bp

__all__ = ["bp"]
