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


# Newest first: the snapshot covering the latest period, then the latest published. Not by the
# as-at date: an annual report published in December covers a year that ended on 31 March, and
# a dashboard published late for an earlier month must not hide the newer month's.
NEWEST_FIRST = ("-period_end", "-published_at", "-pk")


def snapshots_newest_first(user):
    return snapshots_for(user).order_by(*NEWEST_FIRST)


def latest_published(user):
    """The snapshot the board's home page and dashboard open on: the newest not withdrawn."""
    return snapshots_newest_first(user).filter(withdrawn=False).first()
