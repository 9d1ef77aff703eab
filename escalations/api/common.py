"""What the concern and IRP endpoints share."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escalations.models import Category
from iro import concurrency
from iro.access import children_visible_to
from iro.models import Child


def run_service(call, *, guard=None):
    """Run a service call (under the version check of iro.concurrency when `guard` is
    (model, pk, version)); its ValidationError becomes a DRF 400 with field errors, 409 if stale."""
    try:
        if guard is None:
            return call()
        with concurrency.guard(*guard):
            return call()
    except DjangoValidationError as error:
        raise concurrency.api_error(error) from None


class VisibleChildrenMixin:
    def visible_children(self):
        request = self.context.get("request")
        if request is None:
            return Child.objects.none()
        return children_visible_to(request.user)


@extend_schema_field(
    {"type": "string", "description": "Category, one of: " + ", ".join(Category.values)}
)
class CategoryField(serializers.ChoiceField):
    """The concern/IRP category: a plain string in the schema, so its name cannot clash with
    the protection app's categories of abuse (still validated against the choices)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Category.choices, **kwargs)
