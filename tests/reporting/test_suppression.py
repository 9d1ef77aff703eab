"""Small-number suppression: primary, percentages, and secondary suppression in groups."""

from reporting.suppression import (
    SMALL,
    WITHHELD,
    aggregates_only,
    suppress_entry,
    suppress_result,
)


def test_counts_of_one_to_four_are_shown_as_less_than_five():
    assert suppress_result({"value": 3}, "COUNT")["value"] == SMALL
    assert suppress_result({"value": 1}, "COUNT")["value"] == SMALL
    assert suppress_result({"value": 0}, "COUNT")["value"] == 0
    assert suppress_result({"value": 5}, "COUNT")["value"] == 5
    # A mean is not a count: left alone.
    assert suppress_result({"value": 3.0}, "MEAN")["value"] == 3.0


def test_a_percentage_with_a_small_numerator_or_denominator_is_withheld():
    out = suppress_result({"value": 5.0, "numerator": 2, "denominator": 40}, "PCT")
    assert out == {"value": WITHHELD, "numerator": SMALL, "denominator": 40}
    out = suppress_result({"value": 50.0, "numerator": 2, "denominator": 4}, "PCT")
    assert out["value"] == WITHHELD and out["denominator"] == SMALL
    out = suppress_result({"value": 60.0, "numerator": 30, "denominator": 50}, "PCT")
    assert out == {"value": 60.0, "numerator": 30, "denominator": 50}


def test_secondary_suppression_stops_a_cell_being_worked_out_from_the_total():
    # 13 children: 3 boys, 10 girls. With the total shown, hiding only the boys would give them
    # away (13 - 10), so the girls are withheld too.
    out = suppress_result({"value": 13, "breakdown": {"M": 3, "F": 10, "U": 0}}, "COUNT")
    assert out["value"] == 13
    assert out["breakdown"] == {"M": SMALL, "F": WITHHELD, "U": 0}


def test_secondary_suppression_picks_the_smallest_other_cell():
    out = suppress_result({"value": 40, "breakdown": {"a": 2, "b": 30, "c": 8}}, "COUNT")
    assert out["breakdown"] == {"a": SMALL, "b": 30, "c": WITHHELD}


def test_two_small_cells_protect_each_other():
    out = suppress_result({"value": 25, "breakdown": {"a": 2, "b": 3, "c": 20}}, "COUNT")
    assert out["breakdown"] == {"a": SMALL, "b": SMALL, "c": 20}


def test_monthly_series_are_suppressed_the_same_way():
    months = {"2024-04": 12, "2024-05": 1, "2024-06": 9}
    out = suppress_result({"value": 22, "months": months}, "COUNT")
    assert out["months"] == {"2024-04": 12, "2024-05": SMALL, "2024-06": WITHHELD}


def test_percentages_in_a_breakdown_that_would_give_a_small_count_are_withheld():
    # 6% of 50 is 3 children; with it withheld, the 94% would give it back, so it goes too.
    data = {
        "value": 100.0,
        "numerator": 50,
        "denominator": 50,
        "breakdown": {"WBRI": 94.0, "MWBC": 6.0},
    }
    out = suppress_result(data, "PCT")
    assert out["breakdown"] == {"WBRI": WITHHELD, "MWBC": WITHHELD}


def test_suppressed_values_lose_rag_and_direction_and_the_original_is_untouched():
    entry = {
        "kind": "COUNT",
        "result": {"value": 2},
        "previous": {"value": 9},
        "rag": "red",
        "direction": {"arrow": "down"},
    }
    out = suppress_entry(entry)
    assert out["result"]["value"] == SMALL and out["previous"]["value"] == 9
    assert out["rag"] is None and out["direction"] is None
    assert entry["result"]["value"] == 2


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
