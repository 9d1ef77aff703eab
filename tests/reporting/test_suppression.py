"""Small-number suppression: the DfE convention (1 to 5 withheld as c, 0 shown), percentages,
and secondary suppression in groups. tests/reporting/test_disclosure.py proves no withheld cell
can be worked out, over generated authorities and random breakdowns."""

from reporting.suppression import (
    LEGEND,
    SUPPRESSED,
    aggregates_only,
    suppress_entry,
    suppress_result,
)

C = SUPPRESSED


def test_counts_of_one_to_five_are_shown_as_c():
    assert C == "c" and LEGEND.startswith("c: ")
    assert [suppress_result({"value": n}, "COUNT")["value"] for n in range(8)] == [
        0, C, C, C, C, C, 6, 7,
    ]  # fmt: skip
    # A mean is not a count: left alone.
    assert suppress_result({"value": 3.0}, "MEAN")["value"] == 3.0


def test_a_percentage_with_a_small_numerator_or_denominator_is_withheld():
    out = suppress_result({"value": 12.5, "numerator": 5, "denominator": 40}, "PCT")
    assert out == {"value": C, "numerator": C, "denominator": 40}
    out = suppress_result({"value": 60.0, "numerator": 3, "denominator": 5}, "PCT")
    assert out == {"value": C, "numerator": C, "denominator": C}
    out = suppress_result({"value": 60.0, "numerator": 30, "denominator": 50}, "PCT")
    assert out == {"value": 60.0, "numerator": 30, "denominator": 50}


def test_a_rate_or_average_of_a_few_is_withheld():
    out = suppress_result({"value": 18.5, "numerator": 40, "denominator": 4}, "MEAN")
    assert out == {"value": C, "numerator": C, "denominator": C}
    out = suppress_result({"value": 31.2, "numerator": 2, "denominator": 640}, "RATE")
    assert out["value"] == C and out["denominator"] == 640


def test_secondary_suppression_stops_a_cell_being_worked_out_from_the_total():
    # 13 children: 3 boys, 10 girls. With the total shown, hiding only the boys would give them
    # away (13 - 10), so the girls are withheld too.
    out = suppress_result({"value": 13, "breakdown": {"M": 3, "F": 10, "U": 0}}, "COUNT")
    assert out["value"] == 13
    assert out["breakdown"] == {"M": C, "F": C, "U": 0}


def test_secondary_suppression_picks_the_smallest_other_cell():
    out = suppress_result({"value": 40, "breakdown": {"a": 2, "b": 30, "c": 8}}, "COUNT")
    assert out["breakdown"] == {"a": C, "b": 30, "c": C}


def test_two_small_cells_protect_each_other_unless_they_must_be_ones():
    out = suppress_result({"value": 25, "breakdown": {"a": 2, "b": 3, "c": 20}}, "COUNT")
    assert out["breakdown"] == {"a": C, "b": C, "c": 20}
    # 1 + 1 = 2 shown as the remainder: both would be 1, so a third cell goes.
    out = suppress_result({"value": 32, "breakdown": {"a": 1, "b": 1, "c": 20, "d": 10}}, "COUNT")
    assert out["breakdown"] == {"a": C, "b": C, "c": 20, "d": C}


def test_a_group_that_cannot_be_protected_withholds_its_total():
    # Six months of 1: the shown 6 would make every month 1. The total goes, and with it the
    # breakdown's only cell (6 = 6).
    data = {
        "value": 6,
        "breakdown": {"M": 6, "F": 0},
        "months": {f"2025-{m:02d}": 1 for m in range(1, 7)},
    }
    out = suppress_result(data, "COUNT")
    assert out["value"] == C and out["breakdown"] == {"M": C, "F": 0}
    assert set(out["months"].values()) == {C}


def test_a_series_that_does_not_add_up_to_the_value_is_not_a_group():
    # Children in care at each month end: the months do not add up to the value, so a small
    # month takes no other month with it.
    months = {"2024-04": 12, "2024-05": 5, "2024-06": 9}
    out = suppress_result({"value": 14, "months": months}, "COUNT")
    assert out["months"] == {"2024-04": 12, "2024-05": C, "2024-06": 9}


def test_monthly_series_that_add_up_are_suppressed_the_same_way():
    months = {"2024-04": 12, "2024-05": 1, "2024-06": 9}
    out = suppress_result({"value": 22, "months": months}, "COUNT")
    assert out["months"] == {"2024-04": 12, "2024-05": C, "2024-06": C}


def test_percentages_in_a_breakdown_that_would_give_a_small_count_are_withheld():
    # 6% of 50 is 3 children; with it withheld, the 94% would give it back, so it goes too.
    data = {
        "value": 100.0,
        "numerator": 50,
        "denominator": 50,
        "breakdown": {"WBRI": 94.0, "MWBC": 6.0},
    }
    out = suppress_result(data, "PCT")
    assert out["breakdown"] == {"WBRI": C, "MWBC": C}


def test_suppressed_values_lose_rag_and_direction_and_the_original_is_untouched():
    entry = {
        "kind": "COUNT",
        "result": {"value": 5},
        "previous": {"value": 9},
        "rag": "red",
        "direction": {"arrow": "down"},
    }
    out = suppress_entry(entry)
    assert out["result"]["value"] == C and out["previous"]["value"] == 9
    assert out["rag"] is None and out["direction"] is None
    assert entry["result"]["value"] == 5


def test_aggregates_only_drops_lists_and_drill_down():
    entry = {
        "kind": "LIST",
        "has_rows": True,
        "result": {"value": 2, "columns": ["LA child ID"], "table": [["C1"], ["C2"]]},
        "previous": {"value": 1, "columns": ["LA child ID"], "table": [["C0"]]},
    }
    out = aggregates_only(entry)
    assert out["result"] == {"value": 2} and out["previous"] == {"value": 1}
    assert out["has_rows"] is False
