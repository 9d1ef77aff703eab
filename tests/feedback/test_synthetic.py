"""The synthetic generator gives FB-01 and FB-05 values at the rates the seeds report."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from feedback.models import FeedbackInvitation, FeedbackResponse
from iro.registry import registry
from reporting.figures import Period, get_figure

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 14)


@time_machine.travel(TODAY, tick=False)
def test_generated_data_has_feedback_at_the_seed_rates(monkeypatch):
    # The core, reviews and protection make the held meetings; then this app's generator.
    wanted = {"reviews", "protection", "feedback"}
    monkeypatch.setattr(
        registry, "synthetic_data", [g for g in registry.synthetic_data if g[0] in wanted]
    )
    # generate_data runs as a command, under the jobs' statement timeout (manage.py), not the web
    # request's 5 seconds; the SET is undone when the test's transaction rolls back.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    out = StringIO()
    call_command("generate_data", scale="small", seed=3, today=TODAY, stdout=out)
    assert "feedback:" in out.getvalue()
    invitations = FeedbackInvitation.objects.count()
    answers = FeedbackResponse.objects.count()
    assert invitations > 50
    assert 0.2 < answers / invitations < 0.45
    assert not FeedbackResponse.objects.filter(submitted_on__gt=TODAY).exists()
    last_year = Period.year(2024)
    fb01 = get_figure("FB-01").compute(last_year)
    assert fb01.denominator > 20
    assert 70 <= fb01.value <= 95  # 84% at the seed's rate, with the noise of a small sample
    fb05 = get_figure("FB-05").compute(last_year)
    assert fb05.value == sum(fb05.breakdown.values()) > 20
    assert all(fb05.breakdown[c] > 0 for c in ("qr", "link", "email", "text"))
