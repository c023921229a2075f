"""法制审核人员配备: reviewers (registry flag and reviewer role, each person once) against the
agency's officers with a valid certificate, the 5 % of seed 003, 法律职业资格, the warning, and who
sees which agencies (members their own, supervisors their jurisdiction)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.accounts.choices import Role
from sanxiang.cases.testing import make_officer
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer
from sanxiang.review import staffing
from sanxiang.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
URL = reverse("review_catalog:staffing")


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def test_counts_share_and_warning(world) -> None:
    agency = world.agency
    for n in range(40):
        make_officer(agency, f"执法{n}")
    Officer.objects.filter(pk=make_officer(agency, "注销者").pk).update(status=CredentialStatus.REVOKED)
    # The "reviewer" persona (role only) is the one reviewer: 1 of 40 = 2.5 % < 5 % (2 needed).
    found = staffing.of_agency(agency)
    assert (found.officers, found.reviewers, found.required, found.qualified) == (40, 1, 2, 0)
    assert found.share == 2.5 and found.short
    assert "低于5%" in found.warning and "至少需2人" in found.warning
    # The reviewer's own officer record, marked in the registry with 法律职业资格: still one person.
    Officer.objects.filter(pk=make_officer(agency, "审核员", world.personas["reviewer"]).pk).update(
        is_legal_reviewer=True, has_legal_qualification=True)
    found = staffing.of_agency(agency)
    assert (found.officers, found.registry_reviewers, found.role_reviewers, found.qualified) == (41, 1, 0, 1)
    # A second reviewer in the registry only (no login): 2 of 42 is short of 5 % (ceil(2.1) = 3 needed).
    Officer.objects.filter(pk=make_officer(agency, "法制科").pk).update(is_legal_reviewer=True)
    found = staffing.of_agency(agency)
    assert found.reviewers == 2 and found.officers == 42 and found.required == 3 and found.short
    extra = make_user(agency, Role.REVIEWER)
    found = staffing.of_agency(agency)
    assert found.reviewers == 3 and not found.short and found.warning == ""
    assert extra.pk  # a role-only reviewer counts


def test_members_see_their_agency_supervisors_the_jurisdiction(world) -> None:
    for n in range(30):
        make_officer(world.other_agency, f"文旅{n}")
    own = logged_in("officer").get(URL).content.decode()
    assert world.agency.name in own and world.other_agency.name not in own
    other = logged_in("other_officer").get(URL).content.decode()
    assert world.other_agency.name in other and "低于5%" in other and 'id="staffing-warning"' in other
    supervised = logged_in("supervisor").get(URL).content.decode()
    assert world.agency.name in supervised and world.other_agency.name in supervised
    assert world.far_agency.name not in supervised
    assert f"{world.other_agency.name}法制审核人员0人" in supervised
    assert Client().get(URL).status_code == 302


def test_supervisor_home_links_to_the_staffing_page(world) -> None:
    home = logged_in("supervisor").get(reverse("home")).content.decode()
    assert 'id="staffing-link"' in home and URL in home
    assert 'id="staffing-link"' not in logged_in("officer").get(reverse("home")).content.decode()
