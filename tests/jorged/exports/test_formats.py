from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import datetime

import attrs
import pypdf
import pytest
from openpyxl import load_workbook

from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard.query import ConversationQuery, SortField
from jorged.exports import (
    COLUMNS,
    filter_params,
    write_csv,
    write_json,
    write_pdf,
    write_xlsx,
)
from jorged.exports.columns import CSV_HEADERS as CSV_HEADER_NAMES
from jorged.exports.columns import csv_texts, labelled_cells
from jorged.store.codec import to_jsonable
from tests.jorged.exports.sample import (
    NAMES,
    NOW,
    conversations,
    expected_rows,
    generated_rows,
    index_of,
    lead_for,
    snapshot_of,
)

HEADERS = [header for _, header in COLUMNS]
CSV_HEADERS = list(CSV_HEADER_NAMES)
QUERIES = [
    ConversationQuery(),
    ConversationQuery(
        temperature=frozenset({Temperature.HOT, Temperature.WARM}),
        price_min=300_000,
        sort=SortField.PRICE,
        descending=False,
    ),
    ConversationQuery(stage=frozenset({Stage.QUALIFIED}), q="austin"),
    ConversationQuery(q="fontana", sort=SortField.NAME),
]
NOTHING = ConversationQuery(q="no such seller anywhere")


@attrs.frozen
class Data:
    states: list
    leads: list

    def rows(self, query):
        return index_of(self.states, self.leads).rows(query)

    def expected(self, query):
        return expected_rows(self.states, self.leads, query)


@pytest.fixture(name="data", scope="module")
def _data():
    states = conversations(300)
    return Data(states, [lead_for(s, i) for i, s in enumerate(states) if i % 3 == 0])


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_sheets(data: bytes) -> tuple[list[tuple], list[tuple]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return (
            list(book["Conversations"].iter_rows(values_only=True)),
            list(book["Export"].iter_rows(values_only=True)),
        )
    finally:
        book.close()


def pdf_text(data: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages
    )


def unguarded(text: str) -> str:
    return text.removeprefix("'")


class TestCsv:
    @pytest.mark.parametrize("query", QUERIES)
    def test_holds_exactly_the_filtered_rows(self, data, query):
        """Read back with the csv module, the file is the header and the rows."""
        out = io.BytesIO()
        n = write_csv(data.rows(query), out)
        expected = data.expected(query)
        table = read_csv(out.getvalue())
        assert (n, table[0]) == (len(expected), CSV_HEADERS)
        assert [[unguarded(v) for v in r] for r in table[1:]] == [
            csv_texts(r) for r in expected
        ]
        # Codes stay codes; the label columns after them say the same in words.
        for row, line in zip(expected, table[1:], strict=True):
            assert line[len(HEADERS) :] == [
                str(labelled_cells(row)[HEADERS.index(h.removesuffix(" label"))])
                for h in CSV_HEADERS[len(HEADERS) :]
            ]

    def test_empty_result_is_a_header(self, data):
        """No matching row gives a valid file with the header alone."""
        out = io.BytesIO()
        assert write_csv(data.rows(NOTHING), out) == 0
        assert read_csv(out.getvalue()) == [CSV_HEADERS]

    def test_special_characters_survive(self, data):
        """Commas, quotes, newlines, emoji and other scripts come back intact."""
        out = io.BytesIO()
        write_csv(data.rows(ConversationQuery(sort=SortField.NAME)), out)
        names = {r[1] for r in read_csv(out.getvalue())[1:]}
        assert {'Bob "the, builder"', "Zoë 😀", "line\nbreak", "李小龍"} <= names

    def test_formulas_are_neutralised_but_phones_kept(self, data):
        """Text a spreadsheet would run gets an apostrophe; a +1 phone does not."""
        out = io.BytesIO()
        write_csv(data.rows(ConversationQuery()), out)
        table = read_csv(out.getvalue())[1:]
        names, phones = {r[1] for r in table}, {r[2] for r in table}
        assert {'\'=HYPERLINK("http://x")', "'-2+3", "'@sum"} <= names
        assert any(p.startswith("+1909555") for p in phones)


class TestXlsx:
    @pytest.mark.parametrize("query", QUERIES)
    def test_holds_exactly_the_filtered_rows_typed(self, data, query):
        """openpyxl reads the header and every row with numbers and dates typed,
        and the codes as the labels a person reads ("Price", not "q_price")."""
        out = io.BytesIO()
        n = write_xlsx(data.rows(query), out, filters=query, generated_at=NOW)
        rows, _ = xlsx_sheets(out.getvalue())
        expected = data.expected(query)
        assert (n, list(rows[0])) == (len(expected), HEADERS)
        assert [tuple(None if v == "" else v for v in r) for r in rows[1:]] == [
            tuple(None if v == "" else v for v in labelled_cells(r)) for r in expected
        ]
        codes = {"q_price", "q_motivation", "1_3_months", "6_plus_months", "opted_out"}
        assert not {v for r in rows[1:] for v in r} & codes

    def test_export_sheet_names_filters_time_and_count(self, data):
        """The second sheet says when, how many and which filters."""
        query = QUERIES[1]
        out = io.BytesIO()
        write_xlsx(data.rows(query), out, filters=query, generated_at=NOW)
        _, about = xlsx_sheets(out.getvalue())
        assert about[:2] == [
            ("Generated at (UTC)", datetime(2025, 6, 1, 12)),
            ("Rows", len(data.expected(query))),
        ]
        assert ("temperature", "hot, warm") in about
        assert ("price_min", "300000") in about

    def test_empty_result_is_a_header(self, data):
        """No matching row gives a workbook with the header alone."""
        out = io.BytesIO()
        write_xlsx(data.rows(NOTHING), out, filters=NOTHING, generated_at=NOW)
        rows, about = xlsx_sheets(out.getvalue())
        assert (rows, about[1]) == ([tuple(HEADERS)], ("Rows", 0))

    def test_text_is_never_a_formula(self, data):
        """Names that look like formulas or hold emoji stay text, as written."""
        out = io.BytesIO()
        query = ConversationQuery()
        write_xlsx(data.rows(query), out, filters=query, generated_at=NOW)
        rows, _ = xlsx_sheets(out.getvalue())
        assert {n for n in NAMES if n} <= {r[1] for r in rows[1:]}

    def test_a_failed_export_leaves_no_temporary_file(self, monkeypatch, tmp_path):
        """When the rows fail midway, the sheet's temporary file is removed."""
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

        def failing():
            yield from generated_rows(10)
            raise RuntimeError("store went away")

        with pytest.raises(RuntimeError, match=r"^store went away$"):
            write_xlsx(
                failing(), io.BytesIO(), filters=ConversationQuery(), generated_at=NOW
            )
        assert list(tmp_path.iterdir()) == []


class TestJson:
    @pytest.mark.parametrize("query", QUERIES)
    def test_holds_exactly_the_filtered_rows(self, data, query):
        """The json module reads the document: time, filters and the API rows."""
        out = io.BytesIO()
        n = write_json(data.rows(query), out, filters=query, generated_at=NOW)
        doc = json.loads(out.getvalue())
        expected = data.expected(query)
        assert doc == {
            "generated_at": "2025-06-01T12:00:00+00:00",
            "filters": filter_params(query),
            "rows": [to_jsonable(r) for r in expected],
            "row_count": n,
        }
        assert n == len(expected)

    @pytest.mark.parametrize("n", [0, 1, 255, 256, 257, 512, 600])
    def test_every_size_is_valid_json(self, n):
        """Sizes around the write batch give valid documents with every row."""
        out = io.BytesIO()
        query = ConversationQuery()
        write_json(generated_rows(n), out, filters=query, generated_at=NOW)
        doc = json.loads(out.getvalue())
        assert [r["contact_id"] for r in doc["rows"]] == [
            r.contact_id for r in generated_rows(n)
        ]

    def test_special_characters_survive(self, data):
        """Names come back exactly, emoji and newlines included."""
        out = io.BytesIO()
        query = ConversationQuery()
        write_json(data.rows(query), out, filters=query, generated_at=NOW)
        names = {r["first_name"] for r in json.loads(out.getvalue())["rows"]}
        assert set(NAMES) <= names


class TestPdf:
    def pdf(self, data, query, **kw):
        out = io.BytesIO()
        snapshot = snapshot_of(data.states, data.leads)
        n = write_pdf(
            data.rows(query),
            out,
            snapshot=snapshot,
            filters=query,
            generated_at=NOW,
            **kw,
        )
        return n, pdf_text(out.getvalue())

    @pytest.mark.parametrize("query", QUERIES)
    def test_table_holds_exactly_the_filtered_rows(self, data, query):
        """Every exported contact has one table line, in list order."""
        n, text = self.pdf(data, query)
        ids = [w for w in text.split() if w.startswith("c") and w[1:].isdigit()]
        expected = data.expected(query)
        assert (n, ids) == (len(expected), [r.contact_id for r in expected])

    def test_first_page_shows_kpis_filters_and_charts(self, data):
        """Page 1 names the export, the hero KPIs, the filters and the charts."""
        _, text = self.pdf(data, QUERIES[1])
        for words in (
            "Seller conversations",
            "Generated 2025-06-01 12:00 UTC",
            "Active conversations",
            "Qualification rate",
            "Median first reply",
            "Hot sellers, last 24 h",
            "temperature: hot, warm",
            "price_min: 300000",
            "Price (midpoint)",
        ):
            assert words in text

    def test_the_table_shows_labels_not_codes(self, data):
        """Stages, timelines and flags read as words in the PDF, not codes."""
        _, text = self.pdf(data, QUERIES[0])
        words = set(text.split())
        assert not words & {"q_price", "q_motivation", "1_3_months", "6_plus_months"}
        assert "Qualified" in words or "Motivation" in words

    def test_a_capped_table_says_so(self, data):
        """Rows beyond the limit are left out, and the report says how many."""
        n, text = self.pdf(data, ConversationQuery(), table_limit=40)
        assert n == 300
        assert "The table shows the first 40 of 300 rows; use CSV or XLSX" in text
        assert "first 40 of 300 rows. Use CSV or XLSX for all of them." in text
        ids = [w for w in text.split() if w.startswith("c") and w[1:].isdigit()]
        assert ids == [r.contact_id for r in data.expected(ConversationQuery())[:40]]

    def test_empty_result_is_a_valid_report(self, data):
        """No matching row gives a readable report that says so."""
        n, text = self.pdf(data, NOTHING)
        assert n == 0
        assert "0 conversations in this export" in text
        assert "No conversation matches." in text

    def test_unprintable_characters_are_marked(self, data):
        """Emoji become ? in the PDF, and the report says CSV keeps them."""
        _, text = self.pdf(data, ConversationQuery())
        assert "Zoë ?" in text
        assert "print as ?; CSV, XLSX and JSON keep them" in text
