"""The data the load test runs on and what it checks afterwards: the `la` data set built once a
day and copied for each run, the accounts and published snapshot it needs, the row counts, and
the check that every write Locust saw succeed is in the database and the invariants hold.
"""

import subprocess
import time
from datetime import date

from bench.load.cluster import PASSWORD, log, manage

PREPARE = f"""
import json
from django.contrib.auth.hashers import make_password
from iro.models import User
from iro.roles import Role, group_name
User.objects.update(password=make_password({PASSWORD!r}))
roles = {{"iro": Role.IRO, "manager": Role.TEAM_MANAGER, "head": Role.HEAD_OF_SERVICE,
          "board": Role.BOARD_MEMBER}}
staff = {{key: list(User.objects.filter(groups__name=group_name(role), is_active=True)
                   .order_by("pk").values_list("username", "pk"))
         for key, role in roles.items()}}
# The board dashboard shows the latest published snapshot: publish one (as a head of service)
# if the data has none. The annual report is read for the last complete reporting year.
from reporting.annual_data import years_with_data
from reporting.models import Snapshot
from reporting.services import snapshot_publish
if not Snapshot.objects.filter(withdrawn=False).exists():
    snapshot_publish(kind="dashboard", by=User.objects.get(username=staff["head"][0][0]))
years = years_with_data()
# In service, Celery beat keeps the live board dashboard and the scorecard worked out
# (reporting.caching.warm_dashboards every 4 minutes); no worker runs here, so warm them once.
from django.utils import timezone
from reporting.caching import warm_dashboards
warm_dashboards(timezone.localdate())
print(json.dumps({{"staff": staff, "year": years[1] if len(years) > 1 else years[0]}}))
"""

COUNTS = """
import json
from iro.models import Allocation, Child, Meeting
from reviews.models import Review
print(json.dumps({"children": Child.objects.count(), "reviews": Review.objects.count(),
                  "meetings": Meeting.objects.count(), "held": Review.objects.filter(status="held").count(),
                  "booked": Review.objects.filter(status="booked").count()}))
"""


def build_data(env: dict, fresh: bool) -> None:
    """Give the run a fresh copy of the `la` data: generated once a day into `iro_load_base`
    (its dates are relative to the day it was built), then copied to `iro_load` for every run,
    so each run starts from the same state and earlier runs' bookings do not fill today's
    diaries (when they did, every booking was refused and the write check proved nothing)."""

    def psql(sql: str) -> str:
        return subprocess.run(
            ["psql", env["ADMIN_URL"], "-Atqc", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    today = date.today().isoformat()
    built_on = psql(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        "WHERE datname = 'iro_load_base'"
    )
    if built_on != today or fresh:
        psql("DROP DATABASE IF EXISTS iro_load_base")
        psql("CREATE DATABASE iro_load_base")
        started = time.perf_counter()
        base_env = {**env, "DATABASE_URL": env["ADMIN_URL"].rsplit("/", 1)[0] + "/iro_load_base"}
        manage(base_env, "migrate", "--verbosity=0")
        manage(base_env, "generate_data", "--scale", "la", "--seed", "1")
        psql(f"COMMENT ON DATABASE iro_load_base IS '{today}'")
        log(f"built la data in {time.perf_counter() - started:.0f} s")
    psql("DROP DATABASE IF EXISTS iro_load")
    started = time.perf_counter()
    psql("CREATE DATABASE iro_load TEMPLATE iro_load_base")
    log(f"copied the la data for this run in {time.perf_counter() - started:.1f} s")


VERIFY = """
import json, sys
from django.db import connection
from reviews.models import Review
import os
writes = [json.loads(line) for line in open(os.environ["LOAD_WRITES_FILE"])]
booked = {w["review"]: w["meeting"] for w in writes if w["kind"] == "booked"}
held = {w["review"] for w in writes if w["kind"] == "held"}
missing = []
for review in Review.objects.filter(pk__in=booked).select_related("meeting"):
    if review.meeting_id != booked[review.pk] or review.status not in ("booked", "held"):
        missing.append(("booked", review.pk, review.status, review.meeting_id))
found = set(Review.objects.filter(pk__in=booked).values_list("pk", flat=True))
missing += [("booked", pk, "absent", None) for pk in set(booked) - found]
for review in Review.objects.filter(pk__in=held):
    if review.status != "held" or review.held_on is None or review.participation == "":
        missing.append(("held", review.pk, review.status, review.held_on))
missing += [("held", pk, "absent", None) for pk in held - set(Review.objects.filter(pk__in=held).values_list("pk", flat=True))]
checks = {}
with connection.cursor() as c:
    c.execute('''SELECT count(*) FROM iro_allocation a JOIN iro_allocation b
                 ON a.child_id = b.child_id AND a.role = b.role AND a.id < b.id
                 WHERE a.start < COALESCE(b."end", 'infinity') AND b.start < COALESCE(a."end", 'infinity')''')
    checks["overlapping allocations (same child and role)"] = c.fetchone()[0]
    c.execute("SELECT count(*) FROM reviews_review WHERE status IN ('booked', 'held') AND meeting_id IS NULL AND held_on >= CURRENT_DATE - 120")
    checks["booked or recently held reviews without a meeting"] = c.fetchone()[0]
    c.execute("SELECT count(*) FROM reviews_review WHERE status = 'held' AND held_on IS NULL")
    checks["held reviews without a date"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM iro_meeting m WHERE m.status <> 'cancelled'
                 AND NOT EXISTS (SELECT 1 FROM iro_meeting_children mc WHERE mc.meeting_id = m.id)''')
    checks["meetings with no child"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM iro_meeting a JOIN iro_meeting b ON a.chair_id = b.chair_id
                 AND a.id <> b.id AND a.status <> 'cancelled' AND b.status <> 'cancelled'
                 AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
                 WHERE a.id = ANY(%s)''', [list(booked.values())])
    checks["meetings booked in the run that clash with another of the chair's"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM (SELECT child_id, role FROM iro_allocation
                 WHERE "end" IS NULL GROUP BY child_id, role HAVING count(*) > 1) x''')
    checks["children with two open allocations in one role"] = c.fetchone()[0]
    c.execute('''SELECT count(*) FROM reviews_review r WHERE r.status = 'held'
                 AND r.held_on = CURRENT_DATE AND NOT EXISTS (SELECT 1 FROM reviews_review n
                 WHERE n.child_id = r.child_id AND n.status IN ('due', 'booked') AND n.id <> r.id)
                 AND EXISTS (SELECT 1 FROM iro_careepisode e WHERE e.child_id = r.child_id
                 AND e."end" IS NULL)''')
    checks["reviews held today whose child in care has no next review"] = c.fetchone()[0]
print(json.dumps({"booked": len(booked), "held": len(held), "missing": missing, "checks": checks}))
"""
