"""Benchmarks: run only with `--run-bench` (`make bench`); results go to instance/bench/results.json.

Each benchmark measures its own baseline in the same run (absolute times on a
shared machine are noise) and records {name, value, unit, baseline, ratio, target};
the table is printed at the end of the session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.perf.harness import Results

RUN_BENCH = "--run-bench"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(RUN_BENCH, action="store_true", default=False,
                     help="run the performance benchmarks in tests/perf (slow: minutes)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption(RUN_BENCH, default=False):
        return
    skip = pytest.mark.skip(reason="benchmark: runs only with --run-bench (make bench)")
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def results(request: pytest.FixtureRequest) -> Iterator[Results]:
    """Where every benchmark records its rows; printed and written at the end."""
    default = request.config.rootpath / "instance" / "bench" / "results.json"
    out = Path(os.environ.get("BENCH_RESULTS") or default)
    recorder = Results(out)
    yield recorder
    recorder.write()
    print("\n" + recorder.table())


@dataclass(frozen=True)
class Network:
    """A seeded demo network in its own instance folder (SQLite)."""

    instance: Path
    database_url: str
    secret_key: str
    editions: str  # "real" or "mini"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a subprocess (gunicorn, the CLI, a render worker) on this network."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARK_")}
        env.update(BENCHMARK_INSTANCE_PATH=str(self.instance), BENCHMARK_DATABASE_URL=self.database_url,
                   BENCHMARK_SECRET_KEY=self.secret_key, BENCHMARK_RATELIMIT_ENABLED="false",
                   BENCHMARK_ENV="development", BENCHMARK_QUESTIONNAIRE_DIR=str(questionnaire_dir()[0]))
        env.update(extra)
        return env

    def cold_copy(self, tmp: Path) -> str:
        """URL of a copy of this network's database without any stored report.

        Rendered reports are stored in the database (`rendered_reports`, shared by every
        instance), not only in the instance folder: a benchmark run on the session's
        network after another one rendered there finds those reports stored and reads
        them instead of rendering. A benchmark of rendering takes a copy of its own.
        """
        import sqlite3

        target = tmp / "cold.sqlite3"
        source = sqlite3.connect(self.database_url.removeprefix("sqlite:///"))
        copy = sqlite3.connect(target)
        source.backup(copy)
        copy.execute("DELETE FROM rendered_reports")
        copy.commit()
        copy.close()
        source.close()
        return f"sqlite:///{target}"


REAL = Path(__file__).resolve().parents[2] / "questionnaires"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "questionnaires"


def questionnaire_dir() -> tuple[Path, str]:
    """The real editions when merged, else the mini test editions (said in the results)."""
    if sorted(REAL.glob("*.yaml")):
        return REAL, "real"
    return MINI, "mini"


def make_app(instance: Path, database_url: str, **extra: object):  # type: ignore[no-untyped-def]
    from benchmark.app import create_app

    folder, _ = questionnaire_dir()
    return create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": database_url,
                       "SECRET_KEY": "bench-secret", "RATELIMIT_ENABLED": False,
                       "QUESTIONNAIRE_DIR": str(folder), "BACKGROUND_JOBS": False, **extra})


def prepare_database(app, cities: int | None) -> None:  # type: ignore[no-untyped-def]
    """Migrate, import the editions and (when `cities`) seed the demo network."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        from benchmark.demo import seeding as demo
        from benchmark.extensions import db
        from benchmark.services import questionnaires

        questionnaires.import_files()
        if cities:
            demo.seed(cities)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def pg_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    """The default 135-city demo network on PostgreSQL (a database of its own), or a skip."""
    import uuid

    from sqlalchemy import create_engine, text

    from tests.conftest import POSTGRES_URL

    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"benchmark_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {type(err).__name__}")
    url = f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"
    instance = tmp_path_factory.mktemp("pg-network")
    prepare_database(make_app(instance, url), 135)
    yield Network(instance, url, "bench-secret", questionnaire_dir()[1])
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    """The default 135-city demo network, seeded once for the session."""
    instance = tmp_path_factory.mktemp("network")
    url = f"sqlite:///{instance / 'benchmark.sqlite3'}"
    app = make_app(instance, url)
    prepare_database(app, 135)
    yield Network(instance, url, "bench-secret", questionnaire_dir()[1])
    shutil.rmtree(instance / "reports", ignore_errors=True)
