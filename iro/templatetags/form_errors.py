from collections.abc import Mapping

from django import template

from iro import form_errors

register = template.Library()


@register.simple_tag(takes_context=True)
def error_summary_links(context) -> list[tuple[str, str]]:
    """The error summary's (anchor, message) pairs for the page's `form`, and for an `errors`
    dict ({field name: message}) of a page written without a form class."""
    links = form_errors.error_links(context.get("form"))
    errors = context.get("errors")
    if isinstance(errors, Mapping):
        links += form_errors.error_links(errors)
    return links
