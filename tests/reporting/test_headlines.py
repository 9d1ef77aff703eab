"""Headline sentences of the annual report (reporting.headlines): numbers, direction words,
singular and plural, and targets and benchmarks said one way."""

from reporting.headlines import comparators, headline, note, sentence


def entry(fid="REV-03", kind="PCT", value=None, previous=None, **extra):
    base = {
        "id": fid,
        "title": extra.pop("title", "CLA reviews held on time"),
        "kind": kind,
        "unit": extra.pop("unit", "%" if kind == "PCT" else "children"),
        "better": extra.pop("better", "higher"),
        "result": {"value": value, **extra.pop("result", {})},
        "previous": {"value": previous} if previous is not None else {},
        "target": extra.pop("target", None),
        "rag": extra.pop("rag", None),
        "benchmarks": extra.pop("benchmarks", []),
        "direction": extra.pop("direction", None),
    }
    return {**base, **extra}


def test_a_percentage_reads_n_of_d_with_the_direction_and_judgement():
    e = entry(
        value=93.4,
        previous=89.0,
        result={"numerator": 198, "denominator": 212},
        direction={"judgement": "better"},
    )
    assert sentence(e, "2023/24") == (
        "198 of 212 reviews (93.4%) were held on time, up from 89.0% in 2023/24 (better)."
    )


def test_down_and_worse_and_the_same():
    e = entry(
        value=80.0,
        previous=90.5,
        result={"numerator": 4, "denominator": 5},
        direction={"judgement": "worse"},
    )
    assert sentence(e, "2023/24") == (
        "4 of 5 reviews (80.0%) were held on time, down from 90.5% in 2023/24 (worse)."
    )
    same = entry(value=50.0, previous=50.0, result={"numerator": 1, "denominator": 2})
    assert sentence(same, "2023/24") == (
        "1 of 2 reviews (50.0%) was held on time, the same as in 2023/24."
    )


def test_singular_and_plural():
    one_of_one = entry(value=100.0, result={"numerator": 1, "denominator": 1})
    assert sentence(one_of_one) == "1 of 1 review (100.0%) was held on time."
    none = entry(value=0.0, result={"numerator": 0, "denominator": 3})
    assert sentence(none) == "0 of 3 reviews (0.0%) were held on time."
    nothing = entry(value=None, previous=80.0, result={"numerator": 0, "denominator": 0})
    assert sentence(nothing, "2023/24") == "CLA reviews held on time: none to count, so no figure."
    count = entry("CLA-01", "COUNT", value=1, previous=2, better="neither")
    assert sentence(count, "2023/24") == (
        "1 child was looked after on 31 March, down from 2 children in 2023/24."
    )
    many = entry("CLA-01", "COUNT", value=2034, previous=2045, better="neither")
    assert sentence(many, "2024/25") == (
        "2,034 children were looked after on 31 March, down from 2,045 children in 2024/25."
    )
    orders = entry("LVC-06", "COUNT", value=1, unit="children")
    assert sentence(orders) == "1 adoption order was made in the year."


def test_averages_and_figures_without_words_read_by_their_title():
    days = entry("DR-05", "MEAN", value=1.0, previous=12.26, unit="working days", better="lower")
    assert sentence(days, "2023/24") == (
        "An IRP took 1 working day to resolve, on average, down from 12.3 working days in 2023/24."
    )
    per_fte = entry("IRO-01", "MEAN", value=69.34, unit="children per FTE", better="lower")
    assert sentence(per_fte) == "Each full-time IRO had 69.3 looked-after children on 31 March."
    other = entry("XX-01", "COUNT", value=7, title="Things counted", unit="things")
    assert sentence(other) == "Things counted: 7 things."
    no_number = entry("XX-02", "PCT", value=None, title="A share")
    assert sentence(no_number, "2023/24") == "A share: no figure."


def test_targets_and_benchmarks_are_said_one_way():
    e = entry(
        value=93.4,
        target=95.0,
        rag="amber",
        benchmarks=[
            {"label": "England", "year_label": "2023/24", "value": 91.0},
            {"label": "Statistical neighbours", "year_label": "2023/24", "value": 90.2},
        ],
    )
    c = comparators(e)
    assert c["target"] == "Target: 95% or more"
    assert c["rag_text"] == "Amber: close to the target"
    assert c["benchmarks"] == ["England 2023/24: 91.0%", "Statistical neighbours 2023/24: 90.2%"]
    lower = comparators(entry("REC-01", "MEAN", value=18, target=20, rag="green",
                              unit="working days", better="lower"))  # fmt: skip
    assert lower["target"] == "Target: 20 working days or less"
    assert lower["rag_text"] == "Green: target met"
    nothing = comparators(entry(value=50.0))
    assert nothing == {"target": None, "rag": None, "rag_text": "", "benchmarks": [],
                       "any": False}  # fmt: skip
    assert headline(e)["text"].startswith("CLA reviews held on time: 93.4%")


def test_a_benchmarks_note_is_never_shown_beside_the_benchmarks():
    assert note(entry(result={"note": "Benchmarks: none loaded"})) == ""
    assert note(entry(result={"note": "Counted on 31 March"})) == "Counted on 31 March"
