"""The published editions: unchanged since publication, valid, 83 questions in 12 dimensions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from benchmark.questionnaire.loader import load_file

FOLDER = Path(__file__).resolve().parents[2] / "questionnaires"


def _checksums() -> dict[str, str]:
    entries = {}
    for line in (FOLDER / "CHECKSUMS").read_text().splitlines():
        digest, name = line.split()
        entries[name] = digest
    return entries


def test_every_published_file_is_listed_in_checksums() -> None:
    assert sorted(_checksums()) == sorted(p.name for p in FOLDER.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(_checksums()))
def test_a_published_file_never_changes(name: str) -> None:
    digest = hashlib.sha256((FOLDER / name).read_bytes()).hexdigest()
    assert digest == _checksums()[name], (
        f"{name} changed after publication; publish the revision as a new edition file instead"
    )


def _editions() -> dict[str, object]:
    known: dict = {}
    for path in sorted(FOLDER.glob("*.yaml")):
        edition = load_file(path, known=known)
        known[edition.version] = edition
    return known


@pytest.mark.parametrize("version", ["2019", "2024"])
def test_edition_has_83_scored_questions_in_12_dimensions(version: str) -> None:
    edition = _editions()[version]
    assert len(edition.dimensions) == 12
    assert len(edition.scored_questions) == 83
    assert edition.languages == ("en", "fr", "ar")
    for question in edition.questions:
        assert all(question.text.get(lang) for lang in edition.languages), question.id


def test_2024_maps_comparable_questions_to_2019() -> None:
    editions = _editions()
    new, old = editions["2024"], editions["2019"]
    mapped = [q for q in new.questions if q.previous is not None]
    assert len(mapped) >= 50
    for q in mapped:
        assert old.question(q.previous.question).type == q.type
