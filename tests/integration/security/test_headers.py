"""Security headers on every kind of page: a CSP without inline scripts, and on API responses."""

from __future__ import annotations

from tests.builders import build_city, build_user
from tests.integration.security.helpers import sign_in


def _pages(client) -> list[str]:
    admin = build_user("admin")
    city = build_city()
    sign_in(client, admin)
    return ["/", "/login", "/password/forgot", "/account", "/account/tokens", "/admin/users",
            "/admin/cities", f"/admin/cities/{city.id}", "/admin/audit", "/no-such-page"]


def test_csp_without_inline_scripts_on_every_page(client) -> None:
    for path in _pages(client):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert "'unsafe-inline'" not in directives.get("default-src", ""), path
        assert directives["frame-ancestors"] == "'none'", path
        assert directives["object-src"] == "'none'", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin",
                                              "no-referrer"}, path
        assert "no-store" in headers.get("Cache-Control", ""), path


def test_pages_contain_no_inline_script(client) -> None:
    for path in _pages(client):
        html = client.get(path).get_data(as_text=True)
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, (path, tag)
            assert chunk.split(">", 1)[1].startswith("</script>"), path
        assert " onclick=" not in html and " onload=" not in html, path


def test_api_responses_carry_the_headers_too(client) -> None:
    headers = client.get("/api/v1/ping").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
