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
