from django.conf import settings
from django.db import models


class AccessLog(models.Model):
    """Who viewed which child's record, when. Written by iro.audit.log_child_access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="child_accesses"
    )
    child = models.ForeignKey("iro.Child", on_delete=models.CASCADE, related_name="accesses")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=300)
    action = models.CharField(max_length=40, default="view")

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["child", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} child {self.child_id} at {self.viewed_at:%Y-%m-%d %H:%M}"
