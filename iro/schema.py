"""The OpenAPI schema of the service's API (drf-spectacular), made to tell the truth about what
every operation answers, errors included, so that a client generated from it knows each shape.

Every operation documents, beside its success:
- 400 with the field errors DRF returns: an object whose keys are the fields (or
  `non_field_errors`), each holding a list of messages (or, for a nested or list field, the
  same structure inside), on operations that take a body or query parameters;
- 403 with `detail`: not signed in, a token that is not valid, or a role that may not do this.
  The API answers 403 rather than 401 in every such case: session authentication comes first and
  sends no `WWW-Authenticate` challenge, so DRF turns 401 into 403 (documented as such);
- 404 with `detail`: no such record, or one outside iro/access.py (a record the user may not see
  answers 404, never 403), or a page of a list past its end;
- 429 with `detail`: throttled (iro.throttling, API_RATE_LIMIT).

Every edit of an existing record (POST, PUT or PATCH on a path that names the record) is checked
against the version the client opened (iro/concurrency.py): `version` in the body or an
`If-Match` header. A stale version, by either, answers 409 with a `detail` message; this schema
documents the header and the 409 on those operations. (The service does not answer 412 for a
stale If-Match: both ways of sending the version get the same 409, tested in
tests/qa/test_lost_updates.py.)

tests/api/test_schema_conformance.py checks with schemathesis that every answer's status is
documented and its body matches the documented schema.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes
from rest_framework import serializers

from iro.concurrency import STALE_MESSAGE


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=f'"{STALE_MESSAGE}"')


class ErrorDetailSerializer(serializers.Serializer):
    """DRF's body for an error that is not about fields: `{"detail": "..."}`."""

    detail = serializers.CharField(help_text="What went wrong, in words")


# DRF's body for a refused request (serializers.ValidationError): each key a field name or
# `non_field_errors`; each value a list of messages, or for a nested serializer or a list of them
# the same structure inside (an object, or a list with one entry per item).
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "Field errors: each key is a field (or non_field_errors), each value the list of "
        "messages for it (for a nested or list field, the same structure for each item)"
    ),
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {}},
            {"type": "object", "additionalProperties": {}},
        ]
    },
    "example": {"date_of_birth": ["The date of birth must be today or in the past"]},
}

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

ERROR_DESCRIPTIONS = {
    "400": "The request was refused: the field errors say why.",
    "403": (
        "Not signed in, a token that is not valid, or a role that may not do this "
        "(the API answers 403, not 401, in each case)."
    ),
    "404": "No such record, or one you may not see; or a page past the end of a list.",
    "429": "Too many requests: try again after the number of seconds in the message.",
}


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

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if not operation:
            return operation
        responses = operation.setdefault("responses", {})
        takes_input = self.method in ("POST", "PUT", "PATCH") or any(
            parameter.get("in") == "query" for parameter in operation.get("parameters", [])
        )
        if takes_input and "400" not in responses:
            responses["400"] = {
                "description": ERROR_DESCRIPTIONS["400"],
                "content": {"application/json": {"schema": FIELD_ERRORS_SCHEMA}},
            }
        for code in ("403", "404", "429"):
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorDetailSerializer, code)
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        operation["responses"] = dict(sorted(responses.items()))
        return operation
