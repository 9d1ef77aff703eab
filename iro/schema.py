"""The OpenAPI schema of the service's API (drf-spectacular), made to tell the truth about
optimistic concurrency.

Every edit of an existing record (POST, PUT or PATCH on a path that names the record) is checked
against the version the client opened (iro/concurrency.py): `version` in the body or an
`If-Match` header. A stale version answers 409 with a `detail` message. This schema class
documents the header and the 409 on those operations, so that generated clients and schemathesis
know them.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes
from rest_framework import serializers

from iro.concurrency import STALE_MESSAGE


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=f'"{STALE_MESSAGE}"')


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The version of the record the client opened (instead of `version` in the body). "
        "A different current version answers 409."
    ),
)


class ServiceAutoSchema(AutoSchema):
    def _edits_a_record(self) -> bool:
        return (
            self.method in ("POST", "PUT", "PATCH")
            and not self._is_create_operation()
            and "{" in self.path
        )

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [*parameters, IF_MATCH] if self._edits_a_record() else parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._edits_a_record() and "409" not in responses:
            responses["409"] = self._get_response_for_code(
                ConflictSerializer, "409", direction=direction
            )
            responses["409"]["description"] = "Someone else changed the record (stale version)."
        return responses
