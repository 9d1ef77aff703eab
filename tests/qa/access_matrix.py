"""Who may reach what: every URL pattern and API endpoint x every role, in one table.

Each line is one request: the route's name (as `reverse` knows it, namespace included; DRF routes
by their basename, e.g. "child-detail", which covers the `.json` variant too), the path with
placeholders for records of the test world (see `tests/qa/test_access_matrix.py`), and one code
per role, in the order of ROLES:

    A  allowed: 200 for GET; for POST the request reached the form or serializer
       (200, 201, 204, 302 elsewhere than a sign-in page, or 400 with the form's errors)
    D  denied: 403
    H  hidden: 404 (the record's existence is not revealed)
    L  redirect to a sign-in page (ours or the admin's)
    R  redirect elsewhere (e.g. the sign-in page sends a signed-in user home)

Adding a route is one line here. `test_every_route_is_in_the_matrix` fails with the line to add,
and `test_every_cell` prints the codes it saw when a line is wrong.

`rows` says, for a list page, which of the world's children each role gets (by LA id in the
response): roles not named get none of them.

Roles (columns):
    anonymous    not signed in
    iro          the IRO allocated to the world's children ("child", "restricted", "protected")
    iro_other    an IRO allocated only to "other"
    manager      IRO team manager
    head         head of service, named responder on the IRP about "other" ("irp_other")
    responder    a social work team manager (Escalation responder role, responder level 1) named
                 on "irp" only
    performance  performance officer
    board        board member: also checked to get no child's name or LA id in any body
    admin        administrator
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "iro",
    "iro_other",
    "manager",
    "head",
    "responder",
    "performance",
    "board",
    "admin",
)
CODES = {"A", "D", "H", "L", "R"}
# Every route under the admin site is one family: the Django admin checks staff status and its
# own model permissions before anything of ours runs. Its lines below test the family.
FAMILIES = {"admin": "admin:"}


@dataclass(frozen=True)
class Row:
    name: str
    path: str
    cells: str
    method: str = "get"
    rows: dict = field(default_factory=dict)

    @property
    def codes(self) -> dict:
        return dict(zip(ROLES, self.cells.split(), strict=True))


def R(name, path, cells, method="get", rows=None) -> Row:  # noqa: N802 - reads as a table
    row = Row(name, path, cells, method, rows or {})
    assert set(row.cells.split()) <= CODES, f"{name}: unknown code in {cells!r}"
    assert len(row.cells.split()) == len(ROLES), f"{name}: {len(ROLES)} codes needed"
    return row


def rows(**by_role: str) -> dict:
    """rows(iro="child restricted") -> {"iro": {"child", "restricted"}}"""
    return {role: set(labels.split()) for role, labels in by_role.items()}


P = "post"

# fmt: off
MATRIX = [
    # name                          path                                      anon iro oth mgr head resp perf board admin
    R("home",                        "/",                                       "L A A A A A A A A"),
    R("health",                      "/health/",                                "A A A A A A A A A"),
    R("login",                       "/accounts/login/",                        "A R R R R R R R R"),
    R("logout",                      "/accounts/logout/",                       "L L L L L L L L L", P),
    # The page a password reset link opens (a link that does not work says so), and the page after.
    R("password_reset_confirm",      "/accounts/reset/MQ/not-a-token/",         "A A A A A A A A A"),
    R("password_reset_complete",     "/accounts/reset/done/",                   "A A A A A A A A A"),
    R("api-schema",                  "/api/schema/",                            "D A A A A A A A A"),
    R("api-docs",                    "/api/docs/",                              "D A A A A A A A A"),
    R("api-root",                    "/api/",                                   "D A A A A A A A A"),
    R("admin",                       "/admin/",                                 "L L L L L L L L A"),
    R("admin",                       "/admin/iro/team/",                        "L L L L L L L L A"),
    R("admin",                       "/admin/iro/user/{iro}/change/",           "L L L L L L L L A"),
    # Children are not in the admin at all: their records go through iro/access.py.
    R("admin",                       "/admin/iro/child/",                       "L L L L L L L L H"),
    R("admin",                       "/admin/iro/child/{child}/change/",        "L L L L L L L L H"),
    R("child-list", "/api/children/", "D A A A A A A D D",
      rows=rows(iro="child protected restricted", iro_other="other", manager="child protected restricted other", head="other", responder="child", performance="child protected other")),
    R("child-detail", "/api/children/{child}/", "D A H A H A A D D"),
    R("episode-list", "/api/episodes/", "D A A A A A A D D",
      rows=rows(iro="child restricted", iro_other="other", manager="child restricted other", head="other", responder="child", performance="child other")),
    R("episode-change", "/api/episodes/change/", "D D D A D D A D D", P),
    R("episode-end", "/api/episodes/end/", "D D D A D D A D D", P),
    R("episode-detail", "/api/episodes/{episode}/", "D A H A H A A D D"),
    R("allocation-list", "/api/allocations/", "D A A A A A A D D",
      rows=rows(iro="child protected restricted", iro_other="other", manager="child protected restricted other", head="other", responder="child", performance="child protected other")),
    R("allocation-allocate", "/api/allocations/allocate/", "D D D A D D D D D", P),
    R("allocation-detail", "/api/allocations/{allocation}/", "D A H A H A A D D"),
    R("caseload-list", "/api/caseloads/", "D D D A D D D D D"),
    R("review-list", "/api/reviews/", "D A A A D D A D D",
      rows=rows(iro="child restricted", iro_other="other", manager="child restricted other", performance="child other")),
    R("review-detail", "/api/reviews/{review}/", "D A H A D D A D D"),
    R("review-book", "/api/reviews/{review}/book/", "D A H A D D D D D", P),
    R("review-cancel", "/api/reviews/{review}/cancel/", "D A H A D D D D D", P),
    R("review-record-outcome", "/api/reviews/{review}/record_outcome/", "D A H A D D D D D", P),
    R("review-reschedule", "/api/reviews/{review}/reschedule/", "D A H A D D D D D", P),
    R("strategy-discussion-list", "/api/strategy-discussions/", "D A A A D D A D D"),
    R("strategy-discussion-detail", "/api/strategy-discussions/{discussion}/", "D A H A D D A D D"),
    R("conference-list", "/api/conferences/", "D A A A D D A D D",
      rows=rows(iro="protected", manager="protected", performance="protected")),
    R("conference-detail", "/api/conferences/{conference}/", "D A H A D D A D D"),
    R("conference-book", "/api/conferences/{conference}/book/", "D A H A D D D D D", P),
    R("conference-cancel", "/api/conferences/{conference}/cancel/", "D A H A D D D D D", P),
    R("conference-record-outcome", "/api/conferences/{conference}/record_outcome/", "D A H A D D D D D", P),
    R("conference-reschedule", "/api/conferences/{conference}/reschedule/", "D A H A D D D D D", P),
    R("cp-plan-list", "/api/cp-plans/", "D A A A D D A D D",
      rows=rows(iro="protected", manager="protected", performance="protected")),
    R("cp-plan-detail", "/api/cp-plans/{plan}/", "D A H A D D A D D"),
    R("cp-plan-end", "/api/cp-plans/{plan}/end/", "D A H A D D D D D", P),
    R("concern-list", "/api/concerns/", "D A A A D D D D D",
      rows=rows(iro="child", manager="child")),
    R("concern-detail", "/api/concerns/{concern}/", "D A H A D D D D D"),
    R("concern-resolve", "/api/concerns/{concern}/resolve/", "D A H D D D D D D", P),
    R("escalation-list", "/api/escalations/", "D A A A A A D D D",
      rows=rows(iro="child", iro_other="other", manager="child other", head="child other", responder="child")),
    R("escalation-detail", "/api/escalations/{irp}/", "D A H A A A D D D"),
    R("escalation-escalate", "/api/escalations/{irp}/escalate/", "D A H D D D D D D", P),
    R("escalation-refer-cafcass", "/api/escalations/{irp}/refer-cafcass/", "D A H D D D D D D", P),
    R("escalation-resolve", "/api/escalations/{irp}/resolve/", "D A H D D D D D D", P),
    R("escalation-respond", "/api/escalations/{irp}/respond/", "D D D D A A D D D", P),
    R("escalation-withdraw", "/api/escalations/{irp}/withdraw/", "D A H D D D D D D", P),
    R("children:list", "/children/", "L A A A A A A D D",
      rows=rows(iro="child protected restricted", iro_other="other", manager="child protected restricted other", head="other", responder="child", performance="child protected other")),
    R("children:create", "/children/new/", "L D D A D D A D D"),
    R("children:detail", "/children/{child}/", "L A H A H A A D D"),
    R("children:edit", "/children/{child}/edit/", "L D D A D D A D D"),
    R("children:care_start", "/children/{child}/care/start/", "L D D A D D A D D"),
    R("children:care_change", "/children/{child}/care/change/", "L D D A D D A D D"),
    R("children:care_end", "/children/{child}/care/end/", "L D D A D D A D D"),
    R("children:episode_correct", "/children/{child}/episodes/{episode}/correct/", "L D D A D D A D D"),
    R("children:allocate", "/children/{child}/allocate/", "L D D A D D D D D"),
    R("allocations:unallocated", "/allocations/unallocated/", "L D D A D D D D D"),
    R("caseloads:list", "/caseloads/", "L D D A D D D D D"),
    R("caseloads:detail", "/caseloads/{iro}/", "L D D A D D D D D"),
    R("reviews:list", "/reviews/", "L A A A D D A D D",
      rows=rows(iro="child restricted", iro_other="other", manager="child restricted other", performance="child other")),
    R("reviews:schedule", "/reviews/schedule/", "L D D A D D D D D",
      rows=rows(manager="child restricted other")),
    R("reviews:schedule_csv", "/reviews/schedule.csv", "L D D A D D D D D"),
    R("reviews:calendar", "/reviews/calendar/", "L A A D D D D D D"),
    R("reviews:detail", "/reviews/{review}/", "L A H A D D A D D"),
    R("reviews:book", "/reviews/{review}/book/", "L R H R D D D D D"),
    R("reviews:reschedule", "/reviews/{review}/reschedule/", "L A H A D D D D D"),
    R("reviews:cancel", "/reviews/{review}/cancel/", "L A H A D D D D D"),
    R("reviews:outcome", "/reviews/{review}/outcome/", "L A H A D D D D D"),
    R("reviews:preparation", "/reviews/{review}/preparation/", "L A H A D D D D D"),
    R("reviews:milestones", "/reviews/{held_review}/record/", "L A H A D D D D D"),
    R("reviews:recommendation_add", "/reviews/{held_review}/recommendations/add/", "L A H A D D D D D"),
    R("reviews:recommendation_done", "/reviews/{held_review}/recommendations/{recommendation}/done/", "L A H A D D D D D", P),
    R("reviews:child", "/reviews/children/{child}/", "L A H A D D A D D"),
    R("reviews:contact_add", "/reviews/children/{child}/contacts/add/", "L A H A D D D D D"),
    R("reviews:midway_add", "/reviews/children/{child}/midway/add/", "L A H A D D D D D"),
    R("reviews:monitoring_add", "/reviews/children/{child}/monitoring/add/", "L A H A D D D D D"),
    R("calendar_feed", "/calendar/feed/{feed_token}.ics", "A A A A A A A A A"),
    R("protection:my_conferences", "/protection/my-conferences/", "L A A D D D D D D"),
    R("protection:plan_list", "/protection/plans/", "L A A A D D A D D",
      rows=rows(iro="protected", manager="protected", performance="protected")),
    R("protection:plan_detail", "/protection/plans/{plan}/", "L A H A D D A D D"),
    R("protection:plan_end", "/protection/plans/{plan}/end/", "L A H A D D D D D"),
    R("protection:core_group_add", "/protection/plans/{plan}/core-groups/add/", "L A H A D D D D D"),
    R("protection:conference_detail", "/protection/conferences/{conference}/", "L A H A D D A D D"),
    R("protection:conference_book", "/protection/conferences/{rcpc}/book/", "L A H A D D D D D"),
    R("protection:conference_reschedule", "/protection/conferences/{conference}/reschedule/", "L H H H D D D D D"),
    R("protection:conference_cancel", "/protection/conferences/{conference}/cancel/", "L H H H D D D D D"),
    R("protection:conference_outcome", "/protection/conferences/{conference}/outcome/", "L H H H D D D D D"),
    R("protection:child", "/protection/children/{protected}/", "L A H A D D A D D"),
    R("protection:strategy_discussion_add", "/protection/children/{protected}/strategy-discussions/add/", "L A H A D D D D D"),
    R("protection:transfer_in_add", "/protection/children/{protected}/transfer-in/add/", "L A H A D D D D D"),
    R("escalations:home", "/escalations/", "L R R R R R D D D"),
    R("escalations:queue", "/escalations/queue/", "L D D D A A D D D",
      rows=rows(head="other", responder="child")),
    R("escalations:mine", "/escalations/mine/", "L A A D D D D D D",
      rows=rows(iro="child", iro_other="other")),
    # Heads of service oversee every open IRP; a responder in the same group below head of
    # service level (a social work team manager) gets only the IRPs addressed to them.
    R("escalations:all", "/escalations/all/", "L D D A A A D D D",
      rows=rows(manager="child other", head="child other", responder="child")),
    R("escalations:new", "/escalations/new/", "L A A D D D D D D"),
    R("escalations:concern_new", "/escalations/concerns/new/", "L A A D D D D D D"),
    R("escalations:concern", "/escalations/concerns/{concern}/", "L A H A D D D D D"),
    R("escalations:detail", "/escalations/{irp}/", "L A H A A A D D D"),
    R("escalations:respond_page", "/escalations/{irp}/respond/", "L D D D D A D D D"),
    R("escalations:respond", "/escalations/{irp}/respond/send/", "L D D D D A D D D", P),
    R("escalations:escalate", "/escalations/{irp}/escalate/", "L A H D D D D D D", P),
    R("escalations:resolve", "/escalations/{irp}/resolve/", "L D H D D D D D D", P),
    R("escalations:refer_cafcass", "/escalations/{irp}/refer-cafcass/", "L A H D D D D D D", P),
    R("escalations:withdraw", "/escalations/{irp}/withdraw/", "L A H D D D D D D", P),
    # The same routes with records outside a role's reach.
    R("children:detail", "/children/{restricted}/", "L A H A H H H D D"),
    R("children:detail", "/children/{other}/", "L H A A A H A D D"),
    R("child-detail", "/api/children/{restricted}/", "D A H A H H H D D"),
    R("child-detail", "/api/children/{other}/", "D H A A A H A D D"),
    R("reviews:detail", "/reviews/{restricted_review}/", "L A H A D D H D D"),
    R("reviews:detail", "/reviews/{other_review}/", "L H A A D D A D D"),
    R("review-detail", "/api/reviews/{restricted_review}/", "D A H A D D H D D"),
    R("reviews:outcome", "/reviews/{other_review}/outcome/", "L H A A D D D D D"),
    R("escalations:detail", "/escalations/{irp_other}/", "L H A A A H D D D"),
    R("escalation-detail", "/api/escalations/{irp_other}/", "D H A A A H D D D"),
    R("escalation-respond", "/api/escalations/{irp_other}/respond/", "D D D D A H D D D", P),
    R("escalations:respond_page", "/escalations/{irp_other}/respond/", "L D D D A H D D D"),
    # Exports.
    R("protection:plan_list", "/protection/plans/?export=csv", "L A A A D D A D D"),
    R("protection:plan_list", "/protection/plans/?export=xlsx", "L A A A D D A D D"),
    R("reviews:schedule", "/reviews/schedule/?team=all", "L D D A D D D D D"),
    # The calendar feed is authorised by its secret token alone.
    R("calendar_feed", "/calendar/feed/{unknown_token}.ics", "H H H H H H H H H"),
    # Information governance: the access log names children, so it is for the Information
    # Writing to the child (letters). Each IRO writes only their own profile; team managers read
    # their team's. A child's "my IRO" letter and the records written to the child go with the
    # child's record (iro/access.py) for the IRO and managers only: never performance officers,
    # board members, heads of service or escalation responders, even for a child they can see.
    R("letters:profile_edit", "/letters/profile/", "L A A D D D D D D"),
    R("letters:team_profiles", "/letters/profiles/", "L D D A D D D D D"),
    R("letters:profile_detail", "/letters/profiles/{iro}/", "L A H A D D D D D"),
    R("letters:profile_photo", "/letters/profiles/{iro}/photo/", "L A H A D D D D D"),
    R("letters:letter", "/letters/children/{child}/my-iro/{letter}/", "L A H A D D D D D"),
    R("letters:letter_docx", "/letters/children/{child}/my-iro/{letter}.docx", "L A H A D D D D D"),
    R("letters:letter", "/letters/children/{other}/my-iro/{letter}/", "L H H H D D D D D"),
    R("letters:record_write", "/letters/reviews/{held_review}/record/", "L A H A D D D D D"),
    R("letters:record_write", "/letters/reviews/{held_review}/record/", "L A H A D D D D D", P),
    R("letters:record_sent", "/letters/reviews/{held_review}/record/sent/", "L A H A D D D D D", P),
    R("letters:record_docx", "/letters/reviews/{held_review}/record.docx", "L A H A D D D D D"),
    R("letters:readability", "/letters/readability.json", "L A A A D D D D D", P),
    # governance officer role (iro.view_access_log), not administrators (tests/iro/test_access_log_page.py).
    R("access_log", "/access-log/", "L D D D D D D D D"),
    R("access_log", "/access-log/?export=csv", "L D D D D D D D D"),
    # Admin pages of the reporting and notification models: administrators only.
    R("admin", "/admin/reporting/target/", "L L L L L L L L A"),
    R("admin", "/admin/reporting/population/", "L L L L L L L L A"),
    R("admin", "/admin/reporting/benchmark/", "L L L L L L L L A"),
    R("admin", "/admin/notifications/rulerun/", "L L L L L L L L A"),
    # Notifications: every signed-in role has its own inbox; another user's notification is
    # hidden ("notification" belongs to the IRO; opening it redirects to the record).
    R("notifications:inbox", "/notifications/", "L A A A A A A A A"),
    R("notifications:preferences", "/notifications/preferences/", "L A A A A A A A A"),
    R("notifications:mark_all_read", "/notifications/read-all/", "L A A A A A A A A", P),
    R("notifications:open", "/notifications/{notification}/", "L R H H H H H H H"),
    R("notifications:mark_read", "/notifications/{notification}/read/", "L A H H H H H H H", P),
    R("notifications:mark_done", "/notifications/{notification}/done/", "L A H H H H H H H", P),
    # Reporting. Live figures (reporting.view_reports): team managers, heads of service and
    # performance officers; not escalation responders outside the IRO service's leadership. Drill-down to records (view_drilldown) the same, filtered through
    # iro/access.py. Publishing snapshots: performance officers and heads of service. Board members read
    # published snapshots (and the board dashboard, which shows the latest one) and nothing live.
    R("reporting:home", "/reporting/", "L D D A A D A A D"),
    R("reporting:annual-index", "/reporting/annual/", "L D D A A D A D D"),
    R("reporting:annual", "/reporting/annual/{year}/", "L D D A A D A D D"),
    R("reporting:annual-refresh", "/reporting/annual/{year}/refresh/", "L D D A A D A D D", P),
    R("reporting:annual-xlsx", "/reporting/annual/{year}/xlsx/", "L D D A A D A D D"),
    R("reporting:annual-csv", "/reporting/annual/{year}/csv/", "L D D A A D A D D"),
    R("reporting:annual-json", "/reporting/annual/{year}/json/", "L D D A A D A D D"),
    # The Word document is built in the background: its old address starts a build and
    # redirects to the build's page, which only its requester may open (the document names the
    # children they may see); the file redirects to that page until it is ready.
    R("reporting:annual-docx", "/reporting/annual/{year}/docx/", "L D D R R D R D D"),
    R("reporting:report-download", "/reporting/downloads/{report_download}/", "L D D H H D A D D"),
    R("reporting:report-download-file", "/reporting/downloads/{report_download}/file/", "L D D H H D R D D"),
    # The commentary: the head of service writes it; the performance officer may read its page.
    R(
        "reporting:annual-commentary",
        "/reporting/annual/{year}/commentary/reviews/",
        "L D D D A D A D D",
    ),
    R(
        "reporting:annual-commentary",
        "/reporting/annual/{year}/commentary/reviews/",
        "L D D D A D D D D",
        P,
    ),
    R("reporting:report-download-status", "/reporting/downloads/{report_download}/status.json", "L D D H H D A D D"),
    R("reporting:figure-rows", "/reporting/figures/{figure}/{year}/", "L D D A A D A D D",
      rows=rows(manager="child restricted other", head="other", performance="child other")),
    R("reporting:board", "/reporting/board/", "L D D A A D A A D"),
    R("reporting:board-refresh", "/reporting/board/refresh/", "L D D A A D A D D", P),
    R("reporting:scorecard", "/reporting/scorecard/", "L D D A A D A D D"),
    R("reporting:scorecard-xlsx", "/reporting/scorecard/xlsx/", "L D D A A D A D D"),
    R("reporting:snapshots", "/reporting/snapshots/", "L D D A A D A A D"),
    R("reporting:snapshot-publish", "/reporting/snapshots/publish/", "L D D D A D A D D"),
    R("reporting:snapshot-compare", "/reporting/snapshots/compare/", "L D D A A D A A D"),
    R("reporting:snapshot", "/reporting/snapshots/{snapshot}/", "L D D A A D A A D"),
    R("reporting:snapshot", "/reporting/snapshots/{annual_snapshot}/", "L D D A A D A A D"),
    R("reporting:snapshot-xlsx", "/reporting/snapshots/{snapshot}/xlsx/", "L D D A A D A A D"),
    R("reporting:snapshot-docx", "/reporting/snapshots/{annual_snapshot}/docx/", "L D D A A D A A D"),
    R("reporting:snapshot-correct", "/reporting/snapshots/{snapshot}/correct/", "L D D D A D A D D"),
    R("reporting:snapshot-withdraw", "/reporting/snapshots/{snapshot}/withdraw/", "L D D D A D A D D", P),
    # A withdrawn snapshot, and one superseded by a correction, are not the board's to read.
    R("reporting:snapshot", "/reporting/snapshots/{withdrawn_snapshot}/", "L D D A A D A H D"),
    R("reporting:snapshot-xlsx", "/reporting/snapshots/{withdrawn_snapshot}/xlsx/", "L D D A A D A H D"),
    R("reporting:snapshot", "/reporting/snapshots/{superseded_snapshot}/", "L D D A A D A H D"),
    # Statutory returns (reporting.manage_returns): performance officers only. The SSDA903 and
    # CIN files (reporting.download_statutory_returns) are made by a POST from their download
    # page, which says that they hold restricted children and that the download is recorded.
    R("reporting:returns-home", "/reporting/returns/", "L D D D D D A D D"),
    R("reporting:returns-903-check", "/reporting/returns/903/{year}/check/", "L D D D D D A D D"),
    R("reporting:returns-903-download", "/reporting/returns/903/{year}/download/", "L D D D D D A D D"),
    R("reporting:returns-903-zip", "/reporting/returns/903/{year}.zip", "L D D D D D A D D", P),
    R("reporting:returns-cin-download", "/reporting/returns/cin/{year}/download/", "L D D D D D A D D"),
    R("reporting:returns-cin-xml", "/reporting/returns/cin/{year}.xml", "L D D D D D A D D", P),
    R("reporting:returns-annex-a", "/reporting/returns/annex-a.xlsx", "L D D D D D A D D"),
    R("reporting:returns-import", "/reporting/returns/import/", "L D D D D D A D D"),
    R("reporting:returns-import-run", "/reporting/returns/import/{import_run}/", "L D D D D D A D D"),
    R("reporting:returns-import-status", "/reporting/returns/import/{import_run}/status.json", "L D D D D D A D D"),
    R("reporting:returns-import-refusals", "/reporting/returns/import/{import_run}/refused-rows.csv", "L D D D D D A D D"),
    # Case system data (SSD sync): runs and counts for the performance officer and the
    # administrator; starting runs, rejected rows, unmapped codes and conflicts for the former.
    R("ssd:runs", "/case-system/", "L D D D D D A D A"),
    R("ssd:start", "/case-system/start/", "L D D D D D A D D", P),
    R("ssd:run", "/case-system/{sync_run}/", "L D D D D D A D A"),
    R("ssd:run-status", "/case-system/{sync_run}/status.json", "L D D D D D A D A"),
    R("ssd:run-rejected", "/case-system/{sync_run}/rejected.csv", "L D D D D D A D D"),
    R("ssd:run-unmapped", "/case-system/{sync_run}/unmapped.csv", "L D D D D D A D D"),
    R("ssd:conflicts", "/case-system/conflicts/", "L D D D D D A D D"),
    R("ssd:conflict-resolve", "/case-system/conflicts/{sync_conflict}/resolve/", "L D D D D D A D D", P),
    # Feedback after a meeting: the chair and their team manager only (iro.access.chairs_overseen_by);
    # the list names a child only where they chose to be named. The form needs no sign-in, and an
    # unknown token answers 404 to everyone, as an address that does not exist.
    R("feedback:answers", "/feedback/", "L A A A D D D D D",
      rows=rows(iro="child", manager="child")),
    R("feedback:choose", "/feedback/responses/{feedback_response}/report/", "L D D A D D D D D", P),
    R("feedback:meeting", "/feedback/meetings/{held_meeting}/children/{child}/", "L A H A D D D D D"),
    R("feedback:add_parent", "/feedback/meetings/{held_meeting}/children/{child}/parents/", "L A H A D D D D D", P),
    R("feedback:link", "/feedback/invitations/{invitation}/link/", "L A H A D D D D D", P),
    R("feedback:send", "/feedback/invitations/{invitation}/send/", "L A H A D D D D D"),
    R("feedback_public:thanks", "/have-your-say/thanks/", "A A A A A A A A A"),
    R("feedback_public:answer", "/have-your-say/{unknown_feedback_token}/", "H H H H H H H H H"),
    R("feedback_public:answer_easy", "/have-your-say/{unknown_feedback_token}/easy/", "H H H H H H H H H"),
]
# fmt: on
