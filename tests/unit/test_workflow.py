"""The workflow table (benchmark/workflow.py): which status may follow which, and who moves it."""

from __future__ import annotations

import pytest

from benchmark import workflow

#: The contract, written out: (step, from) → to. Every other (step, from) pair is refused.
ALLOWED = {
    ("submit", "draft"): "submitted",
    ("submit", "returned"): "submitted",
    ("return", "submitted"): "returned",
    ("validate", "submitted"): "validated",
    ("reopen", "validated"): "returned",
}
ACTIONS = ("submit", "return", "validate", "reopen")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", workflow.STATUSES)
def test_each_step_starts_only_from_its_statuses(action: str, status: str) -> None:
    step = workflow.transition(action)
    assert (status in step.sources) == ((action, status) in ALLOWED)
    if (action, status) in ALLOWED:
        assert step.target == ALLOWED[action, status]


def test_the_table_has_exactly_these_steps() -> None:
    assert tuple(t.action for t in workflow.TRANSITIONS) == ACTIONS
    with pytest.raises(KeyError):
        workflow.transition("delete")


@pytest.mark.parametrize(("status", "steps"), [
    ("draft", ("submit",)), ("submitted", ("return", "validate")), ("returned", ("submit",)),
    ("validated", ("reopen",)),
])
def test_steps_from_each_status(status: str, steps: tuple[str, ...]) -> None:
    assert tuple(t.action for t in workflow.steps_from(status)) == steps


@pytest.mark.parametrize(("status", "editable"), [
    ("draft", True), ("returned", True), ("submitted", False), ("validated", False),
])
def test_the_team_edits_drafts_and_returned_assessments_only(status: str, editable: bool) -> None:
    assert workflow.is_editable(status) is editable


#: role → may take (submit, return, validate, reopen) on an assessment of their own city.
WHO = {
    "contributor": (False, False, False, False),
    "focal_point": (True, False, False, False),
    "staff": (False, True, True, True),
    "admin": (False, True, True, True),
    None: (False, False, False, False),
}


@pytest.mark.parametrize("role", list(WHO))
@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_take_each_step(role: str | None, action: str) -> None:
    expected = WHO[role][ACTIONS.index(action)]
    assert workflow.may_take(role, True, action) is expected
    # A city's steps are its own team's: a focal point of another city may not submit it.
    assert workflow.may_take(role, False, action) is (expected and role in {"staff", "admin"})


def test_steps_that_change_what_counts_in_the_network_are_validate_and_reopen() -> None:
    assert {t.action for t in workflow.TRANSITIONS if t.moves_network} == {"validate", "reopen"}
