"""Cross-app reads for the home page."""

from datetime import date

from django.db.models import Count, Exists, OuterRef

from dxpool.accounts.models import Organisation, Role, User
from dxpool.places.models import Grouping, Municipality, Prefecture


def home_summary(*, user: User) -> dict:
    """Figures for the home page, scoped to what the user may see."""
    if user.role == Role.NATIONAL:
        # distinct on both counts: joining municipalities and groupings multiplies the rows (21 × 3 = 63).
        # A prefecture "runs a pool" when it has a secretariat organisation: one EXISTS, not a query each.
        secretariat = Organisation.objects.filter(prefecture=OuterRef("pk"), kind="prefecture")
        prefectures = Prefecture.objects.annotate(municipality_count=Count("municipalities", distinct=True),
                                                  grouping_count=Count("groupings", distinct=True),
                                                  active=Exists(secretariat))
        return {
            "kind": "national",
            "prefecture_count": Prefecture.objects.count(),
            "municipality_count": Municipality.objects.count(),
            "active_prefectures": list(prefectures.filter(active=True).order_by("code")),
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
