"""PDF generation fetches nothing it should not (issue 17, item 6): ``data:`` URLs and the
project's own static files only; another file of the server, a web address or an
attachment link is refused, logged, and left out of the PDF."""

from __future__ import annotations

import http.server
import io
import logging
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from kentlocality.pdf import project_files_only, render_pdf
from tests.pdf_checks import accessibility_problems, structure_tags

PIXEL = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class _Counting(http.server.BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        body = b"body { color: red } p::after { content: 'FETCHED' }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine that counts what it is asked for."""
    _Counting.asked = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counting.asked
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_template(settings, tmp_path, web_server) -> str:
    base, _ = web_server
    (tmp_path / "hostile.html").write_text(
        f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Report</title>
        <link rel="attachment" href="file:///etc/passwd">
        <link rel="attachment" href="{base}/payload.bin">
        <link rel="stylesheet" href="{base}/evil.css">
        <link rel="stylesheet" href="file:///etc/passwd">
        <link rel="stylesheet" href="/static/../../../etc/hosts">
        <style>@import url("{base}/imported.css");</style>
        </head><body><h1>Quarterly report</h1>
        <img src="{base}/tracker.png" alt="">
        <img src="{PIXEL}" alt="a pixel">
        </body></html>"""
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "hostile.html"


def test_a_pdf_carries_no_file_of_the_server_and_fetches_nothing(
    hostile_template, web_server, caplog
):
    _, asked = web_server
    with caplog.at_level(logging.WARNING, logger="kentlocality.pdf"):
        pdf = render_pdf(hostile_template, {})
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Quarterly report" in text
    assert "FETCHED" not in text and "root:" not in text
    assert b"/EmbeddedFile" not in pdf
    assert asked == []  # nothing was asked of the web server
    refused = [r.getMessage() for r in caplog.records if "refused to fetch" in r.getMessage()]
    assert any("file:///etc/passwd" in message for message in refused)
    assert any("/evil.css" in message for message in refused)
    assert any("/tracker.png" in message for message in refused)
    assert any("/payload.bin" in message for message in refused)
    assert any("etc/hosts" in message for message in refused)


def test_the_fetcher_allows_data_urls_and_the_projects_static_files():
    fetcher = project_files_only()
    assert fetcher.fetch(PIXEL).read().startswith(b"\x89PNG")
    svg = fetcher.fetch("file:///static/images/kent-favicon.svg")
    assert svg.read().lstrip().startswith(b"<")
    assert svg.content_type == "image/svg+xml"
    for url in (
        "file:///etc/passwd",
        "file:///static/../etc/passwd",
        "http://127.0.0.1:9/anything",
        "https://example.org/x.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError, match="Only data: URLs"):
            fetcher.fetch(url)


def test_every_pdf_is_tagged_with_title_language_headings_table_headers_and_chart_text(
    settings, tmp_path
):
    (tmp_path / "tagged.html").write_text(
        """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
        <title>Quarterly report for the North area</title></head><body>
        <h1>Quarterly report</h1><h2>Budget</h2>
        <table><thead><tr><th scope="col">CoS</th><th scope="col">Paid</th></tr></thead>
        <tbody><tr><th scope="row">Ashdown</th><td>£1,000.00</td></tr></tbody></table>
        <svg xmlns="http://www.w3.org/2000/svg" width="100" height="20" role="img">
        <title>Paid by CoS: Ashdown £1,000.00</title><rect width="50" height="10"/></svg>
        </body></html>"""
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = render_pdf("tagged.html", {})
    assert accessibility_problems(pdf) == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata.title == "Quarterly report for the North area"
    tags = structure_tags(reader)
    assert [t for t, _ in tags if t in ("/H1", "/H2")] == ["/H1", "/H2"]
    assert [t for t, _ in tags].count("/TH") == 3
    assert ("/Figure", "Paid by CoS: Ashdown £1,000.00") in tags


def test_the_check_finds_what_an_untagged_pdf_lacks():
    from weasyprint import HTML

    untagged = HTML(string="<p>No title, no language, no heading</p>").write_pdf()
    assert accessibility_problems(untagged) == ["no structure tree (/StructTreeRoot)"]
    tagged_but_bare = HTML(string="<p>Tagged, still bare</p>").write_pdf(pdf_variant="pdf/ua-1")
    assert set(accessibility_problems(tagged_but_bare)) >= {
        "no language (/Lang)",
        "no title",
        "no headings",
    }
