"""The Django admin site, open to the Administrator role as well as to staff accounts."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from iro.roles import Role


class ServiceAdminSite(admin.AdminSite):
    """Administrators manage users, teams, areas and settings here; their group's permissions
    decide which of those they may see and change."""

    site_header = "IRO service administration"
    site_title = "IRO service administration"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or user.has_role(Role.ADMINISTRATOR))


class ServiceAdminConfig(AdminConfig):
    """Replaces django.contrib.admin in INSTALLED_APPS so the default site is the one above."""

    default_site = "iro.admin_site.ServiceAdminSite"
