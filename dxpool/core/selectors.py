"""Cross-app reads for the home page."""

from datetime import date

from django.db.models import Count

from dxpool.accounts.models import Role, User
from dxpool.places.models import Grouping, Municipality, Prefecture


def home_summary(*, user: User) -> dict:
    """Figures for the home page, scoped to what the user may see."""
    if user.role == Role.NATIONAL:
        prefectures = Prefecture.objects.annotate(municipality_count=Count("municipalities"),
                                                  grouping_count=Count("groupings", distinct=True))
        return {
            "kind": "national",
            "prefecture_count": prefectures.count(),
            "municipality_count": Municipality.objects.count(),
            "active_prefectures": [p for p in prefectures if p.organisations.filter(kind="prefecture").exists()],
        }
    if user.role == Role.PREFECTURE:
        pref = user.organisation.prefecture
        munis = Municipality.objects.filter(prefecture=pref)
        return {
            "kind": "prefecture",
            "prefecture": pref,
            "municipality_count": munis.count(),
            "by_type": list(munis.values("type").annotate(n=Count("id")).order_by("type")),
            "grouping_count": Grouping.objects.filter(prefecture=pref).count(),
        }
    if user.role == Role.MUNICIPALITY:
        muni = user.organisation.municipality
        return {
            "kind": "municipality",
            "municipality": muni,
            "groupings": list(Grouping.objects.filter(members=muni)),
        }
    return {"kind": "talent"}


def audit_events(*, actions: list[str] | None = None, prefecture_code: str | None = None,
                 since: date | None = None, until: date | None = None, limit: int = 100):
    """Audit events, newest first, for the operator's `dxpool audit` (the command line has database access, so
    it is not scoped by a user). `actions` are AuditAction values or prefixes ending in "." ("need.")."""
    from django.db.models import Q

    from dxpool.core.models import AuditEvent

    qs = AuditEvent.objects.select_related("actor", "prefecture")
    if actions:
        cond = Q()
        for a in actions:
            cond |= Q(action__startswith=a) if a.endswith(".") else Q(action=a)
        qs = qs.filter(cond)
    if prefecture_code:
        qs = qs.filter(prefecture__code=prefecture_code)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")[:limit]
