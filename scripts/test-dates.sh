#!/usr/bin/env bash
# The date sweep: the date-sensitive tests (reviews, protection, escalations, notifications and
# reminders, reporting years, booking) run as of each hard day with `pytest --today`: today, the
# Christmas and New Year bank holidays, Good Friday and Easter Monday 2027, the clock changes,
# the reporting year's edge (31 March / 1 April) and 29 February 2028. Every day runs even when
# one fails; the days that failed are listed at the end and the script exits 1.
#
#   scripts/test-dates.sh                      # every day below
#   DATE_SWEEP_DAYS="2027-03-29" scripts/test-dates.sh
#   scripts/test-dates.sh -x                   # extra arguments go to pytest
set -uo pipefail
cd "$(dirname "$0")/.."

DAYS=${DATE_SWEEP_DAYS:-"today 2026-12-24 2026-12-28 2027-01-01 2027-03-26 2027-03-29 2027-03-28 2027-10-31 2027-03-31 2027-04-01 2028-02-29"}
WORKERS=${DATE_SWEEP_WORKERS:-2}

# Chosen for what moves with the date and for speed: the booking rules and forms, the reminder
# rules, the schedule and my-work lists, the review cycle, the IRP deadlines, the date bounds on
# forms, and the dashboards' reporting year. The statutory rules themselves are proved for every
# day from 2020 to 2035 by tests/iro/test_date_rules_every_day.py, which does not depend on today.
TESTS=(
  tests/notifications/test_review_rules.py
  tests/notifications/test_protection_rules.py
  tests/notifications/test_escalation_rules.py
  tests/notifications/test_allocation_rules.py
  tests/reviews/test_booking.py
  tests/reviews/test_cycle.py
  tests/reviews/test_schedule.py
  tests/reviews/test_missed_and_details.py
  tests/reviews/test_api.py
  tests/escalations/test_visibility_window.py
  tests/qa/test_double_submissions.py::test_a_review_booking_and_a_visit_sent_twice_are_made_once
  tests/qa/test_double_submissions.py::test_a_conference_booking_sent_twice_books_once
  tests/qa/test_double_submissions.py::test_starting_and_ending_care_sent_twice_are_recorded_once
  tests/qa/test_double_submissions.py::test_a_recommendation_sent_twice_is_added_once
  tests/qa/test_date_bounds.py
  tests/qa/test_late_meetings.py
  tests/reporting/test_dashboards.py::test_board_covers_the_year_to_date_beside_the_same_dates_a_year_earlier
  tests/reporting/test_dashboards.py::test_a_snapshot_is_frozen_while_the_live_figure_moves
  tests/reporting/test_publishing.py
  tests/reporting/test_dashboards.py::test_scorecard_has_a_column_per_month_for_13_months
  tests/reporting/test_dashboards.py::test_snapshot_exports_carry_date_and_version
)

failed=()
for day in $DAYS; do
  [ "$day" = today ] && day=$(TZ=Europe/London date +%F)
  echo "== tests as of $day"
  # The query-count tests build hundreds of rows and do not depend on the date: left out.
  if ! .venv/bin/python -m pytest -q -n "$WORKERS" --today "$day" -k "not query_count" \
    "${TESTS[@]}" "$@"; then
    failed+=("$day")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "Date sweep FAILED as of: ${failed[*]}"
  exit 1
fi
echo "Date sweep passed on every day: $DAYS"
