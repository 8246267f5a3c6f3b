"""infra/mail.py: the development outbox, and SMTP (faked at the process edge)."""

from __future__ import annotations

import pytest

from benchmark.infra import mail
from tests.integration.security.helpers import body_of, outbox


class FakeSMTP:
    sent: list[tuple[str, object]] = []

    def __init__(self, host: str, port: int, timeout: int) -> None:
        self.host, self.port = host, port

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def starttls(self, context: object) -> None:
        FakeSMTP.sent.append(("starttls", self.host))

    def login(self, user: str, password: str) -> None:
        FakeSMTP.sent.append(("login", user))

    def send_message(self, message: object) -> None:
        FakeSMTP.sent.append(("send", message))


def test_development_mail_goes_to_the_outbox(app) -> None:
    path = mail.send("someone@example.org", "Hello", "Line one\nLine two")
    assert path is not None and path.parent.name == "outbox"
    [message] = outbox(app)
    assert message["To"] == "someone@example.org" and "Line two" in body_of(message)


def test_header_injection_is_neutralised(app) -> None:
    mail.send("a@example.org\nBcc: victim@example.org", "Hi\r\nBcc: x@example.org", "body")
    [message] = outbox(app)
    assert message["Bcc"] is None


@pytest.mark.config(MAIL_SERVER="smtp.example.org", MAIL_PORT=2525, MAIL_USERNAME="bench",
                    MAIL_PASSWORD="secret")
def test_smtp_is_used_when_configured(app, monkeypatch) -> None:
    FakeSMTP.sent = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    assert mail.send("someone@example.org", "Hello", "body") is None
    assert [step[0] for step in FakeSMTP.sent] == ["starttls", "login", "send"]
    assert FakeSMTP.sent[2][1]["To"] == "someone@example.org"
    assert outbox(app) == []
