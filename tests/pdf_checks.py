"""What every PDF the service hands people must carry to be read by assistive
technology (PDF/UA-1, issue 16 item 7), read back with pypdf: a structure tree, marked
content, a language, a title shown as the window's title, headings, and a text
alternative on every figure. ``conftest`` checks each PDF the suite makes."""

from __future__ import annotations

import io

from pypdf import PdfReader


def structure_tags(reader: PdfReader) -> list[tuple[str, str | None]]:
    """(tag, text alternative) of every element of the structure tree, in order."""
    found: list[tuple[str, str | None]] = []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        stack.extend(reversed(kids) if isinstance(kids, list) else [kids])
    return found


def accessibility_problems(pdf: bytes) -> list[str]:
    """What the PDF lacks, in words (empty when it has everything)."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    problems = []
    if "/StructTreeRoot" not in root:
        return ["no structure tree (/StructTreeRoot)"]
    mark_info = root.get("/MarkInfo")
    if mark_info is None or mark_info.get_object().get("/Marked") != True:  # noqa: E712 (a pypdf BooleanObject)
        problems.append("not marked (/MarkInfo /Marked true)")
    if not str(root.get("/Lang", "")).strip():
        problems.append("no language (/Lang)")
    if not (reader.metadata and (reader.metadata.title or "").strip()):
        problems.append("no title")
    preferences = root.get("/ViewerPreferences")
    if preferences is None or preferences.get_object().get("/DisplayDocTitle") != True:  # noqa: E712
        problems.append("the title is not shown as the window title")
    tags = structure_tags(reader)
    if not any(tag in ("/H1", "/H2", "/H3") for tag, _ in tags):
        problems.append("no headings")
    if any(tag == "/Figure" and not alt for tag, alt in tags):
        problems.append("a figure without a text alternative")
    return problems
