"""The access log: every view of a child's record is written down."""

from iro.models import AccessLog


def log_child_access(*, user, child, path: str, action: str = "view") -> AccessLog:
    return AccessLog.objects.create(user=user, child=child, path=path[:300], action=action)
