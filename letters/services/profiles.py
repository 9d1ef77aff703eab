"""An IRO's profile for children."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from iro.models import User
from iro.roles import Role
from letters.models import IroProfile
from letters.photos import checked_photo


@transaction.atomic
def profile_save(
    *,
    user: User,
    who_i_am: str,
    what_i_do: str,
    how_to_reach_me: str,
    photo=None,
    remove_photo: bool = False,
) -> IroProfile:
    """Write `user`'s own profile. A new `photo` (an upload) is checked and re-encoded
    (letters.photos) and replaces the old one; `remove_photo` removes it. The old file is
    deleted from storage once the change is committed."""
    if not user.has_role(Role.IRO):
        raise ValidationError("Only an IRO keeps a profile for children.")
    profile = IroProfile.objects.select_for_update().filter(user=user).first()
    profile = profile or IroProfile(user=user)
    try:
        stored = checked_photo(photo, owner_id=user.pk) if photo else None
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    old_name = profile.photo.name if profile.photo else ""
    profile.who_i_am = who_i_am.strip()
    profile.what_i_do = what_i_do.strip()
    profile.how_to_reach_me = how_to_reach_me.strip()
    profile.full_clean(exclude=["photo"])
    if stored is not None:
        profile.photo.save(stored.name or "photo.jpg", stored, save=False)
    elif remove_photo:
        profile.photo = ""
    profile.save()
    new_name = profile.photo.name if profile.photo else ""
    if old_name and old_name != new_name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return profile
