from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import hypothesis.strategies as st
import pytest
from hypothesis import given

from jorged.domain.conversation.state import Stage, Temperature
from jorged.domain.dashboard.params import parse_query
from jorged.domain.dashboard.query import ConversationQuery, SortField
from jorged.domain.language import Language
from jorged.domain.leads.analysis import TimelineBucket
from jorged.exports import describe_filters, filter_params, iter_progress
from jorged.exports.columns import COLUMNS, cells, texts
from tests.jorged.exports.sample import NOW, generated_rows

times = st.integers(-(10**6), 10**6).map(lambda s: NOW + timedelta(seconds=s))


@st.composite
def queries(draw: st.DrawFn) -> ConversationQuery:
    low, high = sorted(draw(st.lists(times, min_size=2, max_size=2)))
    prices = sorted(draw(st.lists(st.integers(0, 2_000_000), min_size=2, max_size=2)))
    return ConversationQuery(
        temperature=draw(st.frozensets(st.sampled_from(Temperature))),
        stage=draw(st.frozensets(st.sampled_from(Stage))),
        timeline=draw(st.frozensets(st.sampled_from(TimelineBucket))),
        stalled=draw(st.none() | st.booleans()),
        paused=draw(st.none() | st.booleans()),
        opted_out=draw(st.none() | st.booleans()),
        since=draw(st.none() | st.just(low)),
        until=draw(st.none() | st.just(high)),
        price_min=draw(st.none() | st.just(prices[0])),
        price_max=draw(st.none() | st.just(prices[1])),
        q=draw(st.sampled_from(["", "ann", "909-555", "Zoë, jr"])),
        sort=draw(st.sampled_from(SortField)),
        descending=draw(st.booleans()),
        page=draw(st.integers(1, 9)),
    )


class TestFilterParams:
    @given(queries())
    def test_round_trips_through_parse_query(self, query):
        """The written filters parse back into the same query, on its first page."""
        assert parse_query(filter_params(query)) == attrs.evolve(
            query, page=1, page_size=50
        )

    def test_no_filter_names_only_the_order(self):
        """An unfiltered export records its sort and nothing else."""
        assert filter_params(ConversationQuery()) == {
            "sort": "last_activity",
            "order": "desc",
        }


class TestDescribeFilters:
    def test_unfiltered_says_every_conversation(self):
        """Without filters the description says every conversation is in."""
        assert describe_filters(ConversationQuery(descending=False)) == [
            ("filters", "none (every conversation)"),
            ("sort", "last_activity, asc"),
        ]

    def test_names_each_filter(self):
        """Set filters are listed in parameter form, the search text quoted."""
        query = ConversationQuery(
            temperature=frozenset({Temperature.WARM, Temperature.HOT}),
            q=" smith ",
            since=datetime(2025, 1, 2, tzinfo=UTC),
        )
        assert describe_filters(query) == [
            ("temperature", "hot, warm"),
            ("since", "2025-01-02T00:00:00+00:00"),
            ("q", '"smith"'),
            ("sort", "last_activity, desc"),
        ]


class TestIterProgress:
    def test_reports_every_n_rows_and_at_the_end(self):
        """Progress comes every `every` rows, then once with the total."""
        seen: list[int] = []
        rows = list(iter_progress(generated_rows(7), seen.append, every=3))
        assert (len(rows), seen) == (7, [3, 6, 7])

    def test_exact_multiple_reports_the_total_once(self):
        """When the total is a multiple of `every`, the last report is not repeated."""
        seen: list[int] = []
        list(iter_progress(generated_rows(6), seen.append, every=3))
        assert seen == [3, 6]

    def test_empty_reports_zero(self):
        """An empty export still reports, with zero rows."""
        seen: list[int] = []
        list(iter_progress([], seen.append))
        assert seen == [0]

    def test_rejects_a_step_below_one(self):
        """A step of zero is refused with its name."""
        with pytest.raises(ValueError, match=r"^every: must be 1 or more, got 0$"):
            list(iter_progress([], print, every=0))


class TestCells:
    def test_typed_values_in_column_order(self):
        """Numbers stay numbers, times become naive UTC, flags one text."""
        row = next(generated_rows(1))
        assert cells(row) == (
            "contact-000000", "Seller 0", "+19090000000", "new", "hot",
            "stalled, booked", 200_000, 240_000, None, None, "unknown", 0, 0, "cold",
            datetime(2025, 6, 1, 12), datetime(2025, 5, 31, 12), "English",
        )  # fmt: skip

    def test_owed_and_estimate_have_columns_of_their_own(self):
        """A balance and an estimate are exported beside the price, not as it."""
        row = attrs.evolve(next(generated_rows(1)), owed=180_000, estimate=520_000)
        keys = [k for k, _ in COLUMNS]
        typed = dict(zip(keys, cells(row), strict=True))
        assert (typed["owed"], typed["estimate"]) == (180_000, 520_000)
        assert (typed["price_low"], typed["price_high"]) == (200_000, 240_000)
        assert dict(zip(keys, texts(row), strict=True))["owed"] == "180000"

    def test_language_as_a_label_in_cells_and_a_code_in_texts(self):
        """Spreadsheets and PDFs say "Spanish"; CSV and JSON keep the code "es"."""
        row = attrs.evolve(next(generated_rows(1)), language=Language.ES)
        assert (cells(row)[-1], texts(row)[-1]) == ("Spanish", "es")

    def test_text_values_leave_absent_values_empty(self):
        """Text cells show times with seconds and nothing for a missing score."""
        row = attrs.evolve(next(generated_rows(1)), lead_score=None, lead_class=None)
        assert texts(row)[-5:-1] == [
            "",
            "",
            "2025-06-01 12:00:00",
            "2025-05-31 12:00:00",
        ]
