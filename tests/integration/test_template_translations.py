"""Templates translate through the request's catalogue, looked up once (web/locale.py):
the text a reader sees is the same as through Flask-Babel's own lookup, `force_locale`
included (a mail rendered in its recipient's language in the middle of a request)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale


def _evidence() -> str:
    return render_template_string('{{ _("Evidence") }}')


def _request(app, path: str):  # type: ignore[no-untyped-def]
    """A request of its own (the `app` fixture's application context would be shared)."""
    from contextlib import ExitStack

    stack = ExitStack()
    stack.enter_context(app.app_context())
    stack.enter_context(app.test_request_context(path))
    return stack


def test_a_template_speaks_the_request_language(app) -> None:
    with _request(app, "/?lang=fr"):
        assert _evidence() == "Justificatif"
    with _request(app, "/?lang=ar"):
        assert _evidence() == "الإثبات"
    with _request(app, "/"):
        assert _evidence() == "Evidence"


def test_force_locale_inside_a_request_is_honoured_and_undone(app) -> None:
    with _request(app, "/?lang=fr"):
        assert _evidence() == "Justificatif"
        with force_locale("ar"):
            assert _evidence() == "الإثبات"
            with force_locale("en"):
                assert _evidence() == "Evidence"
            assert _evidence() == "الإثبات"
        assert _evidence() == "Justificatif"


def test_variables_are_escaped_and_plurals_chosen(app) -> None:
    with _request(app, "/?lang=fr"):
        html = render_template_string(
            '{{ _("Last saved by %(who)s, %(when)s", who="<b>Ann</b>", when="today") }}')
        assert html == "Dernier enregistrement par &lt;b&gt;Ann&lt;/b&gt;, today"
        assert render_template_string(
            '{{ ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", 3) }}') == \
            render_template_string('{{ ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", n) }}',
                                   n=3)
        from flask_babel import ngettext
        assert render_template_string(
            '{{ ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", 3) }}') == \
            ngettext("Saved %(num)d answer.", "Saved %(num)d answers.", 3)
        # Always a format string, as Jinja's newstyle gettext: "%%" is one "%".
        assert render_template_string('{{ _("100%%") }}') == "100%"
