"""The permission matrix: every role × every page URL × own agency / other agency of the same
city / agency of another city.

The expected answer comes from a small oracle that states the policy in a few lines, separately
from the access layer that implements it. Every URL pattern of the project must be classified in
``PAGE_RULES`` (or be an API route, checked in ``test_api_permission_matrix.py``): a new page
without a rule fails :func:`test_every_url_has_a_rule`.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sanxiang.registry import models as m
from sanxiang.registry.registries import REGISTRIES
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import LOGIN, OWNERS, PERSONAS, oracle


@dataclass(frozen=True)
class Rule:
    action: str  # list / add / admin_list / view / change / public
    objects: str = ""  # key into the objects fixture for per-object URLs
    method: str = "get"
    shared: bool = False
    kwarg: str = "pk"  # the URL's argument, read from the object's attribute of the same name


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
    "ledger:overview": Rule("list"),
    "ledger:witness": Rule("separate", method="post"),  # supervisors only: ledger/tests/test_pages.py
    "ledger:entry_list": Rule("list"),
    "ledger:entry_detail": Rule("view", "entries", kwarg="index"),
    "ledger:entry_receipt": Rule("view", "entries", kwarg="index"),
    "ledger:verify": Rule("public"),
    "ledger:keys": Rule("public"),
}
EXTRA_RULES_MODULES = [
    "sanxiang.registry.tests.excel_matrix_rules",
    # Case pages follow the lifecycle's per-step roles, not the registries' model-level policy:
    # each module marks its pages "separate" and has its own persona × owner matrix.
    "sanxiang.cases.tests.matrix_rules_pages",
    "sanxiang.cases.tests.matrix_rules_settings",
    "sanxiang.cases.tests.matrix_rules_documents",
    "sanxiang.evidence.tests.matrix_rules",
    "sanxiang.review.tests.matrix_rules_pages",
    "sanxiang.review.tests.matrix_rules_catalog",
    "sanxiang.disclosure.tests.matrix_rules_pipeline",
    "sanxiang.disclosure.tests.matrix_rules_portal",
    "sanxiang.disclosure.tests.matrix_rules_credentials",
    "sanxiang.inspections.tests.matrix_rules",
]


@pytest.fixture(autouse=True)
def _ledger_keys(settings, tmp_path) -> None:
    # Receipts sign checkpoints: keep the generated keys out of the data folder.
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


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
        if rule.action in {"public", "separate"}:  # "separate": own matrix in the app's tests
            continue
        if rule.objects:
            for owner in OWNERS:
                target = owned[owner][rule.objects]
                url = reverse(name, kwargs={rule.kwarg: getattr(target, rule.kwarg)})
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
