from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from iro.views import accounts, core

urlpatterns = [
    path("", core.home, name="home"),
    path("health/", core.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("iro.api_urls")),
    path("api/", include("reviews.api_urls")),
    path("api/", include("protection.api_urls")),
    path("api/", include("escalations.api_urls")),
    path("", include("iro.urls_pages")),
    path("reviews/", include("reviews.urls")),
    path("calendar/", include("reviews.calendar_urls")),
    path("protection/", include("protection.urls")),
    path("escalations/", include("escalations.urls")),
    path("letters/", include("letters.urls")),
    path("reporting/", include("reporting.urls")),
    path("case-system/", include("ssd.urls")),
    path("notifications/", include("iro.notifications.urls")),
    path("feedback/", include("feedback.urls")),
    # The feedback form: no sign-in, at an unguessable address (feedback.views.public).
    path("have-your-say/", include("feedback.public_urls")),
]

handler400 = "iro.views.errors.bad_request"
handler403 = "iro.views.errors.permission_denied"
handler404 = "iro.views.errors.page_not_found"
handler500 = "iro.views.errors.server_error"
