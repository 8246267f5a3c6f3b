"""Rendered HTML kept per process under a digest of everything it is rendered from.

A fragment is rendered from its inputs (a read model, read from the database on every
request) and from the request's language, time zone and script root; the key is a digest
of all of them, so an entry is never stale and never another reader's: a change of
anything the fragment shows is a new key (the old entry is only unused). What must stay
per request (the CSRF token) is rendered as a slot and filled in on every use; a fragment
without one (`rendered_markup`) is kept as it is.
"""

from __future__ import annotations

import hashlib
import pickle
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup, escape

#: Fragments of all kinds kept per app and process, newest last; bounded in characters
#: (8 M: 8–16 MB, 2 bytes a character once a page holds Arabic).
KEPT_CHARS = 8_000_000

#: Where the CSRF token goes; random per process, so no stored text can contain it.
CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class Fragment:
    """Rendered HTML cut at its CSRF slot (the token is the request's own)."""

    head: str
    tail: str

    @classmethod
    def of(cls, html: str) -> Fragment:
        head, slot, tail = html.partition(CSRF_SLOT)
        if not slot:
            raise ValueError("a fragment renders the CSRF slot once")
        return cls(head, tail)

    def with_csrf(self, token: str) -> Markup:
        # Our own template's output, autoescaped when it was rendered.
        return Markup(self.head + str(escape(token)) + self.tail)  # noqa: S704  # nosec B704


class _Kept:
    def __init__(self) -> None:
        self.entries: OrderedDict[bytes, Fragment] = OrderedDict()
        self.chars = 0
        self.lock = threading.Lock()

    def get(self, key: bytes) -> Fragment | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: bytes, fragment: Fragment) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = fragment
            self.chars += len(fragment.head) + len(fragment.tail)
            while self.chars > KEPT_CHARS and len(self.entries) > 1:
                _, dropped = self.entries.popitem(last=False)
                self.chars -= len(dropped.head) + len(dropped.tail)


def rendered(name: str, inputs: tuple[object, ...], render: Callable[[str], str]) -> Fragment:
    """`render(CSRF_SLOT)` as a Fragment, rendered once per process for equal inputs.

    `inputs` must hold everything the template reads besides the request's language, time
    zone and script root (added here): plain data that pickles (dataclasses, mappings,
    datetimes), equal exactly when the rendered HTML is. Anything left out would show one
    reader a page rendered for other data or another reader.
    """
    key = _key(name, inputs)
    if key is None:
        return Fragment.of(render(CSRF_SLOT))
    kept = _kept()
    found = kept.get(key)
    if found is None:
        found = Fragment.of(render(CSRF_SLOT))
        kept.put(key, found)
    return found


def rendered_markup(name: str, inputs: tuple[object, ...], render: Callable[[], str]) -> Markup:
    """`render()`, kept like `rendered` (the same rule for `inputs`), for HTML that holds
    nothing per request (no CSRF token)."""
    key = _key("markup:" + name, inputs)
    if key is None:
        html = render()
    else:
        kept = _kept()
        found = kept.get(key)
        if found is None:
            found = Fragment(render(), "")
            kept.put(key, found)
        html = found.head
    # Our own template's output, autoescaped when it was rendered.
    return Markup(html)  # noqa: S704  # nosec B704


def _kept() -> _Kept:
    kept: _Kept = current_app.extensions.setdefault("benchmark.fragments", _Kept())
    return kept


def _key(name: str, inputs: tuple[object, ...]) -> bytes | None:
    """The digest of a fragment's inputs and the request's language, time zone and script
    root; None when nothing may be kept: while templates reload (someone editing them sees
    each edit at once), or for inputs that do not pickle (rendered every time, only slower)."""
    if current_app.jinja_env.auto_reload:
        return None
    context = (name, str(get_locale()), str(get_timezone()), request.script_root, inputs)
    try:
        return hashlib.blake2b(pickle.dumps(context, protocol=5), digest_size=20).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
