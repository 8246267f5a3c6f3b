"""Words for the codes users see (roles, ...), translated; also offered to templates."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from benchmark.languages import LANGUAGE_NAMES
from benchmark.reporting import words
from benchmark.web.locale import current_language

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "staff": _l("Programme staff"),
    "focal_point": _l("Focal point"),
    "contributor": _l("Contributor"),
}


#: The audit log's actions (`audit.record(actor, "<code>", ...)` and the `audit` codes of
#: the workflow tables) in words; tests/unit/test_audit_words.py finds every code written.
AUDIT_ACTIONS = {
    "answer_saved": _l("Answer saved"),
    "audit_spool_unreadable": _l("Unreadable line of the download spool (kept as text)"),
    "assessment_created": _l("Assessment started"),
    "assessment_submitted": _l("Assessment submitted"),
    "assessment_returned": _l("Assessment returned for changes"),
    "assessment_validated": _l("Assessment validated"),
    "assessment_reopened": _l("Assessment reopened"),
    "city_created": _l("City created"),
    "city_updated": _l("City changed"),
    "commitment_created": _l("Commitment made"),
    "commitment_note_added": _l("Note added to a commitment"),
    "commitment_outcome_recorded": _l("Outcome of a commitment recorded"),
    "commitment_updated": _l("Commitment changed"),
    "demo_seeded": _l("Demo network created"),
    "dimensions_changed": _l("Dimensions of a contributor changed"),
    "edition_draft_deleted": _l("Draft edition deleted"),
    "edition_draft_mapped": _l("Draft edition's mappings confirmed"),
    "edition_draft_replaced": _l("Draft edition replaced"),
    "edition_draft_translated": _l("Draft edition's translations saved"),
    "edition_draft_uploaded": _l("Draft edition uploaded"),
    "edition_published": _l("Edition published"),
    "export": _l("Data exported"),
    "invitation_accepted": _l("Invitation accepted"),
    "invitation_resent": _l("Invitation sent again"),
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "logout": _l("Logged out"),
    "network_report_download": _l("Network report downloaded"),
    "password_changed": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "password_reset_requested": _l("Password reset requested"),
    "practice_created": _l("Good practice written"),
    "practice_published": _l("Good practice published"),
    "practice_returned": _l("Good practice returned for changes"),
    "practice_submitted": _l("Good practice submitted"),
    "practice_updated": _l("Good practice changed"),
    "practice_withdrawn": _l("Good practice withdrawn"),
    "profile_saved": _l("City profile of a round saved"),
    "profile_updated": _l("Account details changed"),
    "report_download": _l("Report downloaded"),
    "review_assigned": _l("Review assigned"),
    "review_comment": _l("Review comment added"),
    "role_changed": _l("Role changed"),
    "sessions_revoked": _l("Other sessions signed out"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "user_created": _l("User created"),
    "user_deactivated": _l("User deactivated"),
    "user_invite_existing": _l("Invitation to an address with an account elsewhere"),
    "user_invited": _l("User invited"),
    "user_reactivated": _l("User reactivated"),
    "user_updated": _l("User changed"),
}

#: What an audit row is about (`target_type`, a model class name) in words.
TARGET_TYPES = {
    "Assessment": _l("Assessment"),
    "City": _l("City"),
    "User": _l("User"),
    "ApiToken": _l("API token"),
    "QuestionnaireEdition": _l("Edition"),
    "QuestionnaireDraft": _l("Draft edition"),
    "ReviewComment": _l("Review comment"),
    "Practice": _l("Good practice"),
    "Commitment": _l("Commitment"),
}


#: The kinds of review comment (`ReviewComment.kind`: a workflow step or "comment").
COMMENT_KINDS = {
    "return": _l("Returned for changes"),
    "reopen": _l("Reopened"),
    "comment": _l("Comment"),
}


def comment_kind(code: str) -> str:
    return str(COMMENT_KINDS.get(code, code.replace("_", " ")))
STATUS_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned"),
    "validated": _l("Validated"),
}


HISTORY_LABELS = {
    "assessment_created": _l("Started"),
    "assessment_submitted": _l("Submitted for review"),
    "assessment_returned": _l("Returned for changes"),
    "assessment_validated": _l("Validated"),
    "assessment_reopened": _l("Reopened for changes"),
    "review_assigned": _l("Review assigned"),
}


def history_labels() -> dict[str, str]:
    """A round's history steps (audit actions) in words."""
    return {code: str(label) for code, label in HISTORY_LABELS.items()}


def commitment_status_label(status: str | None) -> str:
    return words.commitment_status(status or "", current_language())


def outcome_label(outcome: str | None) -> str:
    return words.commitment_outcome(outcome, current_language())


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def action_label(code: str) -> str:
    """An audit action in words; an action without words yet reads as its code, spaced."""
    return str(AUDIT_ACTIONS.get(code, code.replace("_", " ")))


def peer_group_label(key: str | None) -> str:
    """A peer-group key ("pop-0-100k.fb-30-plus") in words of the page's language."""
    return words.peer_group(key, current_language()) if key else "—"


def target_label(code: str | None) -> str:
    return str(TARGET_TYPES.get(code or "", code or ""))


def status_labels() -> dict[str, str]:
    """Every status in words, translated once per call (a page reads it per row)."""
    return {code: str(label) for code, label in STATUS_LABELS.items()}


def group_labels(keys: list[str] | tuple[str, ...], lang: str) -> dict[str, str]:
    """Size and diversity group keys in words ("100,000–250,000 inhabitants")."""
    from benchmark.reporting import words

    return {key: words.band(key, lang) for key in keys}
PRACTICE_STATUS_LABELS = {
    "draft": _l("draft"), "submitted": _l("submitted"), "returned": _l("returned"),
    "published": _l("published"), "withdrawn": _l("withdrawn"),
}
BUDGET_LABELS = {
    "none": _l("No specific budget"), "under_10k": _l("Under €10,000"),
    "10k_100k": _l("€10,000 to €100,000"), "100k_1m": _l("€100,000 to €1 million"),
    "over_1m": _l("Over €1 million"),
}


def practice_status_label(status: str) -> str:
    return str(PRACTICE_STATUS_LABELS.get(status, status))


def budget_label(band: str | None) -> str:
    return str(BUDGET_LABELS.get(band or "", band or ""))


def language_name(code: str) -> str:
    """A language's name in itself (English, Français, العربية)."""
    return LANGUAGE_NAMES.get(code, code)


def size_label(low: int, high: int | None) -> str:
    """A population band in words: "100,000 to 250,000 inhabitants"."""
    if high is None:
        return _("%(n)s inhabitants or more", n=format_decimal(low))
    if low == 0:
        return _("Under %(n)s inhabitants", n=format_decimal(high))
    return _("%(a)s to %(b)s inhabitants", a=format_decimal(low), b=format_decimal(high))


def init_labels(app: Flask) -> None:
    app.context_processor(lambda: {
        "role_label": role_label, "practice_status_label": practice_status_label,
        "budget_label": budget_label, "language_name": language_name, "size_label": size_label,
        "action_label": action_label, "target_label": target_label, "comment_kind": comment_kind,
        "peer_group_label": peer_group_label,
        "commitment_status_label": commitment_status_label, "outcome_label": outcome_label,
        "commitment_statuses": tuple(words.COMMITMENT_STATUS),
        "commitment_outcomes": tuple(words.COMMITMENT_OUTCOME),
    })
