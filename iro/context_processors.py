from django.conf import settings

from iro.navigation import nav_for


def service(request):
    user = getattr(request, "user", None)
    nav = nav_for(user, request.path) if user is not None and user.is_authenticated else []
    return {
        "service_name": settings.SERVICE_NAME,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
        "primary_nav": nav,
    }


def notifications(request):
    """The unread count in the header: one COUNT query, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.utils.functional import SimpleLazyObject

    from iro.notifications.selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
