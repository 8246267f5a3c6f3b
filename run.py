"""Serve City Benchmark: `python run.py [--host H] [--port P] [--prod] [--workers N]`.

Without --prod: Flask's development server. With --prod: gunicorn (2+ workers) and
BENCHMARK_ENV=production (secure cookies, no debug).
"""

from __future__ import annotations

import argparse
import os
import sys


def _banner(url: str) -> None:
    print(f"\nCity Benchmark is running at {url}", flush=True)
    try:
        from benchmark.app import create_app
        from benchmark.demo import accounts as demo_accounts

        with create_app().app_context():
            lines = demo_accounts.login_hints()
    except Exception:
        lines = []
    for line in lines:
        print(line, flush=True)
    print("Press Ctrl+C to stop.\n", flush=True)


def _checked_app():  # type: ignore[no-untyped-def]
    """The app, or exit with one line when the configuration or the database cannot work."""
    from benchmark.app import create_app
    from benchmark.config import ConfigError
    from benchmark.infra import health

    try:
        app = create_app()
    except ConfigError as err:
        sys.exit(f"benchmark: configuration error: {err}")
    with app.app_context():
        ok, detail = health.check_database()
    if not ok:
        sys.exit(f"benchmark: database {detail}; check BENCHMARK_DATABASE_URL "
                 "(and run `benchmark init`)")
    return app


def serve_development(host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    os.environ.setdefault("BENCHMARK_ENV", "development")
    # Emailed links (invitations, password resets) point at this server unless told otherwise.
    os.environ.setdefault("BENCHMARK_BASE_URL", f"http://{host}:{port}")
    app = _checked_app()
    _banner(f"http://{host}:{port}")
    run_simple(host, port, app, threaded=True, use_reloader=False)


def serve_production(host: str, port: int, workers: int) -> None:
    os.environ["BENCHMARK_ENV"] = "production"
    from gunicorn.app.base import BaseApplication

    from benchmark.app import create_app
    from benchmark.infra import recycling

    app = _checked_app()  # fail fast, with one message, before forking workers
    workers = max(2, workers)
    if not app.config.get("REDIS_URL") and app.config.get("RATELIMIT_ENABLED"):
        print(f"benchmark: warning: {workers} workers and no BENCHMARK_REDIS_URL: rate limits "
              "are counted per worker (each allows the full limit); set BENCHMARK_REDIS_URL to "
              "share them", file=sys.stderr, flush=True)

    class _Gunicorn(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            # Recycle workers: a worker that renders reports (in-process jobs, a first
            # download) grows ~0.5 MiB per report in native memory (docs/performance.md):
            # replaced after RENDER_MAX_TASKS reports, and after max_requests requests.
            self.cfg.set("max_requests", recycling.max_requests)
            self.cfg.set("max_requests_jitter", recycling.max_requests_jitter)
            self.cfg.set("post_request", recycling.post_request)
            self.cfg.set("when_ready", lambda _server: _banner(f"http://{host}:{port}"))
            if "control_socket" in self.cfg.settings:  # gunicorn 24+: one per instance, not
                # one per user, so that two instances on one host do not take each other's
                _control_socket(self.cfg)

        def load(self):  # type: ignore[no-untyped-def]
            return create_app()

    _Gunicorn().run()


def _control_socket(cfg) -> None:  # type: ignore[no-untyped-def]
    from benchmark.config import default_instance_path

    path = str(default_instance_path() / "gunicorn.ctl")
    if len(path.encode()) < 100:  # a Unix socket path has a small length limit
        cfg.set("control_socket", path)
    else:
        cfg.set("control_socket_disable", True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--prod", action="store_true", help="serve with gunicorn, production mode")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    args = parser.parse_args(argv)
    if args.prod:
        serve_production(args.host, args.port, args.workers)
    else:
        serve_development(args.host, args.port)


if __name__ == "__main__":
    main()
