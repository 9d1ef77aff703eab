"""The mixed workload of the load test (run by bench/load/run.py; do not point it elsewhere).

Each simulated person signs in through the real sign-in form as a member of staff of the `la`
data set and then works as their role does. To add a page, add a line to the role's PAGES below
(weight, label, path). Managers read the annual report (the last complete reporting year,
LOAD_YEAR) and the scorecard; board members the board dashboard (a published snapshot, which
the run publishes if the data has none); every role its notifications inbox.

Writes go through the API (session authentication with the CSRF token, as the browser would):
an IRO books a due review of one of their children for today and records its outcome. Every
write that answers 200 is written to WRITES_FILE with the id the service returned, so that the
run can check afterwards that each one is in the database.

Every request is also written to REQUESTS_FILE (time, name, ok, milliseconds) so the run can
report the figures for the whole run and around each fault.
"""

import json
import os
import random
import re
import time
from datetime import date

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

STAFF = json.loads(os.environ.get("LOAD_STAFF", "{}"))
# The latest reporting year with data (April to March), for the annual report.
YEAR = os.environ.get("LOAD_YEAR", str(date.today().year - 1))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
WRITES_FILE = os.environ.get("LOAD_WRITES_FILE", "writes.jsonl")
REQUESTS_FILE = os.environ.get("LOAD_REQUESTS_FILE", "requests.jsonl")

# (weight, label, path) per role. Extend here when new pages arrive.
PAGES = {
    "iro": [
        (5, "IRO: my work", "/"),
        (2, "IRO: my reviews", "/reviews/"),
        (1, "IRO: my conferences", "/protection/my-conferences/"),
        (1, "IRO: children list", "/children/"),
        (1, "IRO: notifications inbox", "/notifications/"),
    ],
    "manager": [
        (3, "Manager: weekly schedule (all teams)", "/reviews/schedule/?team=all"),
        (2, "Manager: weekly schedule (own team)", "/reviews/schedule/"),
        (3, "Manager: caseloads", "/caseloads/"),
        (1, "Manager: home", "/"),
        (1, "Manager: unallocated", "/allocations/unallocated/"),
        (1, "Manager: all open IRPs", "/escalations/all/"),
        (1, "Manager: CP plans", "/protection/plans/"),
        (1, "Manager: annual report", f"/reporting/annual/{YEAR}/"),
        (1, "Manager: scorecard", "/reporting/scorecard/"),
        (1, "Manager: notifications inbox", "/notifications/"),
    ],
    "head": [
        (3, "Head: home (escalation queue)", "/"),
        (1, "Head: escalation queue", "/escalations/queue/"),
        (1, "Head: notifications inbox", "/notifications/"),
    ],
    "board": [
        (1, "Board: home", "/"),
        (3, "Board: dashboard (published snapshot)", "/reporting/board/"),
        (1, "Board: notifications inbox", "/notifications/"),
    ],
}

_requests: list[tuple] = []
_writes: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, response=None, **kwargs):
    ok = exception is None
    _requests.append((time.time(), name, ok, response_time))


@events.test_stop.add_listener
def _dump(environment, **kwargs):
    with open(REQUESTS_FILE, "w") as out:
        for row in _requests:
            out.write(json.dumps(row) + "\n")
    with open(WRITES_FILE, "w") as out:
        for row in _writes:
            out.write(json.dumps(row) + "\n")


class Staff(FastHttpUser):
    # FastHttpUser (geventhttpclient) costs the load tool a fraction of the CPU that the
    # requests-based HttpUser does: on a 2-core machine that CPU is taken from the service.
    abstract = True
    role = ""
    # 50 users making 100 requests a second between them is one request per user every 0.5 s,
    # think time and response together: 0.1 to 0.5 s of think time (mean 0.3 s) leaves room for
    # responses. With the earlier 0.2 to 0.8 s (mean 0.5 s) even an instant service could not
    # have reached 100 req/s.
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.username, self.user_id = random.choice(STAFF[self.role])
        page = self.client.get("/accounts/login/", name="Sign in (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="Sign in",
            allow_redirects=False,
        )
        assert response.status_code == 302, f"sign-in of {self.username}: {response.status_code}"
        self.pages = [
            (label, path) for weight, label, path in PAGES[self.role] for _ in range(weight)
        ]

    def csrf(self) -> dict:
        token = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        return {"X-CSRFToken": token, "Referer": self.host}

    @task(10)
    def read_a_page(self):
        label, path = random.choice(self.pages)
        self.client.get(path, name=label)


class IRO(Staff):
    role = "iro"
    weight = 6

    def on_start(self):
        super().on_start()
        children = self.client.get("/api/children/", name="IRO: API children").json()
        self.children = [c["id"] for c in children.get("results", [])]

    @task(4)
    def child_record(self):
        if self.children:
            self.client.get(f"/children/{random.choice(self.children)}/", name="IRO: child record")

    @task(1)
    def book_and_record_a_review(self):
        due = self.client.get("/api/reviews/?status=due", name="IRO: API due reviews").json()
        reviews = due.get("results", [])
        if not reviews:
            return
        review = random.choice(reviews)
        minutes = random.randrange(8 * 60, 18 * 60, 5)
        booking = {
            "chair": self.user_id,
            "meeting_date": date.today().isoformat(),
            "start_time": f"{minutes // 60:02d}:{minutes % 60:02d}",
            "venue_type": "virtual",
            "late_reason": "Load test: booked on the day",
        }
        with self.client.post(
            f"/api/reviews/{review['id']}/book/",
            json=booking,
            headers=self.csrf(),
            name="IRO: book a review (API)",
            catch_response=True,
        ) as response:
            if response.status_code == 400:
                # A refusal with field errors (a clash with another booking, a rule) is the
                # service working: nothing was written.
                response.success()
                return
            if response.status_code != 200:
                response.failure(f"book: {response.status_code}")
                return
            body = response.json()
            _writes.append(
                {"kind": "booked", "review": body["id"], "meeting": body["meeting"]["id"]}
            )
        outcome = {
            "held_on": date.today().isoformat(),
            "participation": "PN6",
            "child_attended": True,
            "parents_attended": False,
            "actual_venue": "virtual",
            "mode": "virtual",
            "safeguarding_issue": False,
            "child_seen_before": True,
            "childs_views_considered": True,
        }
        with self.client.post(
            f"/api/reviews/{review['id']}/record_outcome/",
            json=outcome,
            headers=self.csrf(),
            name="IRO: record an outcome (API)",
            catch_response=True,
        ) as response:
            if response.status_code == 400:
                response.success()
                return
            if response.status_code != 200:
                response.failure(f"record outcome: {response.status_code}")
                return
            _writes.append({"kind": "held", "review": response.json()["id"]})


class Manager(Staff):
    role = "manager"
    weight = 2


class HeadOfService(Staff):
    role = "head"
    weight = 1


class BoardMember(Staff):
    role = "board"
    weight = 1
