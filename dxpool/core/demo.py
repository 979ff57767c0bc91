"""The demo data set that `dxpool demo` loads: 長崎県 as the demo prefecture (seed 003 names it as the
prefecture the ministry supported in FY2024), a few records in other prefectures so the national view is
not empty, and one log-in per role.

Idempotent: everything is looked up by natural key before it is created, so a second run changes nothing.
Later apps add their own demo records through DEMO_STEPS.
"""

import functools
import importlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from dxpool.accounts.models import Organisation, OrganisationKind, Role, User
from dxpool.places.models import Grouping, GroupingKind, Municipality, Prefecture

DEMO_PASSWORD = "dxpool-demo-2026"
DEMO_PREFECTURE = "42"  # 長崎県

# Each app that ships demo records exposes demo_load(ctx: DemoContext) -> dict of counts.
DEMO_STEPS = [
    "dxpool.talent.demo",
    "dxpool.needs.demo",
    "dxpool.matching.demo",
]


@dataclass
class DemoContext:
    prefecture: Prefecture
    secretariat: Organisation
    national_user: User
    prefecture_user: User
    municipality_user: User
    talent_user: User


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    description: str


DEMO_LOGINS = [
    DemoLogin("national", "kuni", DEMO_PASSWORD, "国（総務省・デジタル庁）: 全国の集計"),
    DemoLogin("prefecture", "nagasaki", DEMO_PASSWORD, "長崎県 事務局: 人材プールの運営"),
    DemoLogin("municipality", "goto", DEMO_PASSWORD, "五島市 DX担当: 課題・ニーズと提案の確認"),
    DemoLogin("talent", "talent", DEMO_PASSWORD, "外部人材（応募者）: 応募とプロフィール"),
]

# Groupings of the demo prefecture. Memberships follow the published arrangements as far as they lie in
# 長崎県 (cross-border members such as 佐賀県の市町 are left out); the prefecture-defined one is invented.
DEMO_GROUPINGS = [
    ("長崎広域連携中枢都市圏", GroupingKind.RENKEI_CHUSU, ["長崎市", "長与町", "時津町"]),
    ("西九州させぼ広域都市圏", GroupingKind.RENKEI_CHUSU,
     ["佐世保市", "平戸市", "松浦市", "西海市", "東彼杵町", "川棚町", "波佐見町", "佐々町"]),
    ("離島DXシェアリング（県設定）", GroupingKind.PREFECTURE_DEFINED, ["五島市", "新上五島町", "小値賀町", "壱岐市", "対馬市"]),
]

OTHER_SECRETARIATS = [("34", "広島県 DX人材シェアリング事務局", "hiroshima"), ("38", "愛媛県 市町DX推進事務局", "ehime")]


@functools.cache
def demo_password_hash() -> str:
    """One PBKDF2 hash shared by every demo account: hashing is deliberately slow, and there are dozens."""
    return make_password(DEMO_PASSWORD)


def demo_user(username: str, *, role: str, organisation: Organisation | None = None, display_name: str) -> User:
    """A demo account (created once; an existing one is left as it is)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, role=role, organisation=organisation,
                                   display_name=display_name, password=demo_password_hash())
    return user


def _secretariat(prefecture: Prefecture, name: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.PREFECTURE, prefecture=prefecture, defaults={"name": name}
    )
    return org


def municipality_organisation(municipality: Municipality) -> Organisation:
    """The DX office of a municipality, created on first use."""
    org, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.MUNICIPALITY, municipality=municipality,
        defaults={"prefecture": municipality.prefecture, "name": f"{municipality.name} DX推進担当"},
    )
    return org


@transaction.atomic
def demo_load() -> dict:
    """Create the demo organisations, users and records; returns counts per step."""
    if Municipality.objects.count() == 0:
        raise RuntimeError("reference data is not loaded; run `dxpool load-reference` first")
    national, _ = Organisation.objects.get_or_create(kind=OrganisationKind.NATIONAL, name="総務省・デジタル庁")
    prefecture = Prefecture.objects.get(code=DEMO_PREFECTURE)
    secretariat = _secretariat(prefecture, "長崎県 地域DX人材プール事務局")
    for m in prefecture.municipalities.all():
        municipality_organisation(m)
    goto = Municipality.objects.get(prefecture=prefecture, name="五島市")

    ctx = DemoContext(
        prefecture=prefecture,
        secretariat=secretariat,
        national_user=demo_user("kuni", role=Role.NATIONAL, organisation=national, display_name="総務省 地域DX担当"),
        prefecture_user=demo_user("nagasaki", role=Role.PREFECTURE, organisation=secretariat,
                              display_name="長崎県 事務局 担当者"),
        municipality_user=demo_user("goto", role=Role.MUNICIPALITY, organisation=municipality_organisation(goto),
                                display_name="五島市 DX推進担当"),
        talent_user=demo_user("talent", role=Role.TALENT, organisation=None, display_name="山田 花子"),
    )
    for code, name, username in OTHER_SECRETARIATS:
        org = _secretariat(Prefecture.objects.get(code=code), name)
        demo_user(username, role=Role.PREFECTURE, organisation=org, display_name=f"{name} 担当者")

    counts = {"groupings": 0}
    for name, kind, member_names in DEMO_GROUPINGS:
        grouping, created = Grouping.objects.get_or_create(
            prefecture=prefecture, name=name, defaults={"kind": kind, "note": "デモデータ"}
        )
        if created:
            grouping.members.set(Municipality.objects.filter(prefecture=prefecture, name__in=member_names))
        counts["groupings"] += 1

    for module_name in DEMO_STEPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # that app ships no demo data yet
            raise
        counts.update(module.demo_load(ctx))
    return counts
