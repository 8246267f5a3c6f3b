"""City Benchmark: intercultural-policy self-assessment and benchmarking."""

__version__ = "0.1.0"
