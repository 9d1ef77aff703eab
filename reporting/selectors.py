"""Reads of the reporting app: which snapshots a user may see."""

from django.db.models import Exists, OuterRef

from reporting.models import Snapshot


def snapshots_for(user):
    """Board members (view_published only): the latest version of each snapshot, unless withdrawn.
    Those who publish or read live reports: every version, withdrawn ones too."""
    qs = Snapshot.objects.select_related("published_by", "withdrawn_by")
    if user.has_perm("reporting.view_reports") or user.has_perm("reporting.publish_snapshot"):
        return qs
    if not user.has_perm("reporting.view_published"):
        return qs.none()
    later = Snapshot.objects.filter(series=OuterRef("series"), version__gt=OuterRef("version"))
    return qs.filter(withdrawn=False).exclude(Exists(later))


def latest_published(user):
    return snapshots_for(user).filter(withdrawn=False).order_by("-as_at", "-published_at").first()
