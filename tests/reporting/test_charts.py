"""Server-drawn SVG charts: accessible, labelled, escaped, and tolerant of missing numbers."""

from xml.etree import ElementTree

from reporting import charts

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str):
    return ElementTree.fromstring(svg)


def test_bar_chart_is_an_accessible_image_with_every_value_labelled():
    svg = charts.bar_chart("c1", "Sex", ["M", "F"], [("2024/25", [2, 3]), ("2023/24", [1, 1])])
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{NS}title").text == "Sex"
    assert root.find(f"{NS}desc").text == "2024/25: M: 2, F: 3; 2023/24: M: 1, F: 1"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert {"M", "F", "2", "3", "2024/25", "2023/24"} <= set(texts)
    rects = list(root.iter(f"{NS}rect"))
    widths = [r for r in rects if r.get("class") != "app-chart__series"]  # the legend's keys
    bars = [float(r.get("width")) for r in rects if r.get("class") == "app-chart__series"]
    assert len(widths) == 2 and len(bars) == 4
    assert bars[2] == max(bars)  # F this year, the largest value, is the longest bar


def test_text_is_escaped():
    svg = charts.column_chart("c2", "<script>alert(1)</script>", ["A&B"], [('x"y', [1])])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "A&amp;B" in svg
    _parse(svg)  # still well-formed XML


def test_missing_and_suppressed_values_draw_nothing_but_are_labelled():
    svg = charts.line_chart("c3", "Monthly", ["Apr", "May", "Jun"], [("2024/25", [5, None, "<5"])])
    root = _parse(svg)
    assert len(list(root.iter(f"{NS}circle"))) == 1
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "<5" in texts
    assert "May: no data" in root.find(f"{NS}desc").text


def test_column_heights_are_proportional():
    root = _parse(charts.column_chart("c4", "t", ["a", "b"], [("s", [10, 5])]))
    heights = [float(r.get("height")) for r in root.iter(f"{NS}rect")]
    assert len(heights) == 2
    assert heights[0] == 2 * heights[1]


def test_sparkline_has_a_point_per_value_and_a_description():
    root = _parse(charts.sparkline("s1", "Trend", ["Jan", "Feb", "Mar"], [1, 2, 3]))
    assert root.get("role") == "img"
    assert len(root.find(f"{NS}polyline").get("points").split()) == 3
    assert root.find(f"{NS}desc").text == "Jan: 1, Feb: 2, Mar: 3"
