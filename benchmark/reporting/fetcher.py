"""The only way WeasyPrint may load a resource: data: URIs and files under reports/.

Report content (city names, answers, evidence, comments) is escaped by the templates,
so it never becomes markup; this fetcher is the second wall. Anything else —
file:// outside reports/, http(s), ftp, a path escaping via ``..`` or a symlink — is
refused with ``RefusedURL`` (fatal by default, so a template bug cannot go unnoticed).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

#: The folder holding templates, styles and fonts of the reports.
REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"

_MIME_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf",
               ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml",
               ".png": "image/png", ".html": "text/html"}


class RefusedURL(ValueError):
    """A resource outside the allowed set was requested."""


def resolve_report_file(url: str, root: Path = REPORTS_DIR) -> Path:
    """The real path of a file:// URL if it names a regular file under ``root``.

    Raises RefusedURL for other hosts, traversal out of ``root`` (``..``, encoded or
    not) and symlinks that resolve outside it.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise RefusedURL(f"not a file URL: {url!r}")
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"remote file URL refused: {url!r}")
    root = root.resolve()
    try:
        # resolve() follows every symlink and removes "..", so the containment check
        # below sees where the bytes really come from.
        path = Path(url2pathname(parts.path)).resolve(strict=True)
    except (OSError, RuntimeError) as error:
        raise RefusedURL(f"no such report file: {url!r}") from error
    if not path.is_relative_to(root) or not path.is_file():
        raise RefusedURL(f"outside {root}: {url!r}")
    return path


def make_safe_fetcher(root: Path = REPORTS_DIR, *,
                      on_request: Callable[[str], None] | None = None,
                      fail_on_errors: bool = True) -> Any:
    """A WeasyPrint URL fetcher limited to data: URIs and files under ``root``.

    ``on_request`` is called with every URL WeasyPrint asks for, allowed or not (tests
    use it to prove hostile content never reached the fetcher). With
    ``fail_on_errors`` a refused URL aborts the rendering instead of being logged.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False,
                             fail_on_errors=fail_on_errors)

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if on_request is not None:
                on_request(url)
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                # DataHandler decodes the URI in memory; no opener, so no proxy or
                # other handler can get involved.
                response = DataHandler().data_open(Request(url))  # noqa: S310 (data: only)
                return URLFetcherResponse(url, response.read(), dict(response.headers))
            if scheme == "file":
                path = resolve_report_file(url, root)
                content_type = (_MIME_TYPES.get(path.suffix.lower())
                                or mimetypes.guess_type(path.name)[0]
                                or "application/octet-stream")
                return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                          {"Content-Type": content_type})
            raise RefusedURL(f"scheme refused: {unquote(url)[:200]!r}")

    return SafeFetcher()
