"""Django's model permissions, read together with the user's roles in one query."""

from django.contrib.auth.backends import ModelBackend


class ServiceModelBackend(ModelBackend):
    """ModelBackend, with a user's permissions loaded by User.load_access (one query for roles
    and permissions instead of three). Superusers and users of other models take the usual
    path; what a permission check answers is unchanged."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and not hasattr(user_obj, "_perm_cache")
            and hasattr(user_obj, "load_access")
        ):
            user_obj.load_access()
        return super().get_all_permissions(user_obj, obj)
