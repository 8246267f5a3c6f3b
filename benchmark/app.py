"""The application factory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, g

from benchmark import __version__, config
from benchmark.database import check_url, configure_postgresql, configure_sqlite, engine_options
from benchmark.extensions import babel, csrf, db, limiter, login_manager, migrate
from benchmark.web.urls import url_with

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config_overrides: dict[str, Any] | None = None) -> Flask:
    """Build a configured app; it never migrates the database (`benchmark init` does)."""
    instance_path = Path(
        (config_overrides or {}).get("INSTANCE_PATH") or config.default_instance_path()
    )
    settings = config.load(instance_path, config_overrides)
    config.check_production(settings)
    check_url(settings["DATABASE_URL"])
    config.ensure_instance_folder(instance_path)

    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
    )
    _apply_settings(app, settings, instance_path)
    from benchmark.web import converters

    converters.install(app.url_map)  # before any route: bounded ids, no control characters
    if int(settings.get("TRUSTED_PROXIES") or 0) > 0:
        # Behind N reverse proxies: client address (audit log, rate limits) and scheme.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(settings["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _init_extensions(app)
    from benchmark.infra import mail

    logging.getLogger(__name__).info(mail.describe(app.config, app.instance_path))
    _register_blueprints(app)
    _register_hooks(app)

    from benchmark.web.errors import register_error_handlers

    register_error_handlers(app)
    from benchmark.cli import register_commands

    register_commands(app)
    return app


def _apply_settings(app: Flask, settings: dict[str, Any], instance_path: Path) -> None:
    app.config.update(settings)
    app.config["BENCHMARK_VERSION"] = __version__
    production = settings["ENV"] == "production"
    app.config["SECRET_KEY"] = settings.get("SECRET_KEY") or config.secret_key(instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = settings["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(settings["DATABASE_URL"])
    # "__Host-": the browser refuses the cookie unless Secure, host-only and Path=/ (production).
    app.config["SESSION_COOKIE_NAME"] = settings.get("SESSION_COOKIE_NAME") or (
        "__Host-benchmark_session" if production else "benchmark_session")
    app.config["SESSION_COOKIE_PATH"] = "/"
    app.config["SESSION_COOKIE_DOMAIN"] = None
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production
    app.config["PERMANENT_SESSION_LIFETIME"] = settings["SESSION_ABSOLUTE_LIFETIME"]
    # CSRF tokens live as long as the session, so a long autosave session keeps working.
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    app.config["WTF_CSRF_SSL_STRICT"] = production
    # CSRF is checked in web/identity.py, which exempts bearer-token API calls.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["RATELIMIT_ENABLED"] = bool(settings["RATELIMIT_ENABLED"])
    app.config["RATELIMIT_STORAGE_URI"] = settings.get("REDIS_URL") or "memory://"
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    app.debug = False
    # Templates are re-read from disk only when asked for (BENCHMARK_TEMPLATES_AUTO_RELOAD,
    # for someone editing them): checking every template's mtime on every render costs
    # each page, and development mode is what `make bench` and most deployments measure.
    app.config.setdefault("TEMPLATES_AUTO_RELOAD", bool(settings.get("TEMPLATES_AUTO_RELOAD")))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            configure_sqlite(db.engine)
        elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            configure_postgresql(db.engine)
    from benchmark.web.locale import select_locale

    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)

    # Registered before the limiter so that it runs after the limiter's header injection
    # (Flask runs after-request hooks in reverse): Flask-Limiter sets Retry-After on every
    # response, but it means "wait" only on a 429 (or a 503), and a wait a view computed
    # (web/auth/backoff.py, kept in g.retry_after) is the one to tell.
    @app.after_request
    def _retry_after_only_when_waiting(response):  # type: ignore[no-untyped-def]
        if response.status_code not in (429, 503):
            response.headers.pop("Retry-After", None)
        elif "retry_after" in g:
            response.headers["Retry-After"] = str(g.retry_after)
        return response

    limiter.init_app(app)
    from benchmark.web.autocommit import init_autocommit_reads
    from benchmark.web.identity import init_identity
    from benchmark.web.inputs import init_inputs
    from benchmark.web.labels import init_labels
    from benchmark.web.locale import init_locale
    from benchmark.web.navigation import init_navigation

    init_autocommit_reads(app)  # before the identity hooks: it covers their reads
    init_identity(app)
    init_inputs(app)
    init_navigation(app)
    init_locale(app)
    init_labels(app)


def _register_blueprints(app: Flask) -> None:
    """Every blueprint of the web layer, in one list."""
    from benchmark.web import (
        account,
        admin,
        api,
        auth,
        cities,
        commitments,
        compare,
        dashboard,
        editions,
        main,
        network,
        notifications,
        practices,
        results,
        review,
        team,
    )

    for module in (main, auth, account, cities, commitments, team, review, dashboard, results,
                   network, compare, practices, editions, notifications, admin, api):
        app.register_blueprint(module.bp)


def _register_hooks(app: Flask) -> None:
    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {"app_version": __version__}

    def question_widget(type_name: str) -> Any:
        """The macros of a question type's widget (templates/questions/<type>.html), loaded once:
        an `{% import %}` per question would run the widget template again for each one."""
        return app.jinja_env.get_template(f"questions/{type_name}.html").module

    app.jinja_env.globals["question_widget"] = question_widget
    app.jinja_env.globals["url_with"] = url_with

    @app.after_request
    def _security_headers(response):  # type: ignore[no-untyped-def]
        headers = response.headers
        headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            # Inline SVG charts carry presentation attributes in style="".
            "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
