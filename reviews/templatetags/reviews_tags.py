import html

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def local(value):
    return timezone.localtime(value) if value else value


@register.simple_tag
def booking_advice(due, book_by) -> str:
    """ "Book by <date>", "Book now, due <date>" or "Overdue, due <date>" (iro.rules)."""
    from iro.rules import booking_advice as advice

    return advice(due=due, book_by=book_by, today=timezone.localdate())


@register.filter
def yesno_blank(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not recorded")


def _flag_colour(flag: str) -> str:
    return "red" if "risk" in flag or "Late" in flag else "orange"


@register.simple_tag
def schedule_rows(day) -> str:
    """The rows of one day's table on the weekly schedule, built here rather than in a template
    loop: with every team's fortnight (several hundred meetings at `la` scale) the loop cost more
    than the rest of the page. Every value goes through html.escape (``_e``)."""
    rows = []
    for chair_day in day.chairs:
        for i, row in enumerate(chair_day.rows):
            chair = (
                f'<th scope="rowgroup" rowspan="{len(chair_day.rows)}" '
                f'class="govuk-table__header">{_e(chair_day.chair)}</th>'
                if i == 0
                else ""
            )
            detail = row.detail
            label = (
                f'<a class="govuk-link" href="{_e(detail.url)}">{_e(detail.label)}</a>'
                if detail.url
                else _e(detail.label)
            )
            if row.meeting.status == "held":
                label += ' <strong class="govuk-tag govuk-tag--green">Held</strong>'
            flags = "".join(
                f'<strong class="govuk-tag govuk-tag--{_flag_colour(flag)}">{_e(flag)}</strong> '
                for flag in detail.flags
            )
            rows.append(
                f'<tr class="govuk-table__row">{chair}'
                f'<td class="govuk-table__cell">{_e(row.times)}</td>'
                f'<td class="govuk-table__cell">{label}</td>'
                f'<td class="govuk-table__cell">{_e(row.meeting.get_venue_type_display())}</td>'
                f'<td class="govuk-table__cell">{_e(row.due)}</td>'
                f'<td class="govuk-table__cell">{flags}</td></tr>'
            )
    return mark_safe("\n".join(rows))  # noqa: S308 (built from escaped values above)


def _e(value) -> str:
    return html.escape(str(value))
