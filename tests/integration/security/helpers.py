"""Helpers of the security tests: fast sign-in, the development outbox, emailed links."""

from __future__ import annotations

import email
import re
from email.message import Message
from pathlib import Path
from typing import Any

from benchmark.extensions import db
from benchmark.models import User
from benchmark.services import accounts


def sign_in(client: Any, user: User) -> str:
    """Log `user` in without the form (no argon2 work): a real server-side session row."""
    session_id = accounts.start_session(user, ip="127.0.0.1", user_agent="pytest")
    db.session.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = session_id
        cookie["_fresh"] = True
    return session_id


def outbox(app: Any) -> list[Message]:
    """Emails written to instance/outbox/, oldest first."""
    folder = Path(app.instance_path) / "outbox"
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []
    return [email.message_from_bytes(p.read_bytes()) for p in files]


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def link_in(message: Message) -> str:
    """The path of the one link in an email (what the recipient would click)."""
    match = re.search(r"https?://[^/\s]+(/\S+)", body_of(message))
    assert match, body_of(message)
    return match.group(1)


def form_token(client: Any, path: str) -> str:
    """The CSRF token of the page at `path` (from the layout's meta tag)."""
    html = client.get(path).get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def post_form(client: Any, path: str, data: dict[str, Any]) -> Any:
    """POST `data` to `path` as the page's form would, with its CSRF token."""
    return client.post(path, data={**data, "csrf_token": form_token(client, path)})
