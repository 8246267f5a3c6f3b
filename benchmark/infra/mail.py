"""Outgoing email: SMTP when MAIL_SERVER is set, else .eml files in instance/outbox/ (development).

In development the whole message is also logged, so a reset link can be followed from the
console; with SMTP only recipient and subject are logged (bodies carry one-time links).

Production requires SMTP (config.check_production): every instance hands its mail to the
same relay, which queues and retries delivery as mail servers do. We chose that over a
queue of our own in the database because the relay already is the one shared sender,
and a second queue in front of it would duplicate its retries; an outbox folder per
machine is read by nobody. `describe` says at start which way mail goes.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

_HEADER_UNSAFE = re.compile(r"[\r\n]")


def describe(config: Mapping[str, Any], instance_path: str) -> str:
    """One line for the start-up log: where this instance's mail goes."""
    if config.get("MAIL_SERVER"):
        return f"mail: sent through SMTP at {config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    return (f"mail: no SMTP server (development): written to {Path(instance_path) / 'outbox'} "
            "and to this log")


def outbox_dir() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _message(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    # Header injection: a newline in a user-supplied address or subject must not add headers.
    message["From"] = _HEADER_UNSAFE.sub(" ", config["MAIL_SENDER"])
    message["To"] = _HEADER_UNSAFE.sub(" ", to)
    message["Subject"] = _HEADER_UNSAFE.sub(" ", subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="city-benchmark")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send(to: str, subject: str, body: str) -> Path | None:
    """Send a plain-text email; returns the written file in development (no MAIL_SERVER)."""
    config = current_app.config
    message = _message(to, subject, body)
    if not config.get("MAIL_SERVER"):
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.eml"
        path.write_bytes(bytes(message))
        log.info("mail to %s, subject %r: written to %s\n%s", to, subject, path, body)
        return path
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    log.info("mail to %s, subject %r: sent via %s", to, subject, config["MAIL_SERVER"])
    return None
