"""The access policy of issue 2 stated as a test oracle, and rows owned by each agency.

Shared by the page matrix and the API matrix so that both are held to one policy.
"""

import datetime

from sanxiang.ledger.services import record_change
from sanxiang.registry import models as m
from sanxiang.testing import make_uscc

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


# ---- objects owned by each agency ------------------------------------------------------------

def _rows_for(agency, tag: str) -> dict[str, object]:
    item = m.EnforcementItem.objects.create(agency=agency, code=f"IT-{tag}", name=f"事项{tag}", kind="penalty")
    law = m.Law.objects.create(title=f"{tag}市场监管办法", level="local_rule", agency=agency)
    officer = m.Officer.objects.create(name=f"王{tag}", agency=agency, certificate_number=f"CERT-{tag}",
                                       issued_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2030, 1, 1))
    return {
        "officers": officer,
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
        # Rows made through the ORM above write no ledger entry; this one is the agency's newest.
        "entries": record_change(event_type="registry.officer.created", actor=None, obj=officer,
                                 summary=f"新增执法人员：{officer}"),
    }


def owned_rows(world) -> dict[str, dict[str, object]]:
    """One row of every kind for the own, other (same city) and far (other city) agency."""
    return {"own": _rows_for(world.agency, "own"), "other": _rows_for(world.other_agency, "other"),
            "far": _rows_for(world.far_agency, "far")}


