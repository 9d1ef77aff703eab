"""What the concern and IRP endpoints share."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

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
