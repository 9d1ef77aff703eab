"""The shell: each role's home page, and the health endpoint."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from iro.registry import registry
from iro.roles import Role

HOME_HEADINGS = {
    Role.IRO: "My work",
    Role.TEAM_MANAGER: "Schedule and caseloads",
    Role.HEAD_OF_SERVICE: "Escalation queue",
    Role.ESCALATION_RESPONDER: "Escalation queue",
    Role.PERFORMANCE_OFFICER: "Reports",
    Role.BOARD_MEMBER: "Dashboards",
    Role.ADMINISTRATOR: "Administration",
    Role.INFORMATION_GOVERNANCE: "Information governance",
}


@require_safe
def home(request):
    role = request.user.primary_role
    heading = HOME_HEADINGS.get(role, "Home")
    panels = []
    if role is not None:
        for provider in registry.home_panels.get(str(role), []):
            panel = provider(request)
            if panel is not None:
                panels.append(panel)
    panels.sort(key=lambda p: p.order)
    links = []
    if role == Role.ADMINISTRATOR or request.user.is_superuser:
        links = [
            {"label": "Users and roles", "url": "/admin/iro/user/"},
            {"label": "Teams", "url": "/admin/iro/team/"},
            {"label": "Areas", "url": "/admin/iro/area/"},
            {"label": "Service settings", "url": "/admin/iro/servicesettings/"},
        ]
    context = {
        "heading": heading,
        "role_label": role.label if role else "",
        "panels": panels,
        "links": links,
    }
    return render(request, "iro/home.html", context)


def _check(fn) -> str:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("health-check", "1", 10)
    if cache.get("health-check") != "1":
        raise RuntimeError("cache did not return what was stored")


def _broker() -> None:
    # The service's Celery app (config.celery_app), made current when Django loads its settings.
    from celery import current_app as app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@login_not_required
@never_cache
@require_GET
def health(request):
    checks = {"database": _check(_database), "cache": _check(_cache), "broker": _check(_broker)}
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )
