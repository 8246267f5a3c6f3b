"""What `make run` prints about logging in to the demo network."""

from __future__ import annotations

from sqlalchemy import select

from benchmark.extensions import db
from benchmark.models import User

#: Demo accounts created by `benchmark demo seed`; one per role.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credentials, demo data only
DEMO_USERS = (
    ("admin@demo.city-benchmark.org", "admin"),
    ("staff@demo.city-benchmark.org", "staff"),
    ("focal@demo.city-benchmark.org", "focal_point"),
    ("contributor@demo.city-benchmark.org", "contributor"),
)


def login_hints() -> list[str]:
    """Lines naming the demo accounts present in the database, with their password."""
    emails = [email for email, _ in DEMO_USERS]
    present = set(db.session.scalars(select(User.email).where(User.email.in_(emails))))
    if not present:
        return ["No demo accounts: create one with `benchmark user create --email E --role admin`."]
    lines = ["Log in with one of the demo accounts (password: " + DEMO_PASSWORD + "):"]
    for email, role in DEMO_USERS:
        if email in present:
            lines.append(f"  {role:<12} {email}")
    return lines
