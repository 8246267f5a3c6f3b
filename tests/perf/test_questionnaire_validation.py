"""Benchmark 7: validating large questionnaire files stays near-linear.

A file whose questions each name the *next* question in `show_if` (a chain of forward
references, every one a problem) used to cost a walk along the rest of the chain per
question, with a list search at each step: 750 questions took 1.5 s, 3,000 took about
a minute. The validator now finds show_if cycles in one pass (questionnaire/graph.py).

- 3,000-question forward chain: `validate_text` against parsing the same text alone
  (`source.read_yaml`, the floor any validation pays): ratio ≤ 2, and ≤ 5 s.
- Growth: validating 3,000 questions against 750 (linear: 4; the old cubic cost: ~60).
- A valid 3,000-question file (each question shown after the previous one) and a file
  just under the 5 MB cap: information.
"""

from __future__ import annotations

import statistics

from tests.perf.harness import Results, interleaved, timed

ROUNDS = 3


def chain_file(questions: int, *, forward: bool, languages: tuple[str, ...] = ("en",),
               padding: int = 0) -> str:
    """YAML of one dimension of yes/no questions, each shown after its neighbour."""
    langs = ", ".join(languages)
    texts = lambda text: "{" + ", ".join(f'{lang}: "{text}"' for lang in languages) + "}"  # noqa: E731
    lines = ['version: "1"', f"title: {texts('T')}", f"languages: [{langs}]", "dimensions:",
             "  - id: d", f"    title: {texts('D')}", "    questions:"]
    filler = " lorem ipsum" * padding
    for i in range(questions):
        lines += [f"      - id: q{i}", "        type: yes_no",
                  f"        text: {texts(f'Question {i}{filler}')}",
                  "        options:",
                  f'          - {{id: "yes", label: {texts("Yes")}, points: 1}}',
                  f'          - {{id: "no", label: {texts("No")}, points: 0}}']
        neighbour = i + 1 if forward else i - 1
        if 0 <= neighbour < questions:
            lines.append(f'        show_if: {{question: q{neighbour}, in: ["yes"]}}')
    return "\n".join(lines) + "\n"


def _validate(text: str) -> int:
    from benchmark.questionnaire.loader import validate_text

    return len(validate_text(text, "bench.yaml"))


def _parse(text: str) -> None:
    from benchmark.questionnaire.source import read_yaml

    read_yaml(text, "bench.yaml")


def test_forward_show_if_chain_validates_in_near_linear_time(results: Results) -> None:
    big, small = chain_file(3000, forward=True), chain_file(750, forward=True)
    assert _validate(big) == 2999  # every forward reference is reported

    validated, parsed = interleaved(lambda: _validate(big), lambda: _parse(big), ROUNDS)
    value, base = statistics.median(validated), statistics.median(parsed)
    row = results.record("validate 3,000-question show_if chain", value, "s", baseline=base,
                         target="ratio <= 2", note="baseline: parsing the same YAML alone")
    results.record("validate 3,000-question show_if chain, absolute", value, "s",
                   target="value <= 5")
    small_time = statistics.median(timed(lambda: _validate(small)) for _ in range(ROUNDS))
    growth = results.record("validation time 3,000 / 750 questions", value / small_time, "×",
                            target="value <= 8", note="linear: 4; the old validator: ~60")
    assert row.met and value <= 5, f"validating takes {value:.2f} s ({value / base:.2f}× parsing)"
    assert growth.met, f"validation grows {growth.value:.1f}× from 750 to 3,000 questions"


def test_valid_large_files_validate_in_seconds(results: Results) -> None:
    from benchmark.questionnaire.loader import MAX_FILE_BYTES

    valid = chain_file(3000, forward=False, languages=("en", "fr", "ar"))
    assert _validate(valid) == 0
    results.record("validate valid 3,000-question file (3 languages)",
                   statistics.median(timed(lambda: _validate(valid)) for _ in range(ROUNDS)), "s")
    # Pad each text with words until the file is just under the size cap.
    bare = len(chain_file(3000, forward=False).encode())
    per_word = len(chain_file(3000, forward=False, padding=1).encode()) - bare
    capped = chain_file(3000, forward=False, padding=int((MAX_FILE_BYTES * 0.98 - bare) / per_word))
    assert len(capped.encode()) <= MAX_FILE_BYTES
    assert _validate(capped) == 0
    results.record(f"validate a {len(capped.encode()) / 1024 / 1024:.1f} MB file (cap 5 MB)",
                   timed(lambda: _validate(capped)), "s")
