"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    if not _COMMON_FILE.is_file():
        return frozenset()
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _candidates(lowered: str) -> set[str]:
    """The password and the common word it may hide: "Sunshine2024!" → "sunshine".

    A 12-character minimum makes short list entries matter only when padded with digits
    or symbols, or doubled ("passwordpassword").
    """
    found = {lowered}
    base = _DECORATION.sub("", lowered)
    if len(base) >= 4:
        found.add(base)
    half = len(lowered) // 2
    if len(lowered) % 2 == 0 and lowered[:half] == lowered[half:]:
        found.add(lowered[:half])
    return found


def problem_code(password: str, *, email: str = "") -> str | None:
    """Why `password` is refused (length, too_long, common, email), or None when acceptable.

    ASVS 2.1: at least 12 characters, long passphrases allowed, no composition rules,
    checked against a list of common and breached passwords.
    """
    if len(password) < MIN_LENGTH:
        return "length"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if len(set(lowered)) < 4 or any(c in _common_passwords() for c in _candidates(lowered)):
        return "common"
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in lowered:
        return "email"
    return None


def policy_problem(password: str, *, email: str = "") -> str | None:
    """Why `password` is refused, in English (the command line), or None when acceptable."""
    return {
        "length": f"Use at least {MIN_LENGTH} characters.",
        "too_long": f"Use at most {MAX_LENGTH} characters.",
        "common": "This password is too common; choose a less predictable one.",
        "email": "Do not use your email address in your password.",
        None: None,
    }[problem_code(password, email=email)]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        # Same work as a real check, so timing does not reveal unknown accounts.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
