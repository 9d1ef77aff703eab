import pytest


@pytest.fixture(autouse=True)
def _job_statement_timeout(request):
    """Generating and importing a whole authority are jobs, not web requests: no statement
    timeout (as config.db_timeouts gives commands and the worker)."""
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        yield
        return
    from django.db import connection

    request.getfixturevalue("_django_db_helper")
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    yield
