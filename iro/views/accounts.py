"""The password reset pages reached from the link an administrator sends (iro.services.accounts).

Django's own views, on the GOV.UK templates; the new password is written to the audit log as
set by the account holder through the link. There is no page that asks for a link by email
address: links are sent by an administrator to the address held on the account."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        form.user._audit_actor = form.user
        form.user._audit_detail = "reset by the account holder through the emailed link"
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
