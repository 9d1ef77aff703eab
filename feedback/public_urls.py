"""The feedback form's addresses: no sign-in (each view is login_not_required)."""

from django.urls import path

from feedback.views import public

app_name = "feedback_public"

urlpatterns = [
    path("thanks/", public.thanks, name="thanks"),
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/easy/", public.answer_easy, name="answer_easy"),
]
