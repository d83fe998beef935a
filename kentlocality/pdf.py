"""The one PDF helper: HTML templates under ``templates/<app>/pdf/`` rendered by
WeasyPrint. WeasyPrint is imported on first use, not at start-up (it costs about 0.6 s).

Every PDF is tagged PDF/UA-1 (WeasyPrint's ``pdf_variant``): a structure tree made from
the template's headings, lists and tables (``th`` cells are table headers), marked
content, the document's language from ``<html lang>``, its title from ``<title>`` shown
as the window title, and each chart's ``<title>`` as its text alternative. Each PDF
template therefore has a ``lang``, a ``<title>``, real headings and ``th`` cells."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


def render_pdf(template_name: str, context: dict) -> bytes:
    return write_pdf(render_to_string(template_name, context))


def write_pdf(html: str) -> bytes:
    """The tagged PDF of a page of HTML (the tests check every one the suite makes)."""
    from weasyprint import HTML

    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=project_files_only()
    ).write_pdf(pdf_variant=PDF_VARIANT)


def project_files_only() -> object:
    """WeasyPrint's URL fetcher (a ``weasyprint.urls.URLFetcher``) for our PDFs (issue
    17, item 6): ``data:`` URLs and the project's own static files only. Anything else (another file on the server, a web
    address, an attachment link) is refused and logged, and the PDF is made without it:
    a template, or text a person typed into one, can never make the service read a file
    or call out to the network. Imported on first use, as WeasyPrint is (so the imports
    are here: this part of the module is the fetcher's alone)."""
    import logging
    import mimetypes
    import posixpath
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    from django.contrib.staticfiles import finders
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    logger = logging.getLogger(__name__)
    static_dirs = [Path(d).resolve() for d in settings.STATICFILES_DIRS]

    def static_file(url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = unquote(parts.path)
        found = None
        if path.startswith(settings.STATIC_URL):
            relative = posixpath.normpath(path[len(settings.STATIC_URL) :])
            if relative.startswith(("..", "/")):
                return None
            try:
                found = finders.find(relative)
            except Exception:  # a path the finders refuse (traversal): not ours
                return None
        else:
            candidate = Path(path).resolve()
            if any(candidate.is_relative_to(d) for d in static_dirs):
                found = str(candidate)
        return Path(found) if found and Path(found).is_file() else None

    class ProjectFilesOnly(URLFetcher):
        def fetch(self, url: str, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                logger.warning("PDF: refused to fetch %s", url[:200])
                raise ValueError("Only data: URLs and the service's static files are fetched")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return ProjectFilesOnly()
