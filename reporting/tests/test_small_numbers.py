"""Small numbers stay hidden: the rule itself, and the hand-worked quarter
(tests/worlds/quarter.py) with a count that subtraction would otherwise give away."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.figures import COUNTED, OUTCOME_COUNTS, report_figures
from reporting.suppression import FEWER, NOT_SHOWN, SHOWN, count_text, hide_small_numbers
from tests.worlds import quarter
from tests.worlds.steps import clock


def test_a_count_from_1_to_4_is_fewer_than_5_and_0_is_shown():
    assert [count_text(n) for n in (0, 1, 4, 5, 1234)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]


def test_a_total_and_all_but_one_part_shown_hides_a_second_part():
    # 12 = 9 + 3: 3 is hidden; showing 12 and 9 would give it away, so 9 goes too.
    state = hide_small_numbers({"t": 12, "a": 9, "b": 3}, [("t", ["a", "b"])])
    assert state == {"t": SHOWN, "a": NOT_SHOWN, "b": FEWER}
    # Two parts already hidden: nothing more.
    state = hide_small_numbers({"t": 14, "a": 9, "b": 3, "c": 2}, [("t", ["a", "b", "c"])])
    assert state == {"t": SHOWN, "a": SHOWN, "b": FEWER, "c": FEWER}
    # The smallest part is the one hidden; a part of 0 protects nothing.
    state = hide_small_numbers(
        {"t": 30, "a": 9, "b": 3, "c": 18, "z": 0}, [("t", ["a", "b", "c", "z"])]
    )
    assert state == {"t": SHOWN, "a": NOT_SHOWN, "b": FEWER, "c": SHOWN, "z": SHOWN}


def test_hiding_stops_where_nothing_more_can_be_worked_out():
    state = hide_small_numbers({"t": 9, "a": 9, "b": 0}, [("t", ["a", "b"])])
    assert state == {"t": SHOWN, "a": SHOWN, "b": SHOWN}
    state = hide_small_numbers(
        {"t": 9, "a": 6, "b": 3, "u": 20, "v": 11},
        [("t", ["a", "b"]), ("u", ["t", "v"])],
    )
    # b hidden -> a hidden (t = a + b); t, u and v shown: nothing to work out.
    assert state["a"] == NOT_SHOWN and state["t"] == SHOWN


def test_hidden_parts_adding_up_to_fewer_than_5_hide_another():
    # 10 = 6 + 1 + 1 + 1 + 1: the four 1s are hidden, but 10 - 6 = 4 shared by four
    # outcomes of at least 1 each gives every one of them away; so 6 is hidden too.
    cells = {"t": 10, "a": 6, "b": 1, "c": 1, "d": 1, "e": 1}
    state = hide_small_numbers(cells, [("t", ["a", "b", "c", "d", "e"])])
    assert state["a"] == NOT_SHOWN and state["t"] == SHOWN


def test_hiding_one_cell_for_one_sum_is_carried_to_the_sums_it_is_in():
    # Rows: two CoS; columns: two outcomes; each row and column is a sum.
    cells = {"A1": 9, "A2": 7, "A": 16, "B1": 2, "B2": 8, "B": 10, "T1": 11, "T2": 15, "T": 26}
    sums = [
        ("A", ["A1", "A2"]),
        ("B", ["B1", "B2"]),
        ("T1", ["A1", "B1"]),
        ("T2", ["A2", "B2"]),
        ("T", ["A", "B"]),
        ("T", ["T1", "T2"]),
    ]
    state = hide_small_numbers(cells, sums)
    for total, parts in sums:
        hidden = [key for key in (total, *parts) if state[key]]
        assert len(hidden) != 1, (total, parts, state)
    assert state["B1"] == FEWER


@pytest.mark.django_db
class TestTheHandWorkedQuarter:
    @pytest.fixture
    def s(self):
        return quarter.build()

    def test_the_area_report_hides_what_subtraction_would_give_away(self, s):
        area = report_figures(area_id=s.area.pk, start=s.quarter.start, end=s.quarter.end)
        ashdown, brookfield = area.sections
        total = area.total
        # Received: Ashdown 8, Brookfield 1, the area 9. Brookfield's is fewer than 5;
        # Ashdown's 8 with the area's 9 would give it away: not shown.
        assert (ashdown.received, brookfield.received, total.received) == (8, 1, 9)
        assert brookfield.counts["received"] == "fewer than 5"
        assert ashdown.counts["received"] == "not shown"
        assert total.counts["received"] == "9"
        # Decided: Ashdown 10, Brookfield 1, the area 11: the same.
        assert brookfield.counts["decided"] == "fewer than 5"
        assert ashdown.counts["decided"] == "not shown"
        assert total.counts["decided"] == "11"
        # Interim decisions: Ashdown 2, Brookfield 0, the area 2: fewer than 5 twice, and
        # Brookfield's 0 shown (it gives nothing away).
        assert ashdown.counts["interim"] == total.counts["interim"] == "fewer than 5"
        assert brookfield.counts["interim"] == "0"
        # Ashdown's headline amounts go with their counts.
        assert ashdown.hidden["approved_count"] == NOT_SHOWN

    def test_no_count_from_1_to_4_and_no_lone_hidden_count_anywhere(self, s):
        area = report_figures(area_id=s.area.pk, start=s.quarter.start, end=s.quarter.end)
        places = [*area.sections, area.total]
        for figures in places:
            for metric in COUNTED:
                value = figures.count_value(metric)
                if 0 < value < 5:
                    assert figures.counts[metric] == "fewer than 5", (figures.name, metric)
        # Across the CoS: no total count with exactly one of its CoS hidden.
        for metric in COUNTED:
            hidden = [f for f in places if figures_hidden(f, metric)]
            assert len(hidden) != 1, metric
        # Within each: decisions and their outcomes.
        for figures in places:
            cells = ["decided", *OUTCOME_COUNTS]
            assert sum(figures_hidden(figures, m) for m in cells) != 1, figures.name

    def test_a_cos_report_alone_shows_its_own_counts(self, s):
        own = report_figures(community_id=s.cos_a.pk, start=s.quarter.start, end=s.quarter.end)
        assert own.total.counts["received"] == "8"
        assert own.total.counts["decided"] == "10"
        assert own.total.counts["exceptional"] == "fewer than 5"
        # Decided 10: approved 6, and part-approved, declined, deferred and more
        # information 1 each. The four hidden add up to 4 (10 - 6), so each would be
        # known to be 1: approved is hidden too.
        outcomes = {row.label: row.count_text for row in own.total.outcome_breakdown.rows}
        assert outcomes["Approved"] == "not shown"
        assert outcomes["Declined"] == "fewer than 5"

    def test_the_board_page_shows_them_so(self, client, s):
        client.force_login(s.board)
        # Q3 so far: Ashdown received R10 (1 October) and decided R6; Brookfield nothing.
        with clock(dt.date(2026, 10, 20)):
            html = client.get(reverse("reporting:board", args=[s.area.pk])).content.decode()
        side = html.split("Communities of Schools side by side", 1)[1].split("</table>", 1)[0]
        ashdown = side.split("Ashdown CoS", 1)[1].split("</tr>", 1)[0]
        assert "fewer than 5" in ashdown and ">1<" not in ashdown
        decisions = html.split("Decisions made", 1)[1].split("</tr>", 1)[0]
        assert "fewer than 5" in decisions


def figures_hidden(figures, metric) -> bool:
    return figures.counts[metric] in ("fewer than 5", "not shown")
