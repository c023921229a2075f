"""Demo publications (事后公开) for ``manage.py seed_demo``, after the demo cases.

The 市场监督管理局's decided cases drafted their publications when they were decided (即时推送).
Here its publisher (the ``publisher`` login) approves them, except the decision still waiting for
service, which stays in the queue (overdue, to show the flag); the agency head records that the
largest fine was revoked on 行政复议, which withdraws its entry at once; one entry's period is run
out (expiry evaluated as of the day after its period ends: a demo cannot wait three years); a
member of the public reports an error on one entry and the publisher answers. The natural-person
party decided on the spot is published as 陈某. The publisher also writes a 服务指南 (食品经营许可)
for the portal's 事前公开. Everything goes through the services.

Idempotent: an agency that already has public entries is left alone.
"""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import Agency, User
from sanxiang.cases import services as cases
from sanxiang.cases.choices import CaseState
from sanxiang.disclosure import services
from sanxiang.disclosure.choices import PublicationStatus, WithdrawalKind
from sanxiang.disclosure.models import Publication, PublicEntry, ServiceGuide
from sanxiang.disclosure.portal.services import create_guide

P = PublicationStatus
REVOKED_REASON = "经行政复议，清江市人民政府决定撤销该行政处罚决定，责令重新作出处理"
REPORT_TEXT = "公示的违法事实中“面膜”应为“面霜”，请核实更正。"
REPORT_ANSWER = "经核对案卷，当事人直播间宣传的产品为面膜，公示内容无误，不予更正。感谢您的监督。"


def seed_disclosure(step: object, agencies: dict[str, Agency], today: dt.date | None = None) -> None:
    agency = agencies.get("scjg")
    publisher = User.objects.filter(username="publisher", agency=agency).first()
    head = User.objects.filter(username="agency_head", agency=agency).first()
    if agency is None or publisher is None or head is None:
        return
    _service_guide(publisher)
    if PublicEntry.objects.filter(agency_id_public=agency.pk).exists():
        step.existing += 1  # type: ignore[attr-defined]
        return
    drafts = Publication.objects.filter(agency=agency, status=P.DRAFT).select_related("case")
    published = []
    for publication in drafts.order_by("decided_on", "id"):
        if publication.case and publication.case.state == CaseState.SERVICE:
            continue  # waits in the publisher's queue
        services.publish(publisher, publication.pk)
        published.append(Publication.objects.select_related("case").get(pk=publication.pk))
    _withdraw_largest(head, published)
    _expire_one(published)
    _report_and_answer(publisher, published)
    step.created += len(published)  # type: ignore[attr-defined]


def _withdraw_largest(head: User, published: list[Publication]) -> None:
    fined = [p for p in published if p.case and p.case.decision_fine]
    if not fined:
        return
    largest = max(fined, key=lambda p: p.case.decision_fine)
    cases.perform(head, largest.case_id, "record_decision_change", change_kind=WithdrawalKind.REVOKED, reason=REVOKED_REASON)


def _expire_one(published: list[Publication]) -> None:
    warnings = [p for p in published if p.case and p.case.decision_penalties == ["warning"]]
    if warnings:
        target = Publication.objects.get(pk=warnings[0].pk)
        services.expire_publications(target.expires_on + dt.timedelta(days=1), only=[target.pk])


def _report_and_answer(publisher: User, published: list[Publication]) -> None:
    live = [p for p in published if Publication.objects.filter(pk=p.pk, status=P.PUBLISHED).exists()]
    target = next((p for p in live if "面膜" in str(p.original.get("facts"))), live[0] if live else None)
    if target is None:
        return
    report = services.report_error(target.public_id, REPORT_TEXT, "")
    services.answer_report(publisher, report.pk, REPORT_ANSWER)


# 服务指南: the fields the seeds list, for 食品经营许可; basis and time limit from the law texts
# (食品安全法 第三十五条; 行政许可法 第四十二条: 20 days, extendable by 10 with the head's approval).
GUIDE = {
    "name": "食品经营许可",
    "basis": "《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度。从事食品生产、食品销售、"
             "餐饮服务，应当依法取得许可。\n《中华人民共和国行政许可法》第四十二条。",
    "accepting_office": "清江市市场监督管理局政务服务窗口",
    "approving_office": "清江市市场监督管理局",
    # 食品安全法 第三十三条第一款第一项至第四项 (what art. 35 has the licensing authority check), verbatim.
    "conditions": (
        "（一）具有与生产经营的食品品种、数量相适应的食品原料处理和食品加工、包装、贮存等场所，保持该场所"
        "环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离；\n"
        "（二）具有与生产经营的食品品种、数量相适应的生产经营设备或者设施，有相应的消毒、更衣、盥洗、采光"
        "、照明、通风、防腐、防尘、防蝇、防鼠、防虫、洗涤以及处理废水、存放垃圾和废弃物的设备或者设施；\n"
        "（三）有专职或者兼职的食品安全专业技术人员、食品安全管理人员和保证食品安全的规章制度；\n"
        "（四）具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染，避免食品接"
        "触有毒物、不洁物；"
    ),
    "materials": "食品经营许可申请书\n营业执照复印件\n与食品经营相适应的主要设备设施布局、操作流程等文件\n"
                 "食品安全自查、从业人员健康管理、进货查验记录等保证食品安全的规章制度",
    "process": "申请\n受理（材料齐全、符合法定形式的当场受理）\n审查（必要时现场核查）\n决定\n送达许可证",
    "time_limit": "自受理之日起20日内作出决定；经负责人批准可延长10日（行政许可法第四十二条）",
    "fees": "不收费",
    "supervision": "监督投诉电话：12315",
    "accountability": "工作人员违法办理许可的，依照《中华人民共和国行政许可法》第七章追究责任。",
    "remedies": "对许可决定不服的，可以自知道之日起六十日内申请行政复议，或者自知道之日起六个月内提起行政诉讼。",
    "hours": "工作日 上午9:00—12:00，下午13:30—17:00",
}


def _service_guide(publisher: User) -> None:
    if not ServiceGuide.objects.filter(agency_id=publisher.agency_id, name=GUIDE["name"]).exists():
        agency = publisher.agency
        create_guide(publisher, {**GUIDE, "address": agency.address, "phone": agency.phone})
