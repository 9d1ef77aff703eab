"""Pages of the protection app. Thin: scoping through iro.access, writes through services.

Permissions come from ProtectionConfig.role_permissions (403 without them); records of a child
outside the user's reach answer 404.
"""

from protection.views.conferences import (
    conference_book,
    conference_cancel,
    conference_detail,
    conference_outcome,
    conference_reschedule,
)
from protection.views.lists import my_conferences, plan_list
from protection.views.plans import (
    child_protection,
    core_group_add,
    plan_detail,
    plan_end,
    strategy_discussion_add,
    transfer_in_add,
)

__all__ = [
    "child_protection",
    "conference_book",
    "conference_cancel",
    "conference_detail",
    "conference_outcome",
    "conference_reschedule",
    "core_group_add",
    "my_conferences",
    "plan_detail",
    "plan_end",
    "plan_list",
    "strategy_discussion_add",
    "transfer_in_add",
]
