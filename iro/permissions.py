"""Role checks for views and API endpoints: 403 for a signed-in user outside the role."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from iro.roles import Role


def role_required(*roles: Role):
    """Decorator for function views: the user must hold one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def HasRole(*roles: Role) -> type[BasePermission]:  # noqa: N802 - reads as a permission class
    """DRF permission class factory: permission_classes = [HasRole(Role.IRO, Role.TEAM_MANAGER)]."""

    class _HasRole(BasePermission):
        message = "Your role does not include this."

        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_role(*roles))

    _HasRole.__name__ = "HasRole_" + "_".join(r.value for r in roles)
    return _HasRole
