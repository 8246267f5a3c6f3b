"""Every audit action the code base can write has words for the audit log (in three languages).

The codes are found in the source, not listed here: every `audit.record(actor, "<code>", ...)`
and `audit.row(actor, "<code>", ...)` call (a literal, or a conditional between literals)
and every `audit="<code>"` of the workflow tables (`step.audit`). A new code without words
in `benchmark/web/labels.py` fails here; `tests/unit/test_translations.py` then requires its
French and Arabic text.
"""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "benchmark"
#: Call arguments that are a workflow table's code (`audit=` of its steps, collected below).
FROM_TABLES = {"step.audit"}


def _literals(node: ast.expr) -> set[str] | None:
    """The strings an expression can be: a literal or a conditional between literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


def _is_audit_record(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr in {"record", "row"}
            and isinstance(func.value, ast.Name) and func.value.id == "audit")


def written_codes() -> tuple[set[str], list[str]]:
    """(every action code the package writes, call sites whose code could not be read)."""
    codes: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:  # Transition(..., audit="assessment_submitted")
                if keyword.arg == "audit" and (found := _literals(keyword.value)):
                    codes |= found
            if not _is_audit_record(node):
                continue
            action = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg == "action"), None)
            found = _literals(action) if action is not None else None
            if found is not None:
                codes |= found
            elif action is None or ast.unparse(action) not in FROM_TABLES:
                unreadable.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return codes, unreadable


def test_the_source_scan_finds_the_codes_of_calls_and_of_the_workflow_tables() -> None:
    from benchmark import practice_workflow, workflow

    codes, unreadable = written_codes()
    assert unreadable == [], "audit.record with an action code this test cannot read"
    assert {"login", "answer_saved", "invitation_accepted", "password_reset",
            "commitment_created", "practice_created"} <= codes
    assert {t.audit for t in workflow.TRANSITIONS} <= codes
    assert {s.audit for s in practice_workflow.STEPS} <= codes


def test_every_audit_action_written_has_words() -> None:
    from benchmark.web.labels import AUDIT_ACTIONS

    codes, _ = written_codes()
    assert sorted(codes - set(AUDIT_ACTIONS)) == []


def test_the_words_of_every_audit_action_are_translated() -> None:
    from benchmark.web.labels import AUDIT_ACTIONS, TARGET_TYPES

    english = {label._args[0] for label in (*AUDIT_ACTIONS.values(), *TARGET_TYPES.values())}
    for lang in ("fr", "ar"):
        with (PACKAGE / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
            translated = {m.id for m in read_po(f, locale=lang) if m.id and m.string}
        assert sorted(english - translated) == [], lang
