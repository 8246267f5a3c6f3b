"""Production refuses settings that would split a deployment, with one line saying so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCHMARK = shutil.which("benchmark", path=str(Path(sys.executable).parent))


def _init(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert BENCHMARK, "the benchmark console script is installed with the project"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    environment.update(BENCHMARK_INSTANCE_PATH=str(tmp_path / "instance"),
                       BENCHMARK_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    return subprocess.run([BENCHMARK, "init"], capture_output=True, text=True, env=environment,
                          timeout=120, check=False)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    return line


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    line = _one_line(_init(tmp_path, BENCHMARK_ENV="production",
                           BENCHMARK_MAIL_SERVER="smtp.example.org"))
    assert "BENCHMARK_SECRET_KEY is not set" in line
    assert not (tmp_path / "instance" / "secret_key").exists()  # no key of its own


def test_production_without_smtp_refuses_to_start(tmp_path: Path) -> None:
    line = _one_line(_init(tmp_path, BENCHMARK_ENV="production", BENCHMARK_SECRET_KEY="k" * 64))
    assert "BENCHMARK_MAIL_SERVER is not set" in line


def test_development_generates_its_key_and_writes_mail_to_the_outbox(tmp_path: Path) -> None:
    result = _init(tmp_path, BENCHMARK_ENV="development")
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "instance" / "secret_key").read_text()) == 64
    assert "mail: no SMTP server" in result.stderr  # said at start


def test_production_says_at_start_where_mail_goes(tmp_path: Path) -> None:
    result = _init(tmp_path, BENCHMARK_ENV="production", BENCHMARK_SECRET_KEY="k" * 64,
                   BENCHMARK_MAIL_SERVER="smtp.example.org", BENCHMARK_MAIL_PORT="2525")
    assert result.returncode == 0, result.stderr
    assert "mail: sent through SMTP at smtp.example.org:2525" in result.stderr
