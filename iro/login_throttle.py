"""Sign-in throttling with two limits (django-axes).

AXES_LOCKOUT_PARAMETERS counts failures per username and address, and per address alone. axes
compares the largest of those counts with one limit, so an address would be locked after as few
failures as one username. This handler gives the address its own, higher limit
(AXES_IP_FAILURE_LIMIT): one password tried against many usernames from one address is locked
out, while a busy office behind one address is not locked by a few people mistyping.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        per_user_and_address, per_address = (
            _failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.AXES_IP_FAILURE_LIMIT:
            return max(per_user_and_address, get_failure_limit(request, credentials))
        return per_user_and_address
