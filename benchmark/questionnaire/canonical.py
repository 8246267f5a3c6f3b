"""The canonical form of an edition: what it says, whatever file it came from (pure).

Two files say the same edition when their canonical checksums are equal, whatever their
comments, key order, quoting or format (YAML or workbook). The file checksum (sha256 of
the bytes, `Questionnaire.checksum`, CHECKSUMS) stays what makes a published file
immutable; the canonical checksum is what a round trip through a workbook keeps.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml

from benchmark.questionnaire.loader import dump
from benchmark.questionnaire.model import Questionnaire, localize

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def canonical_json(q: Questionnaire) -> str:
    """The edition as compact JSON with sorted keys (defaults written, absent parts left out)."""
    return json.dumps(dump(q), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_checksum(q: Questionnaire) -> str:
    """sha256 of canonical_json(q): equal for files that say the same edition."""
    return hashlib.sha256(canonical_json(q).encode("utf-8")).hexdigest()


def to_yaml(q: Questionnaire) -> str:
    """The edition as a YAML file in the questionnaire format (docs/questionnaire.md).

    Loading the text gives the same edition (same canonical checksum); it is what a
    workbook or a web draft is published as.
    """
    header = (f"# {localize(q.title, 'en')} — edition {q.version}.\n"
              "# Written by City Benchmark. A published edition never changes (see CHECKSUMS):\n"
              "# publish revisions as a new edition.\n")
    body = yaml.dump(dump(q), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return header + body
