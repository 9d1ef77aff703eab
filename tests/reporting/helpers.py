"""Checks shared by the figure tests."""

from reporting.figures import Kind, Period, get_figure


def rows_count(figure_id: str, period: Period, cell: str | None = None) -> int:
    return get_figure(figure_id).records(period, cell).count()


def assert_rows_add_up(figure_id: str, period: Period) -> None:
    """The records behind a figure add up to its number, cell by cell.

    Counts: rows(None) == value. Percentages and rates: rows(None) == numerator and
    rows("denominator") == denominator. Breakdowns of counts and monthly series of counts: each
    cell's rows equal the cell.
    """
    fig = get_figure(figure_id)
    result = fig.compute(period)
    if fig.kind == Kind.COUNT and isinstance(result.value, int):
        assert rows_count(figure_id, period) == result.value, figure_id
    if result.numerator is not None and isinstance(result.numerator, int):
        assert rows_count(figure_id, period) == result.numerator, figure_id
        if isinstance(result.denominator, int) and fig.extra.get("denominator_rows", True):
            assert rows_count(figure_id, period, "denominator") == result.denominator, figure_id
    for series in (result.breakdown or {}, result.months or {}):
        for key, cell in series.items():
            if isinstance(cell, int) and not isinstance(cell, bool):
                assert rows_count(figure_id, period, key) == cell, (figure_id, key)


def get_following_word_build(client, url: str):
    """GET `url`; where it starts a Word build (reporting:annual-docx redirects to the build's
    page), run the Celery task here in-process and GET the finished document instead."""
    from django.urls import resolve, reverse

    from reporting.tasks import build_report_download

    response = client.get(url)
    if response.status_code == 302 and resolve(response.url).url_name == "report-download":
        pk = resolve(response.url).kwargs["pk"]
        build_report_download(pk)
        return client.get(reverse("reporting:report-download-file", args=[pk]))
    return response
