"""Layered configuration: defaults → instance/config.py → BENCHMARK_* environment → overrides."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmark.languages import LANGUAGES

ENV_PREFIX = "BENCHMARK_"


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to fix."""


def default_instance_path() -> Path:
    return Path(os.environ.get("BENCHMARK_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


def defaults(instance_path: Path) -> dict[str, Any]:
    return {
        "ENV": "development",
        "DATABASE_URL": f"sqlite:///{instance_path / 'benchmark.sqlite3'}",
        "SECRET_KEY": None,
        "REDIS_URL": None,
        "K_ANONYMITY": 5,
        "RATELIMIT_ENABLED": True,
        "QUESTIONNAIRE_DIR": str(Path(__file__).resolve().parent.parent / "questionnaires"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "API_MAX_BODY": 64 * 1024,
        "SESSION_IDLE_TIMEOUT": timedelta(hours=2),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=12),
        #: How long before the idle deadline the page warns (benchmark/static/js/session.js).
        "SESSION_WARNING": timedelta(minutes=5),
        #: Lifetime of emailed links; a link also dies once the password it guards changes.
        "PASSWORD_RESET_MAX_AGE": timedelta(hours=1),
        "INVITATION_MAX_AGE": timedelta(days=7),
        # Flask-Limiter strings ("N per minute; M per hour"); storage is Redis when REDIS_URL is set.
        "LOGIN_RATE_LIMIT": "10 per minute; 50 per hour",
        # Failed logins per account *and* source address, in growing windows (OWASP: delays,
        # no lock-out): 5 a minute, then 10 in 10 minutes, then 20 an hour. Another address
        # (the owner's) is never held back, and a password reset always works.
        "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute; 10 per 10 minutes; 20 per hour",
        # Failed logins per account from *any* address (web/auth/backoff.py): after
        # LOGIN_BACKOFF_FREE in a row the account waits 1, 2, 4 ... seconds, at most
        # LOGIN_BACKOFF_MAX, before a password is tried again; a success or a reset starts over.
        "LOGIN_BACKOFF_FREE": 5,
        "LOGIN_BACKOFF_MAX": 300,
        "PASSWORD_RESET_RATE_LIMIT": "5 per minute; 20 per hour",
        "API_RATE_LIMIT": "300 per minute",
        #: Reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust (0: none).
        "TRUSTED_PROXIES": 0,
        "MAIL_SERVER": None,
        "MAIL_PORT": 587,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": True,
        "MAIL_SENDER": "City Benchmark <no-reply@city-benchmark.invalid>",
        "BASE_URL": "http://127.0.0.1:5000",
        "REPORT_JOBS": 2,
        #: Let the reverse proxy send report files: "" (the application sends them),
        #: "x-accel-redirect" (nginx: an internal location at REPORT_SENDFILE_PREFIX that
        #: maps to instance/reports/) or "x-sendfile" (Apache mod_xsendfile, lighttpd).
        "REPORT_SENDFILE": "",
        #: Reports one rendering process renders before it is replaced by a fresh one
        #: (`report render-all` pool processes, `benchmark worker`): native memory of
        #: WeasyPrint/matplotlib grows per report and is only given back by exiting.
        "RENDER_MAX_TASKS": 40,
        #: Re-read templates changed on disk (for someone editing them; costs every page).
        "TEMPLATES_AUTO_RELOAD": False,
        "REPORT_SENDFILE_PREFIX": "/_reports/",
        #: Report downloads append their audit row to <instance>/audit-spool.jsonl, flushed
        #: into the audit log in batches (services/audit_spool.py) instead of a write
        #: transaction per download.
        "AUDIT_SPOOL": True,
        #: A download that finds the spool at least this large flushes it (~250 downloads).
        "AUDIT_SPOOL_FLUSH_BYTES": 64 * 1024,
        #: ... or whose oldest line is at least this old (seconds): with several machines,
        #: the audit page on one sees another's downloads at most this late.
        "AUDIT_SPOOL_FLUSH_SECONDS": 60,
        #: Background jobs that fail (or whose worker dies) run again this many times,
        #: after these delays in seconds (infra/jobs.py).
        "JOB_RETRIES": 3,
        "JOB_RETRY_DELAYS": "10,60,300",
        #: Render reports in the background after validations (off in tests).
        "BACKGROUND_JOBS": True,
        "LANGUAGES": LANGUAGES,
    }


def _coerce(raw: str, current: Any) -> Any:
    """Environment values are strings; give them the type of the default."""
    if isinstance(current, bool):
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"expected true or false, got {raw!r}")
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"expected a whole number, got {raw!r}") from None
    if isinstance(current, timedelta):
        return timedelta(seconds=int(raw))
    return raw


def load(instance_path: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The effective settings, without the Flask prefix conventions."""
    config = defaults(instance_path)
    local = instance_path / "config.py"
    if local.is_file():
        namespace: dict[str, Any] = {}
        exec(compile(local.read_text(), str(local), "exec"), namespace)  # noqa: S102  # nosec B102 - the operator's own file
        config.update({k: v for k, v in namespace.items() if k.isupper()})
    for key, raw in os.environ.items():
        if key.startswith(ENV_PREFIX) and key != "BENCHMARK_INSTANCE_PATH":
            name = key[len(ENV_PREFIX):]
            try:
                config[name] = _coerce(raw, config.get(name))
            except ConfigError as err:
                raise ConfigError(f"{key}: {err}") from None
    config.update(overrides or {})
    if config.get("REPORT_SENDFILE") not in {"", None, "x-accel-redirect", "x-sendfile"}:
        raise ConfigError(f"BENCHMARK_REPORT_SENDFILE: expected x-accel-redirect, x-sendfile or "
                          f"nothing, got {config['REPORT_SENDFILE']!r}")
    return config


def check_production(settings: Mapping[str, Any]) -> None:
    """Refuse, in production, settings that would split a deployment of several instances.

    A key generated per instance folder logs users out of the other instances and fails
    their forms' CSRF check; mail written to one machine's instance/outbox/ is read by
    nobody. Development keeps both conveniences.
    """
    if settings.get("ENV") != "production":
        return
    if not settings.get("SECRET_KEY"):
        raise ConfigError(
            "BENCHMARK_SECRET_KEY is not set; in production every instance must share one key "
            "(generate one with: python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if not settings.get("MAIL_SERVER"):
        raise ConfigError(
            "BENCHMARK_MAIL_SERVER is not set; in production invitations and password resets "
            "go out through SMTP, not into one machine's instance/outbox/"
        )


def ensure_instance_folder(instance_path: Path) -> None:
    """Create the instance folder and prove that it is writable.

    Every gunicorn worker runs this at the same moment: the probe is an anonymous
    temporary file of this process (no shared name that another worker could delete).
    """
    try:
        instance_path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=instance_path):
            pass
    except OSError as err:
        raise ConfigError(
            f"instance folder {instance_path} is not writable ({err.strerror}); "
            "set BENCHMARK_INSTANCE_PATH to a writable folder"
        ) from None


def secret_key(instance_path: Path) -> str:
    """The key of instance/secret_key, generated on first use (development; never committed).

    Simultaneous first starts race to create it: each writes a complete key to a file of
    its own and links it into place (atomic, and refused when the name exists), so every
    process ends up reading the one key that won.
    """
    path = instance_path / "secret_key"
    if not path.is_file():
        descriptor, temporary = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(descriptor, "w") as handle:  # mkstemp: readable by the owner only
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process linked its key first; that one is complete, use it
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise ConfigError(f"{path} is empty; delete it (a new key is generated) or set "
                          "BENCHMARK_SECRET_KEY")
    return key
