"""Many processes starting at once on one fresh instance folder (gunicorn workers, machines).

Twenty processes wait on one barrier, then each runs the start-up step under test, as
twenty simultaneous first starts would; each reports what it got or the error it raised.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

STARTS = 20


def _start(step: str, folder: str, barrier: Any, results: Any) -> None:
    from benchmark import config

    barrier.wait(timeout=60)
    try:
        if step == "secret_key":
            results.put(("ok", config.secret_key(Path(folder))))
        else:
            for _ in range(25):  # a start runs it once; repeat to widen the window
                config.ensure_instance_folder(Path(folder))
            results.put(("ok", ""))
    except Exception as err:  # the outcome under test: reported, not raised
        results.put(("error", f"{type(err).__name__}: {err}"))


def _start_all(step: str, folder: Path) -> list[tuple[str, str]]:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(STARTS), context.Queue()
    processes = [context.Process(target=_start, args=(step, str(folder), barrier, results))
                 for _ in range(STARTS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return outcomes


def test_simultaneous_first_starts_share_one_generated_secret_key(tmp_path: Path) -> None:
    outcomes = _start_all("secret_key", tmp_path)
    assert [kind for kind, _ in outcomes] == ["ok"] * STARTS, outcomes
    keys = {key for _, key in outcomes}
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_simultaneous_starts_all_find_the_instance_folder_writable(tmp_path: Path) -> None:
    folder = tmp_path / "instance"
    outcomes = _start_all("instance_folder", folder)
    assert [kind for kind, _ in outcomes] == ["ok"] * STARTS, outcomes
    assert list(folder.iterdir()) == []  # the probe leaves nothing behind
