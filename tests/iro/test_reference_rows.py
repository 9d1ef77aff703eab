"""The rows that data migrations write (the service and IRP settings, the default stage ladder)
are written again after a flush, which empties every table and runs no migration: the flush
between transactional tests, or `manage.py flush`."""

import pytest
from django.core.management import call_command

from escalations.models import EscalationSettings, StageDefinition
from iro.models import ServiceSettings


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_settings_rows_and_the_default_ladder():
    call_command("flush", interactive=False, verbosity=0)
    assert ServiceSettings.objects.filter(pk=1).exists()
    assert EscalationSettings.objects.filter(pk=1).exists()
    assert list(StageDefinition.objects.order_by("order").values_list("order", flat=True)) == [
        1, 2, 3, 4
    ]  # fmt: skip


@pytest.mark.django_db
def test_reading_the_settings_writes_nothing(django_assert_num_queries):
    ServiceSettings.objects.all().delete()
    with django_assert_num_queries(1):
        loaded = ServiceSettings.load()
    assert loaded.pk == 1 and not ServiceSettings.objects.exists()
