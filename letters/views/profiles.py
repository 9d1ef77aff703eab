"""The IRO's own profile for children, and the team manager's view of their team's profiles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from iro.form_errors import apply_errors
from iro.models import User
from iro.roles import Role
from letters import selectors, services
from letters.forms import ProfileForm


def _perm(name: str):
    return permission_required(name, raise_exception=True)


@_perm("letters.change_iroprofile")
def profile_edit(request):
    """The signed-in IRO's own profile: the only profile anyone writes."""
    user = request.user
    if not user.has_role(Role.IRO):
        raise PermissionDenied
    profile = selectors.profile_of(user)
    has_photo = bool(profile and profile.photo)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, has_photo=has_photo)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.profile_save(
                    user=user,
                    who_i_am=data["who_i_am"],
                    what_i_do=data["what_i_do"],
                    how_to_reach_me=data["how_to_reach_me"],
                    photo=data.get("photo"),
                    remove_photo=data.get("remove_photo", False),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Your profile for children is saved")
                return redirect("letters:profile_edit")
    else:
        initial = {}
        if profile is not None:
            initial = {
                "who_i_am": profile.who_i_am,
                "what_i_do": profile.what_i_do,
                "how_to_reach_me": profile.how_to_reach_me,
            }
        form = ProfileForm(initial=initial, has_photo=has_photo)
    return render(
        request,
        "letters/profile_edit.html",
        {"form": form, "profile": profile, "iro": user},
        status=400 if form.errors else 200,
    )


@require_safe
@_perm("letters.view_iroprofile")
def team_profiles(request):
    iros = list(selectors.team_iros(request.user))
    return render(request, "letters/team_profiles.html", {"iros": iros})


def _readable_iro(request, user_pk: int) -> User:
    iro = get_object_or_404(User, pk=user_pk, groups__name=Role.IRO.label)
    if not selectors.may_read_profile(request.user, iro):
        raise Http404("No profile found")
    return iro


@require_safe
def profile_detail(request, user_pk: int):
    if not (
        request.user.has_perm("letters.view_iroprofile")
        or request.user.has_perm("letters.change_iroprofile")
    ):
        raise PermissionDenied
    iro = _readable_iro(request, user_pk)
    return render(
        request,
        "letters/profile_detail.html",
        {"iro": iro, "profile": selectors.profile_of(iro)},
    )


@require_safe
def profile_photo(request, user_pk: int):
    """The photo, for the profile and letter pages: to those who may read the profile."""
    if not (
        request.user.has_perm("letters.view_iroprofile")
        or request.user.has_perm("letters.change_iroprofile")
        or request.user.has_perm("letters.view_myiroletter")
    ):
        raise PermissionDenied
    iro = _readable_iro(request, user_pk)
    profile = selectors.profile_of(iro)
    if profile is None or not profile.photo:
        raise Http404("No photo")
    try:
        handle = profile.photo.open("rb")
    except OSError:
        raise Http404("No photo") from None
    return FileResponse(handle, content_type="image/jpeg")
