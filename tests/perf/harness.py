"""Recording, timing and printing benchmark results (instance/bench/results.json)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    #: What is asked, e.g. "ratio <= 1.25", "value <= 100"; None for information only.
    target: str | None = None
    #: Printed, not written: why a row is missing or a target is not met.
    note: str = field(default="", repr=False)

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.value is None:
            return False
        subject, op, bound = self.target.split()
        measured = self.ratio if subject == "ratio" else self.value
        if measured is None:
            return False
        return measured <= float(bound) if op == "<=" else measured >= float(bound)


class Results:
    """The rows of this run, written over the rows of the same names already in the file, so
    that running part of `make bench` (one file, `--db`) updates the figures it measured and
    keeps the others."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: list[Row] = []
        self.kept: list[Row] = []
        if path.exists():
            try:
                self.kept = [Row(**item) for item in json.loads(path.read_text())]
            except (ValueError, TypeError):
                self.kept = []

    def record(self, name: str, value: float | None, unit: str, *, baseline: float | None = None,
               ratio: float | None = None, target: str | None = None, note: str = "") -> Row:
        if ratio is None and value is not None and baseline:
            ratio = value / baseline
        row = Row(name, value, unit, baseline, ratio, target, note)
        self.rows = [r for r in self.rows if r.name != name] + [row]
        self.write()  # a partial run still leaves a file
        return row

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = ("name", "value", "unit", "baseline", "ratio", "target")
        names = {r.name for r in self.rows}
        rows = [r for r in self.kept if r.name not in names] + self.rows
        data = [{k: _rounded(asdict(r)[k]) for k in keys} for r in rows]
        self.path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    def table(self) -> str:
        lines = [f"{'benchmark':<58} {'value':>11} {'unit':<6} {'baseline':>10} {'ratio':>7} "
                 f"{'target':<15} status"]
        for r in self.rows:
            status = {True: "ok", False: "MISSED", None: ""}[r.met]
            lines.append(f"{r.name:<58} {_fmt(r.value):>11} {r.unit:<6} {_fmt(r.baseline):>10} "
                         f"{_fmt(r.ratio):>7} {r.target or '':<15} {status}"
                         + (f"  ({r.note})" if r.note else ""))
        return "\n".join(lines) + f"\nwritten to {self.path}"


def _rounded(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def timed(func: Callable[[], Any]) -> float:
    """Seconds one call of `func` takes (wall clock)."""
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[max(0, min(98, round(q) - 1))]


def interleaved(measured: Callable[[], Any], baseline: Callable[[], Any], rounds: int,
                warmup: int = 1) -> tuple[list[float], list[float]]:
    """Alternate the two (after `warmup` of each), so machine noise hits both alike."""
    for _ in range(warmup):
        measured()
        baseline()
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        a.append(timed(measured))
        b.append(timed(baseline))
    return a, b


def rss_mib(pid: int | str = "self") -> float:
    """Resident set size of a process in MiB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")
