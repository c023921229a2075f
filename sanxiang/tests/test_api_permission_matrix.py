"""The permission matrix of the API: every role × every API operation × own agency / other
agency of the same city / agency of another city. Uses the oracle of the page matrix, so the
pages and the API are held to one policy. Every operation of the API must have a rule here.
"""

import json

import pytest
from django.test import Client

from sanxiang.api import api_endpoints
from sanxiang.registry.registries import REGISTRIES
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import MEMBER_OF, OWNERS, PERSONAS, oracle

API = "/api/v1"
SPECIAL = {("POST", f"{API}/auth/token"), ("DELETE", f"{API}/auth/token")}  # tested in accounts tests
# Anonymous open data (issue 7), tested in sanxiang/disclosure/tests/test_open_data.py.
SPECIAL |= {("GET", f"{API}/public/decisions{suffix}") for suffix in ("", ".jsonl", ".csv", "/{public_id}")}


def _payload(key: str, persona: str, owned: dict) -> dict:
    """A valid new row for ``key``; references point at the persona's own agency when it has rows."""
    rows = owned.get(MEMBER_OF.get(persona, "own"), owned["own"])
    return {
        "officers": {"name": "周某", "certificate_number": f"NEW-{persona}", "issued_on": "2025-01-01",
                     "expires_on": "2029-12-31", "categories": ["penalty"]},
        "items": {"code": f"NEW-{persona}", "name": "新事项", "kind": "penalty"},
        "laws": {"title": f"{persona}新办法", "level": "local_rule"},
        "benchmarks": {"item": rows["items"].pk, "violation": "无证经营", "circumstance": "minor",
                       "sanction": "警告"},
        "targets": {"name": f"{persona}新公司", "kind": "natural_person"},
        "random_items": {"name": "抽查", "basis": "依据", "target_type": "企业", "content": "内容",
                         "method": "现场检查", "ratio": "5.00", "frequency": "每年1次"},
    }[key]


def _rules() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(method, path) → (action, objects key, registry key)."""
    rules = {
        ("GET", f"{API}/auth/me"): ("list", "", ""),
        ("GET", f"{API}/accounts/agencies"): ("list", "", ""),
        ("GET", f"{API}/accounts/agencies/{{agency_id}}"): ("view", "agencies", ""),
        ("GET", f"{API}/accounts/jurisdictions"): ("list", "", ""),
    }
    for key in REGISTRIES:
        base = f"{API}/registry/{key}"
        rules[("GET", f"{base}/")] = ("list", "", key)
        rules[("POST", f"{base}/")] = ("add", "", key)
        rules[("GET", f"{base}/{{obj_id}}")] = ("view", key, key)
        rules[("PATCH", f"{base}/{{obj_id}}")] = ("change", key, key)
    rules[("GET", f"{API}/registry/laws/{{obj_id}}/articles")] = ("view", "laws", "laws")
    rules[("GET", f"{API}/ledger/checkpoint")] = ("list", "", "")
    rules[("GET", f"{API}/ledger/entries")] = ("list", "", "")
    rules[("GET", f"{API}/ledger/entries/{{index}}")] = ("view", "entries", "")
    rules[("GET", f"{API}/ledger/entries/{{index}}/receipt")] = ("view", "entries", "")
    rules.update(_case_rules())
    # Evidence uploads act on a case (or on the caller's own upload): their own matrix is
    # sanxiang/evidence/tests/test_api.py.
    for method, path in [("POST", "/uploads"), ("GET", "/uploads/{upload_id}"), ("PUT", "/uploads/{upload_id}"),
                         ("GET", "/cases/{case_id}")]:
        rules[(method, f"{API}/evidence{path}")] = ("separate", "", "")
    rules.update(_review_rules())
    from sanxiang.inspections.tests.matrix_rules_api import api_rules

    rules.update(api_rules(API))
    return rules


def _review_rules() -> dict[tuple[str, str], tuple[str, str, str]]:
    """The queue, the catalog and the staffing are read by every member; operations on one
    submission follow the case's roles: their own matrix is sanxiang/review/tests/test_api.py."""
    base = f"{API}/reviews"
    rules = {("GET", f"{base}/"): ("list", "", ""), ("GET", f"{base}/catalog"): ("list", "", ""),
             ("GET", f"{base}/staffing"): ("list", "", ""), ("POST", f"{base}/"): ("separate", "", "")}
    for method, path in [("GET", ""), ("POST", "/opinion"), ("POST", "/extend"), ("POST", "/reassign"),
                         ("POST", "/objection"), ("POST", "/consultation"), ("POST", "/collective")]:
        rules[(method, f"{base}/{{review_id}}{path}")] = ("separate", "", "")
    return rules


def _case_rules() -> dict[tuple[str, str], tuple[str, str, str]]:
    """Cases follow the lifecycle's per-step roles, not the registries' model-level policy: their
    operations on a case are "separate", held to their own persona × owner matrix in
    sanxiang/cases/tests/test_api.py (test_persona_matrix)."""
    base = f"{API}/cases"
    rules = {("GET", f"{base}/"): ("list", "", ""), ("GET", f"{base}/transitions"): ("list", "", "")}
    for method, path in [("POST", "/"), ("GET", "/{case_id}"), ("PATCH", "/{case_id}"),
                         ("GET", "/{case_id}/timeline"), ("GET", "/{case_id}/documents"),
                         ("POST", "/{case_id}/documents"), ("POST", "/{case_id}/parties"),
                         ("PATCH", "/{case_id}/parties/{party_id}"), ("DELETE", "/{case_id}/parties/{party_id}"),
                         ("PUT", "/{case_id}/handlers"), ("POST", "/{case_id}/transitions/{name}")]:
        rules[(method, base + path)] = ("separate", "", "")
    return rules


@pytest.fixture(autouse=True)
def _ledger_keys(settings, tmp_path) -> None:
    # Receipts sign checkpoints: keep the generated keys out of the data folder.
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def test_every_api_operation_has_a_rule() -> None:
    rules = _rules()
    missing = [f"{m} {p}" for m, p in api_endpoints() if (m, p) not in rules and (m, p) not in SPECIAL]
    assert not missing, "API operations without a permission rule: " + ", ".join(missing)
    stale = [f"{m} {p}" for m, p in rules if (m, p) not in set(api_endpoints())]
    assert not stale, "rules for operations that no longer exist: " + ", ".join(stale)


def _expected_api(persona: str, action: str, owner: str | None, shared: bool) -> int:
    answer = oracle(persona, action, owner, shared)
    if answer == "login":
        return 401
    if answer == 200 and action == "add":
        return 201
    return answer  # type: ignore[return-value]


def _call(client: Client, method: str, url: str, body: dict | None) -> int:
    data = json.dumps(body or {})
    if method == "GET":
        return client.get(url).status_code
    if method == "POST":
        return client.post(url, data, content_type="application/json").status_code
    return client.patch(url, data, content_type="application/json").status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_matrix(persona: str, world, owned) -> None:
    client = Client()
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    failures = []
    for (method, path), (action, objects, key) in _rules().items():
        if action == "separate":  # own matrix in the app's tests
            continue
        shared = key == "laws"
        body = _payload(key, persona, owned) if method == "POST" else ({} if method == "PATCH" else None)
        if not objects:
            got, expected = _call(client, method, path, body), _expected_api(persona, action, None, shared)
            if got != expected:
                failures.append(f"{method} {path} expected {expected}, got {got}")
            continue
        for owner in OWNERS:
            target = owned[owner][objects]
            url = path.replace("{obj_id}", str(target.pk)).replace("{agency_id}", str(target.pk))
            url = url.replace("{index}", str(getattr(target, "index", "")))
            got, expected = _call(client, method, url, body), _expected_api(persona, action, owner, shared)
            if got != expected:
                failures.append(f"{method} {url} [{owner}] expected {expected}, got {got}")
    assert not failures, f"{persona}: " + "; ".join(failures)
