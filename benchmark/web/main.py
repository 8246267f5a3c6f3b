"""Home page, health check and language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from benchmark import __version__
from benchmark.infra import health

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    return render_template("main/home.html")


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask every site for /favicon.ico, whatever the page's <link rel="icon">."""
    return send_from_directory(current_app.static_folder or "static", "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    ok, detail = health.check_database()
    body = {"status": "ok" if ok else "error", "version": __version__, "database": detail}
    return jsonify(body), 200 if ok else 503


@bp.get("/language/<code>")
def set_language(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    target = request.args.get("next", "")
    # Only same-site paths: an open redirect would help phishing.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = url_for("main.home")
    return redirect(target)


@bp.get("/api/docs")
def api_docs() -> str:
    from benchmark.web.api.meta import docs_page

    return docs_page()
