"""Kept fragments (web/fragments.py): rendered once per distinct inputs and request language."""

from __future__ import annotations

import threading

from flask_babel import refresh

from benchmark.web import fragments


def _renderer(calls: list[str], text: str):  # type: ignore[no-untyped-def]
    def render(slot: str) -> str:
        calls.append(text)
        return f"<form>{text}<input value='{slot}'></form>"
    return render


def test_equal_inputs_render_once_and_other_inputs_again(app) -> None:
    calls: list[str] = []
    with app.test_request_context("/"):
        first = fragments.rendered("t", ({"a": 1},), _renderer(calls, "one"))
        again = fragments.rendered("t", ({"a": 1},), _renderer(calls, "two"))
        other = fragments.rendered("t", ({"a": 1.0},), _renderer(calls, "three"))
    assert calls == ["one", "three"]
    assert again is first
    assert str(other.with_csrf("tok")) == "<form>three<input value='tok'></form>"


def test_another_language_renders_again(app) -> None:
    calls: list[str] = []
    for lang in ("en", "fr", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            refresh()  # the test's app context outlives each request's: forget its locale
            fragments.rendered("t", (1,), _renderer(calls, lang))
    assert calls == ["en", "fr"]


def test_the_csrf_token_is_escaped_into_its_slot(app) -> None:
    with app.test_request_context("/"):
        kept = fragments.rendered("t", (2,), _renderer([], "x"))
    assert "&lt;b&gt;" in str(kept.with_csrf("<b>"))


def test_inputs_that_do_not_pickle_are_rendered_every_time(app) -> None:
    calls: list[str] = []
    with app.test_request_context("/"):
        for _ in range(2):
            fragments.rendered("t", (threading.Lock(),), _renderer(calls, "x"))
    assert calls == ["x", "x"]


def test_templates_that_reload_are_rendered_every_time(app, monkeypatch) -> None:
    monkeypatch.setattr(app.jinja_env, "auto_reload", True)
    calls: list[str] = []
    with app.test_request_context("/"):
        for _ in range(2):
            fragments.rendered("t", (3,), _renderer(calls, "x"))
    assert calls == ["x", "x"]
