"""``manage.py seed_demo``: the demo city is complete, plausible, synthetic and idempotent."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.utils import timezone

from sanxiang.accounts.choices import AgencyKind, Role
from sanxiang.accounts.models import Agency, Jurisdiction, User
from sanxiang.accounts.validators import uscc_problem
from sanxiang.registry.choices import Circumstance, CredentialStatus
from sanxiang.registry.demo import DEMO_PASSWORD
from sanxiang.registry.demo.catalog import ITEMS
from sanxiang.registry.demo.places import CITY
from sanxiang.registry.demo.targets import plan_targets
from sanxiang.registry.models import (
    Article,
    DiscretionBenchmark,
    EnforcementItem,
    InspectionTarget,
    Law,
    Officer,
    RandomInspectionItem,
)

MODELS = (Jurisdiction, Agency, User, Law, Article, Officer, EnforcementItem, DiscretionBenchmark,
          RandomInspectionItem, InspectionTarget)


@pytest.fixture
def fast_hasher(settings):
    # Argon2 costs ~0.4 s a password; the hasher is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def demo_agencies():
    city = Jurisdiction.objects.get(code=CITY.code)
    return Agency.objects.filter(jurisdiction__path__startswith=city.path)


@pytest.mark.django_db
def test_agencies_officers_and_reviewers(fast_hasher) -> None:
    seed()
    agencies = demo_agencies()
    assert agencies.filter(kind=AgencyKind.JUDICIAL_BUREAU).count() == 1
    assert agencies.exclude(kind=AgencyKind.JUDICIAL_BUREAU).count() >= 4
    assert agencies.filter(jurisdiction__level="county").exists()
    officers = Officer.objects.filter(agency__in=agencies)
    assert officers.count() >= 40
    for agency in agencies.annotate(n=Count("officers")).filter(n__gt=0):
        reviewers = agency.officers.filter(is_legal_reviewer=True).count()
        assert reviewers * 20 >= agency.n, f"{agency}: {reviewers} reviewers for {agency.n} officers"
    assert officers.filter(is_legal_reviewer=True, has_legal_qualification=True).count() >= 4


@pytest.mark.django_db
def test_certificates_are_plausible(fast_hasher) -> None:
    seed()
    today = timezone.localdate()
    officers = Officer.objects.all()
    assert all(re.fullmatch(r"99\d{4}20\d{6}", o.certificate_number) for o in officers)
    assert all(o.certificate_number[6:10] == str(o.issued_on.year) for o in officers)
    assert all(o.issued_on < o.expires_on for o in officers)
    assert 2 <= officers.filter(expires_on__lt=today).count() <= 5
    assert officers.filter(status=CredentialStatus.SUSPENDED).count() == 1
    assert officers.filter(status=CredentialStatus.REVOKED).count() == 1
    assert officers.enforceable(today).count() >= 36
    assert all(o.categories for o in officers)


@pytest.mark.django_db
def test_one_login_per_role(fast_hasher, client) -> None:
    output = seed()
    agencies = demo_agencies()
    market = agencies.get(name="清江市市场监督管理局")
    for role in (Role.OFFICER, Role.UNIT_HEAD, Role.REVIEWER, Role.AGENCY_HEAD, Role.PUBLISHER, Role.ADMIN):
        assert User.objects.filter(agency=market, role_grants__role=role).exists(), role
    assert User.objects.get(username="supervisor").agency.kind == AgencyKind.JUDICIAL_BUREAU
    for username in ("officer", "unit_head", "reviewer", "agency_head", "jb_officer"):
        user = User.objects.get(username=username)
        assert user.officer.can_enforce(), username
    assert User.objects.get(username="reviewer").officer.is_legal_reviewer
    other = User.objects.get(username="jb_officer")
    assert other.has_role(Role.OFFICER) and other.agency != market
    assert client.login(username="officer", password=DEMO_PASSWORD)
    assert "supervisor" in output and DEMO_PASSWORD in output and "清江市司法局" in output


@pytest.mark.django_db
def test_items_cite_real_articles(fast_hasher) -> None:
    seed()
    items = EnforcementItem.objects.filter(agency__in=demo_agencies())
    assert items.count() >= 20
    assert not items.annotate(n=Count("legal_basis")).filter(n=0).exists()
    assert Law.objects.filter(agency=None).count() == 16
    # The cited article really says what the item is about.
    spot_checks = {
        "SJ-CF-001": ("食品安全法", 122, "未取得食品生产经营许可"),
        "SJ-CF-002": ("食品安全法", 124, "超过保质期"),
        "SJ-CF-005": ("广告法", 55, "发布虚假广告"),
        "SJ-CF-007": ("产品质量法", 49, "不符合保障人体健康和人身、财产安全的国家标准"),
        "SJ-CF-010": ("消费者权益保护法", 56, "虚假或者引人误解的宣传"),
        "SJ-CF-011": ("药品管理法", 115, "未取得药品生产许可证、药品经营许可证"),
        "WL-CF-001": ("旅行社条例", 46, "未取得相应的旅行社业务经营许可"),
        "JB-CF-002": ("娱乐场所管理条例", 48, "歌舞娱乐场所接纳未成年人"),
        "JB-CF-004": ("营业性演出管理条例", 44, "未经批准举办营业性演出"),
        "WJ-CF-001": ("传染病防治法", 73, "饮用水供水单位供应的饮用水不符合国家卫生标准"),
    }
    for code, (law, number, phrase) in spot_checks.items():
        article = items.get(code=code).legal_basis.get(law__title__endswith=law, number=number)
        assert phrase in article.text, code
    item = items.get(code="SJ-CF-001")
    assert item.basis_text == "《中华人民共和国食品安全法》第三十五条、第一百二十二条"


@pytest.mark.django_db
def test_benchmarks_stay_inside_the_legal_range(fast_hasher) -> None:
    seed()
    legal = {spec.code: spec.legal_fine for spec in ITEMS if spec.benchmarks}
    assert len(legal) >= 5
    for code, (low, high) in legal.items():
        rows = DiscretionBenchmark.objects.filter(item__code=code)
        assert {r.circumstance for r in rows} == set(Circumstance.values), code
        for row in rows:
            assert row.agency_id == row.item.agency_id
            if row.fine_min is not None:
                assert low <= row.fine_min <= row.fine_max <= high, (code, row.circumstance)
    assert RandomInspectionItem.objects.count() >= 5
    assert not RandomInspectionItem.objects.exclude(item__agency=F("agency")).exists()


@pytest.mark.django_db
def test_targets(fast_hasher) -> None:
    seed()
    targets = InspectionTarget.objects.all()
    assert targets.count() == 1000
    assert all(uscc_problem(t.uscc) is None for t in targets)
    assert len({t.name for t in targets}) == 1000
    assert targets.values("region__parent").distinct().count() == 3
    assert targets.values("risk_level").distinct().count() == 3
    assert targets.values("industry").distinct().count() >= 10
    assert targets.values("kind").distinct().count() >= 3
    assert targets.values("agency").distinct().count() == 4
    assert plan_targets() == plan_targets()


@pytest.mark.django_db
def test_second_run_creates_nothing(fast_hasher) -> None:
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "未新增任何记录" in output


@pytest.mark.django_db
def test_second_run_fills_what_is_missing(fast_hasher) -> None:
    seed()
    before = counts()
    InspectionTarget.objects.filter(pk__in=InspectionTarget.objects.values("pk")[:10]).delete()
    DiscretionBenchmark.objects.filter(item__code="SJ-CF-001").delete()
    output = seed()
    assert counts() == before
    assert "已补充缺失的 14 条记录" in output


@pytest.mark.django_db
def test_refused_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产模式"):
        call_command("seed_demo", stdout=StringIO())
    assert not Agency.objects.exists()
