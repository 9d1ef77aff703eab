"""Reports, exports, drill-downs and panel lists name only the children the reader may see.

Over generated data with one child in eight restricted, the test walks every report page, export
(XLSX, CSV, .docx) and drill-down (every figure with rows, its number, denominator and every
breakdown cell), the scorecard and board pages and the CP panel lists, as the performance
officer, the head of service and an IRO with no children, wherever each reaches. It finds:

- no name, LA id, UPN or date of birth of a child outside the reader's access set
  (`iro.access.children_visible_to`): the children named are a subset of that set;
- the hidden children still counted: a drill-down's records shown plus hidden make the number,
  and a list that leaves children out says how many ("N records outside your access").

The SSDA903 and CIN returns are complete on purpose (restricted children included, downloads
recorded): tests/reporting/returns/test_statutory_downloads.py.
"""

import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from iro.access import children_visible_to
from iro.models import Child, User
from iro.roles import Role
from reporting.figures import REGISTRY
from tests.iro.factories import make_user
from tests.reporting.helpers import get_following_word_build

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Europe/London"))
YEARS = (2024, 2025)
ID = re.compile(r"C\d{7}")


def _text(response) -> str:
    """The answer's text as a reader sees it: HTML without its tags; each row of a spreadsheet
    or Word table on one line, its cells separated by spaces."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(v) for v in row if v is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "wordprocessingml" in kind:
        doc = Document(io.BytesIO(body))
        lines = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            lines += [" ".join(cell.text for cell in row.cells) for row in table.rows]
        return "\n".join(lines)
    text = body.decode("utf-8", errors="replace")
    if "html" in kind:
        text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[ \t]+", " ", text)


# Dates of birth from here on are also the dates of reviews, visits and plans in the reports'
# years (the generated history starts in 2023), so a date alone would not say whose it is; the
# LA id in every row of a list is checked for every child.
DOB_BEFORE = date(2020, 1, 1)


def _secrets(child: Child) -> list[str]:
    out = [child.la_child_id, f"{child.first_name} {child.last_name}"]
    if child.upn:
        out.append(child.upn)
    if child.date_of_birth and child.date_of_birth < DOB_BEFORE:
        dob = child.date_of_birth
        out += [dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%-d %b %Y")]
    return out


@pytest.fixture
def world(db):
    """The small generated authority on 15 June 2026, one child in eight restricted (with UPNs
    on them to look for), and the three readers."""
    with time_machine.travel(TODAY, tick=False):
        call_command(
            "generate_data", scale="small", seed=23, today=TODAY.date(), stdout=io.StringIO()
        )
        ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        restricted = ids[::8]
        Child.objects.filter(pk__in=restricted).update(restricted=True)
        for pk in ids[::4]:
            Child.objects.filter(pk=pk).update(upn=f"A{pk:012d}")
        head = make_user(
            Role.HEAD_OF_SERVICE,
            username="hos",
            first_name="Harriet",
            last_name="Hughes",
            responder_level="head_of_service",
        )
        readers = {
            "performance officer": make_user(
                Role.PERFORMANCE_OFFICER, username="po", first_name="Pat", last_name="Ola"
            ),
            "head of service": head,
            "unallocated IRO": make_user(
                Role.IRO, username="newiro", first_name="Nia", last_name="Nwosu"
            ),
        }
        yield readers


def _report_urls() -> list[str]:
    urls = []
    for year in YEARS:
        urls += [
            reverse("reporting:annual", args=[year]),
            reverse("reporting:annual-xlsx", args=[year]),
            reverse("reporting:annual-csv", args=[year]),
            reverse("reporting:annual-docx", args=[year]),
        ]
    urls += [
        reverse("reporting:scorecard"),
        reverse("reporting:scorecard-xlsx"),
        reverse("reporting:board") + "?suppress=0",
    ]
    for query in ("", "?duration=15", "?duration=15&export=csv", "?duration=15&export=xlsx",
                  "?duration=24", "?subsequent=ever&export=xlsx"):  # fmt: skip
        urls.append(reverse("protection:plan_list") + query)
    return urls


def _drill_urls(year: int, *, cells: bool = True) -> list[tuple[str, str, str | None]]:
    """(url, figure id, cell) for every figure with rows: its number and, with `cells`, its
    denominator, every breakdown cell of the year and one month."""
    from reporting.annual_data import build_report
    from reporting.figures import Period

    report = build_report(Period.year(year))
    out = []
    for section in report["sections"]:
        for entry in section["figures"]:
            fig = REGISTRY[entry["id"]]
            if not fig.has_rows:
                continue
            keys = [None]
            if cells and entry["result"].get("denominator") is not None:
                keys.append("denominator")
            if cells:
                keys += [
                    k
                    for k, v in (entry["result"].get("breakdown") or {}).items()
                    if not isinstance(v, dict)
                ]
                keys += list(entry["result"].get("months") or {})[:1]
            base = reverse("reporting:figure-rows", args=[fig.id, year])
            for cell in keys:
                query = f"?cell={cell}" if cell is not None else ""
                out.append((base + query, fig.id, cell))
    return out


def _named(text: str, by_la_id: dict[str, Child]) -> set[str]:
    return {la_id for la_id in ID.findall(text) if la_id in by_la_id}


def test_reports_exports_and_drill_downs_name_only_children_the_reader_may_see(world, login):
    with time_machine.travel(TODAY, tick=False):
        children = {c.la_child_id: c for c in Child.objects.all()}
        assert sum(c.restricted for c in children.values()) >= 10
        staff_names = {u.get_full_name() for u in User.objects.all()}
        drills = [*_drill_urls(2025), *_drill_urls(2024, cells=False)]
        assert len({fid for _url, fid, _cell in drills}) >= 30
        reached = {}
        for role, user in world.items():
            visible = set(children_visible_to(user).values_list("la_child_id", flat=True))
            outside = [c for la_id, c in children.items() if la_id not in visible]
            shown_values = {s for la_id in visible for s in _secrets(children[la_id])} | staff_names
            secrets = {s for c in outside for s in _secrets(c)} - shown_values
            client = login(user)
            reached[role] = 0
            leaks = []
            hidden_lines = 0
            for url in [*_report_urls(), *[u for u, _f, _c in drills]]:
                response = get_following_word_build(client, url)
                assert response.status_code in (200, 403), f"{role}: {url} {response.status_code}"
                if response.status_code != 200:
                    continue
                reached[role] += 1
                text = _text(response)
                named = _named(text, children)
                assert named <= visible, (role, url, sorted(named - visible)[:5])
                # A secret counts when it stands alone: "8 May 2018" inside a month picker's
                # "June 2018 May 2018" is not a date of birth.
                found = sorted(
                    s
                    for s in secrets
                    if s in text and re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)
                )
                if found:
                    leaks.append((url, found[:5]))
                hidden_lines += "outside your access" in text
            assert leaks == [], (role, leaks[:5])
            if role != "unallocated IRO":
                # Lists left children out, and said so.
                assert hidden_lines > 0, role
        # Each reader reached what their role opens: the performance officer every report,
        # drill-down and panel list; the head of service the reports and drill-downs (no panel
        # lists); the IRO the panel lists only.
        panel_lists = 6
        assert reached["performance officer"] == len(_report_urls()) + len(drills)
        assert reached["head of service"] == len(_report_urls()) - panel_lists + len(drills)
        assert reached["unallocated IRO"] == panel_lists


def test_every_figure_with_rows_opens_its_drill_down(world, login):
    """Every registered figure with rows, every cell of its table: 200 as the performance
    officer, and the rows listed (named or restricted) are the records behind the number."""
    with time_machine.travel(TODAY, tick=False):
        client = login(world["performance officer"])
        with_rows = {fid for fid, fig in REGISTRY.items() if fig.has_rows}
        seen = set()
        for url, fid, cell in _drill_urls(2025):
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            listed, total = response.context["page"].paginator.count, response.context["total"]
            fig = REGISTRY[fid]
            # Every record is listed, restricted ones as "Restricted record"; an IRP about
            # siblings is one row for its several children.
            assert response.context["hidden"] <= listed
            assert listed == total or (fig.child_path == "children" and listed <= total), (
                fid,
                cell,
            )
            seen.add(fid)
        assert with_rows - seen == set()
