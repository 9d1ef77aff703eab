"""Serializers whose OpenAPI schema says what the answers really hold.

DRF drops `allow_blank` (and the schema then drops `null`) from read-only fields it builds from
model fields, so drf-spectacular would document a choice field that can be "" as an enum without
"", and a nullable foreign key as always present. Every API model serializer derives from
`SchemaTruthfulModelSerializer`, which puts both back from the model field.
"""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers


class SchemaTruthfulModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            source = field.source or name  # fields are bound (source set) only after this
            if not field.read_only or not source or source == "*" or "." in source:
                continue
            try:
                model_field = model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
            if getattr(model_field, "null", False):
                field.allow_null = True
            if isinstance(field, serializers.ChoiceField) and getattr(model_field, "blank", False):
                field.allow_blank = True
        return fields
