"""Recording, timing and printing benchmark results (instance/bench/results.json), and
serving the app under load: gunicorn started on a free port, wrk driving it (benchmarks 3
and 8 share these)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest


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


# -- serving the app under load -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "8"))
WRK_THREADS = 4  # = connections: one connection per wrk thread (autosave needs it)

DONE = """
done = function(summary, latency, requests)
  local ok, conflicts, other = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("ok") or 0)
    conflicts = conflicts + (t:get("conflicts") or 0)
    other = other + (t:get("other") or 0)
  end
  io.write(string.format(
    '\\nRESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "p99_us": %d, "ok": %d, "conflicts": %d, "other": %d}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), ok, conflicts, other))
end
"""

THREAD_SETUP = """
threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end
"""

GET_SCRIPT = THREAD_SETUP + """
wrk.method = "GET"
wrk.headers = %(headers)s
ok, conflicts, other = 0, 0, 0
response = function(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end
"""

def lua(value: object) -> str:
    """A Lua literal for strings, numbers, None, lists and dicts."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid Lua string here (no \u escapes)
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)



def require_wrk() -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install -y wrk)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[str]:
    """The app served by gunicorn on a free loopback port; its base URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output, subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--timeout", "120", "benchmark.app:create_app()"],
        cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True,
    ) as process:
        try:
            _wait_ready(base, process)
            yield base
        finally:
            os.killpg(process.pid, signal.SIGTERM)  # our own gunicorn: master and workers
            process.wait(timeout=30)


def login(base: str, email: str, password: str) -> str:
    """Log in through the login form; the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login", timeout=60).read().decode()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert csrf, "no CSRF token on the login page"
    form = urllib.parse.urlencode({"email": email, "password": password,
                                   "csrf_token": csrf[1]}).encode()
    opener.open(base + "/login", data=form, timeout=60).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def get(base: str, path: str, headers: dict[str, str]) -> int:
    """One GET (the response read); its status."""
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def wrk(base: str, path: str, script: str, tmp: Path) -> dict[str, float]:
    """Load `path` for WRK_SECONDS with the Lua `script`; wrk's summary with "rps"."""
    lua_file = tmp / f"script-{len(list(tmp.glob('*.lua')))}.lua"
    lua_file.write_text(script + DONE)
    done = subprocess.run(
        ["wrk", "-t", str(WRK_THREADS), "-c", str(WRK_THREADS), "-d", f"{WRK_SECONDS}s",
         "--timeout", "10s", "-s", str(lua_file), base + path], capture_output=True, text=True,
        timeout=WRK_SECONDS + 60, check=False)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result  # type: ignore[no-any-return]


def wrk_get(base: str, path: str, headers: dict[str, str], tmp: Path) -> dict[str, float]:
    """GET `path` under load with these headers."""
    return wrk(base, path, GET_SCRIPT % {"headers": lua(headers)}, tmp)
