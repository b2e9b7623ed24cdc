"""Exports of the conversations behind a filter: CSV, XLSX, JSON and a PDF report.

Every writer takes the rows as an iterable (consumed once, lazily, as
`Aggregator.rows(query)` yields them) and writes to a binary file, so an export of
100,000 rows never holds 100,000 rows at once. `export` picks the writer by format
and reports what it wrote.
"""

from __future__ import annotations

from jorged.exports.columns import (
    COLUMNS,
    PROGRESS_EVERY,
    BinarySink,
    describe_filters,
    filter_params,
    iter_progress,
)
from jorged.exports.export import (
    CONTENT_TYPES,
    FORMATS,
    ExportFormat,
    ExportResult,
    export,
    export_filename,
    parse_format,
)
from jorged.exports.jsondoc import write_json
from jorged.exports.pdf import PDF_TABLE_LIMIT, write_pdf
from jorged.exports.tabular import write_csv
from jorged.exports.xlsx import write_xlsx

__all__ = [
    "COLUMNS",
    "CONTENT_TYPES",
    "FORMATS",
    "PDF_TABLE_LIMIT",
    "PROGRESS_EVERY",
    "BinarySink",
    "ExportFormat",
    "ExportResult",
    "describe_filters",
    "export",
    "export_filename",
    "filter_params",
    "iter_progress",
    "parse_format",
    "write_csv",
    "write_json",
    "write_pdf",
    "write_xlsx",
]
