"""Signals the case core sends so feature apps can keep derived records up to date.

Sent from services after the change is saved, inside the same transaction.
"""

from django.dispatch import Signal

# A child's care episodes changed (created, edited, ended). kwargs: child, changed_from (date)
care_episodes_changed = Signal()

# A new period of care started (an episode with RNE = S). kwargs: child, episode
period_of_care_started = Signal()

# An allocation was made or ended. kwargs: allocation
allocation_changed = Signal()

# Notifications were written that their recipients want by email; iro.tasks queues the emails
# when the transaction commits (so the services do not import the tasks). kwargs: ids
notifications_to_email = Signal()

# The outcome of a meeting was recorded for one child (a CLA review or a CP conference): feature
# apps may act on what happened at the meeting. kwargs: meeting, child, held_on, parents_invited
# (True, False or None when not recorded), recorded_by
meeting_outcome_recorded = Signal()
