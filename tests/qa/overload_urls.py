"""A page whose query outlasts its deadline, for tests/qa/test_overload.py only."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import include, path


def slow_page(request):
    with transaction.atomic(), connection.cursor() as cursor:
        # The deadline lowered for this transaction only, so the test takes a fraction of a second.
        cursor.execute("SET LOCAL statement_timeout = 100")
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("finished")


urlpatterns = [path("slow/", slow_page), path("", include("config.urls"))]
