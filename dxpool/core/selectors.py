"""Cross-app reads for the home page."""

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
