from django import forms, template
from django.utils import timezone

register = template.Library()


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """(anchor id, message) for every error, pointing at an element that exists on the page.

    The GOV.UK pack numbers radio inputs from 1 (id_field_1), and a date input's first box is
    id_field_0; the pack's own summary points at ids that do not exist for radios.
    """
    links = []
    first = next(iter(form.visible_fields()), None)
    for message in form.non_field_errors():
        links.append((first.auto_id if first else "main-content", message))
    for field in form.visible_fields():
        if not field.errors:
            continue
        anchor = field.auto_id
        if isinstance(field.field.widget, forms.RadioSelect):
            anchor = f"id_{field.html_name}_1"
        elif isinstance(field.field.widget, forms.MultiWidget):
            anchor = f"{field.auto_id}_0"
        for message in field.errors:
            links.append((anchor, message))
    return links


@register.filter
def local(value):
    return timezone.localtime(value) if value else value


@register.filter
def yesno_blank(value) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not recorded")
