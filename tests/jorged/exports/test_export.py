from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from jorged.domain.dashboard.query import ConversationQuery
from jorged.exceptions import Invalid
from jorged.exports import CONTENT_TYPES, FORMATS, export, parse_format
from tests.jorged.exports.sample import NOW, generated_rows, snapshot_of

QUERY = ConversationQuery()


def run(fmt, n=5, **kw):
    out = io.BytesIO()
    result = export(
        fmt,
        generated_rows(n),
        out,
        snapshot=snapshot_of([], []),
        filters=QUERY,
        generated_at=NOW,
        **kw,
    )
    return result, out.getvalue()


class TestExport:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_reports_what_it_wrote(self, fmt):
        """Rows, exact byte count, content type and a dated file name."""
        result, data = run(fmt)
        assert (result.rows, result.bytes) == (5, len(data))
        assert result.content_type == CONTENT_TYPES[fmt]
        assert result.filename == f"conversations-20250601-120000.{fmt}"

    @pytest.mark.parametrize(
        ("fmt", "magic"),
        [
            ("csv", b"\xef\xbb\xbfContact ID,"),
            ("xlsx", b"PK"),
            ("json", b"{"),
            ("pdf", b"%PDF"),
        ],
    )
    def test_dispatches_by_format(self, fmt, magic):
        """Each format starts as its readers expect."""
        _, data = run(fmt)
        assert data.startswith(magic)

    def test_streamed_workbook_opens(self):
        """An XLSX written to an unseekable stream is still a readable workbook."""
        _, data = run("xlsx", n=3)
        book = load_workbook(io.BytesIO(data), read_only=True)
        try:
            ids = [r[0] for r in book["Conversations"].iter_rows(values_only=True)]
        finally:
            book.close()
        assert ids == ["Contact ID", *(r.contact_id for r in generated_rows(3))]

    def test_format_names_are_forgiving(self):
        """Case and spaces around a format name do not matter."""
        assert parse_format(" XLSX ") == "xlsx"

    def test_unknown_format_is_a_bad_request(self):
        """An unknown format is refused, naming the field and the choices."""
        with pytest.raises(
            Invalid,
            match=r"^format: unknown format 'docx', expected one of csv, xlsx, json, pdf$",
        ):
            run("docx")

    def test_naive_time_is_refused(self):
        """The generation time must say its zone."""
        with pytest.raises(ValueError, match=r"^generated_at: must carry a time zone$"):
            export(
                "csv",
                [],
                io.BytesIO(),
                snapshot=snapshot_of([], []),
                filters=QUERY,
                generated_at=datetime(2025, 6, 1),
            )

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_progress_counts_rows(self, fmt):
        """Progress is reported as rows go by, ending with the total."""
        seen: list[int] = []
        run(fmt, n=25, progress=seen.append, progress_every=10)
        assert seen == [10, 20, 25]

    def test_file_name_uses_utc(self):
        """A time in another zone is named by its UTC time."""
        from datetime import timezone

        local = NOW.astimezone(timezone(timedelta(hours=-7)))
        out = io.BytesIO()
        result = export(
            "json",
            [],
            out,
            snapshot=snapshot_of([], []),
            filters=QUERY,
            generated_at=local,
        )
        assert result.filename == "conversations-20250601-120000.json"
        assert json.loads(out.getvalue())["generated_at"] == "2025-06-01T12:00:00+00:00"
