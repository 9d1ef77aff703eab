"""What the concern and IRP endpoints share."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from escalations.models import Category
from iro.access import children_visible_to
from iro.models import Child


def run_service(call):
    """Run a service call; its ValidationError becomes a DRF 400 with field errors."""
    try:
        return call()
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in error.message_dict.items()
            }
        else:
            detail = {"non_field_errors": error.messages}
        raise ValidationError(detail) from None


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
