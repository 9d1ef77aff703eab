"""The feedback form for the child or a parent or carer: no sign-in, at the link's address.

The page shows no name or detail of the child. The token is looked up by its hash; an unknown,
guessed or altered token raises the service's one 404 (the same page as any address that does not
exist); a used or expired link says so. Every answer is rate-limited by address.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from feedback import services, throttling
from feedback.forms import FeedbackForm
from feedback.icons import ICONS
from feedback.models import Channel, FeedbackInvitation


def _private(response):
    # The address is the key: no browser cache, no Referer carrying it to another site
    # ("same-origin", not "no-referrer", which makes the browser send "Origin: null" with the
    # form and fail the CSRF origin check).
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _too_many(request):
    return _private(render(request, "feedback/public/too_many.html", status=429))


def _closed(request, problem: str):
    return _private(
        render(request, "feedback/public/closed.html", {"problem": problem}, status=410)
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token: str, easy: bool = False):
    if not throttling.allowed(request):
        return _too_many(request)
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    problem = services.usable_problem(invitation)
    if problem:
        return _closed(request, problem)
    via = request.GET.get("via", "")
    form = FeedbackForm(
        request.POST or None,
        initial={"via": via if via in Channel.values else Channel.LINK, "named": "no"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.response_submit(token=token, answers=data, channel=data["via"], easy_read=easy)
        except FeedbackInvitation.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            return _closed(request, error.messages[0])
        return redirect("feedback_public:thanks")
    context = {
        "form": form,
        "easy": easy,
        "questions": _questions(form),
        "via": form["via"].value() or Channel.LINK,
    }
    status = 400 if request.method == "POST" else 200
    return _private(render(request, "feedback/public/form.html", context, status=status))


RADIO_QUESTIONS = ("listened", "involved", "plans_discussed", "took_part", "named")


def _questions(form: FeedbackForm) -> list[dict]:
    """The radio questions as the template draws them, each option with its picture."""
    out = []
    for name in RADIO_QUESTIONS:
        field = form[name]
        chosen = field.value()
        options = []
        for number, (value, label) in enumerate(field.field.choices, start=1):
            icon_key = f"named_{value}" if name == "named" else value
            options.append(
                {
                    "id": f"id_{name}_{number}",
                    "value": value,
                    "label": label,
                    "icon": ICONS.get(icon_key, ""),
                    "checked": chosen == value,
                }
            )
        out.append(
            {
                "name": name,
                "label": field.label,
                "icon": ICONS.get(name, ""),
                "errors": field.errors,
                "options": options,
            }
        )
    return out


@login_not_required
def answer_easy(request, token: str):
    return answer(request, token, easy=True)


@login_not_required
@require_safe
def thanks(request):
    return _private(render(request, "feedback/public/thanks.html"))
