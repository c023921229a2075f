"""The permission matrix: every role × every page URL × own agency / other agency of the same
city / agency of another city.

The expected answer comes from a small oracle that states the policy in a few lines, separately
from the access layer that implements it. Every URL pattern of the project must be classified in
``PAGE_RULES`` (or be an API route, checked in ``test_api_permission_matrix.py``): a new page
without a rule fails :func:`test_every_url_has_a_rule`.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sanxiang.registry import models as m
from sanxiang.registry.registries import REGISTRIES
from sanxiang.testing import PASSWORD, make_uscc

LOGIN = "login"  # anonymous: redirected to the login page
PERSONAS = ["anonymous", "officer", "unit_head", "reviewer", "agency_head", "publisher", "admin",
            "supervisor", "other_officer", "other_admin", "far_admin"]
MEMBER_OF = {"officer": "own", "unit_head": "own", "reviewer": "own", "agency_head": "own",
             "publisher": "own", "admin": "own", "supervisor": "bureau", "other_officer": "other",
             "other_admin": "other", "far_admin": "far"}
ADMINS = {"admin", "other_admin", "far_admin"}
OWNERS = ["own", "other", "far"]


def oracle(persona: str, action: str, owner: str | None = None, shared: bool = False) -> object:
    """The policy of issue 2 in one place, for the tests.

    action: view/change for an object of ``owner``; list/add/admin_list are model-level.
    """
    if persona == "anonymous":
        return LOGIN
    if action == "list":
        return 200
    if action in {"add", "admin_list"}:
        return 200 if persona in ADMINS else 403
    member = MEMBER_OF[persona]
    supervised = persona == "supervisor" and owner in {"own", "other", "bureau"}
    visible = shared or owner == member or supervised
    if not visible:
        return 404
    if action == "view":
        return 200
    return 200 if persona in ADMINS and owner == member else 403


@dataclass(frozen=True)
class Rule:
    action: str  # list / add / admin_list / view / change / public
    objects: str = ""  # key into the objects fixture for per-object URLs
    method: str = "get"
    shared: bool = False


def _registry_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for key in REGISTRIES:
        shared = key == "laws"
        rules[f"registry:{key}_list"] = Rule("list")
        rules[f"registry:{key}_create"] = Rule("add")
        rules[f"registry:{key}_detail"] = Rule("view", key, shared=shared)
        rules[f"registry:{key}_edit"] = Rule("change", key, shared=shared)
    rules["registry:article_detail"] = Rule("view", "articles", shared=True)
    return rules


PAGE_RULES: dict[str, Rule] = {
    "home": Rule("list"),
    "accounts:login": Rule("public"),
    "accounts:logout": Rule("public", method="post"),
    "accounts:agency_list": Rule("list"),
    "accounts:agency_detail": Rule("view", "agencies"),
    "accounts:agency_edit": Rule("change", "agencies"),
    "accounts:user_list": Rule("admin_list"),
    "accounts:user_create": Rule("admin_list"),
    "accounts:user_edit": Rule("change", "users"),
    "accounts:user_unlock": Rule("change", "users", method="post"),
    **_registry_rules(),
}
EXTRA_RULES_MODULES = ["sanxiang.registry.tests.excel_matrix_rules"]


def _all_rules() -> dict[str, Rule]:
    rules = dict(PAGE_RULES)
    import importlib

    for name in EXTRA_RULES_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        rules.update(module.rules(Rule))
    return rules


def _walk(patterns: list, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}" if pattern.name else "", prefix + str(pattern.pattern)))
    return found


def page_urls() -> list[tuple[str, str]]:
    return [(name, route) for name, route in _walk(get_resolver().url_patterns)
            if not route.startswith(("api/", "static/"))]


def test_every_url_has_a_rule() -> None:
    rules = _all_rules()
    missing = [f"{name or '(unnamed)'} ({route})" for name, route in page_urls() if name not in rules]
    assert not missing, "URLs without a permission rule: " + ", ".join(missing)


# ---- objects owned by each agency ------------------------------------------------------------

def _rows_for(agency, tag: str) -> dict[str, object]:
    item = m.EnforcementItem.objects.create(agency=agency, code=f"IT-{tag}", name=f"事项{tag}", kind="penalty")
    law = m.Law.objects.create(title=f"{tag}市场监管办法", level="local_rule", agency=agency)
    return {
        "officers": m.Officer.objects.create(name=f"王{tag}", agency=agency, certificate_number=f"CERT-{tag}",
                                             issued_on=datetime.date(2024, 1, 1),
                                             expires_on=datetime.date(2030, 1, 1)),
        "items": item,
        "laws": law,
        "articles": m.Article.objects.create(law=law, number=1, label="第一条", text="为了……"),
        "benchmarks": m.DiscretionBenchmark.objects.create(agency=agency, item=item, violation="无证经营",
                                                           circumstance="general", sanction="罚款"),
        "targets": m.InspectionTarget.objects.create(agency=agency, name=f"{tag}贸易有限公司", uscc=make_uscc(),
                                                     kind="enterprise"),
        "random_items": m.RandomInspectionItem.objects.create(agency=agency, item=item, name="食品经营抽查",
                                                              basis="食品安全法", target_type="食品经营者",
                                                              content="经营许可", method="现场检查", ratio=5,
                                                              frequency="每年1次"),
        "agencies": agency,
        "users": agency.users.order_by("pk").first(),
    }


@pytest.fixture
def owned(world) -> dict[str, dict[str, object]]:
    return {"own": _rows_for(world.agency, "own"), "other": _rows_for(world.other_agency, "other"),
            "far": _rows_for(world.far_agency, "far")}


def _status(client, method: str, url: str) -> object:
    response = client.post(url) if method == "post" else client.get(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    if method == "post" and response.status_code == 302:
        return 200  # a successful POST redirects
    return response.status_code


def _login(client, persona: str) -> None:
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_matrix(persona: str, world, owned, client) -> None:
    _login(client, persona)
    failures = []
    for name, rule in _all_rules().items():
        if rule.action == "public":
            continue
        if rule.objects:
            for owner in OWNERS:
                target = owned[owner][rule.objects]
                url = reverse(name, kwargs={"pk": target.pk})
                expected = oracle(persona, rule.action, owner, rule.shared)
                got = _status(client, rule.method, url)
                if got != expected:
                    failures.append(f"{name} [{owner}] expected {expected}, got {got}")
        else:
            url = reverse(name)
            expected = oracle(persona, rule.action)
            got = _status(client, rule.method, url)
            if got != expected:
                failures.append(f"{name} expected {expected}, got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)


def test_national_laws_are_read_only_for_everyone(world, client) -> None:
    law = m.Law.objects.create(title="中华人民共和国行政处罚法", level="law")
    for persona in ("admin", "far_admin", "supervisor"):
        client.logout()
        _login(client, persona)
        assert client.get(reverse("registry:laws_detail", kwargs={"pk": law.pk})).status_code == 200
        assert client.get(reverse("registry:laws_edit", kwargs={"pk": law.pk})).status_code == 403
