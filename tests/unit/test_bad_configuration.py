"""Bad configuration stops `benchmark init` (and so `make run`) with one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = shutil.which("benchmark", path=str(Path(sys.executable).parent))


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert BENCHMARK, "the benchmark console script is installed with the project"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
    environment.setdefault("BENCHMARK_INSTANCE_PATH", str(tmp_path / "instance"))
    environment.update(env)
    return subprocess.run([BENCHMARK, "init"], capture_output=True, text=True, env=environment,
                          timeout=60, check=False)


def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, BENCHMARK_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("benchmark:")]
    assert len(lines) == 1 and "BENCHMARK_DATABASE_URL" in lines[0]


def test_unwritable_instance_folder_is_one_line(tmp_path: Path) -> None:
    """A path under a file can be created by nobody, root included."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _run(tmp_path, BENCHMARK_INSTANCE_PATH=str(blocker / "instance"))
    assert result.returncode == 2
    assert "BENCHMARK_INSTANCE_PATH" in result.stderr and "Traceback" not in result.stderr


def test_invalid_setting_value_is_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, BENCHMARK_K_ANONYMITY="five")
    assert result.returncode == 2
    assert "BENCHMARK_K_ANONYMITY" in result.stderr and "Traceback" not in result.stderr


def test_audit_spool_setting_reads_true_false_or_stops_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmark import config

    monkeypatch.delenv("BENCHMARK_AUDIT_SPOOL", raising=False)
    assert config.load(tmp_path)["AUDIT_SPOOL"] is True  # on with either database
    monkeypatch.setenv("BENCHMARK_AUDIT_SPOOL", "off")
    assert config.load(tmp_path)["AUDIT_SPOOL"] is False
    monkeypatch.delenv("BENCHMARK_AUDIT_SPOOL")
    result = _run(tmp_path, BENCHMARK_AUDIT_SPOOL="maybe")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "BENCHMARK_AUDIT_SPOOL" in result.stderr
