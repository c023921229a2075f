"""Demo cases (执法案件) for the 清江市 demo (``manage.py seed_demo``).

Every case is registered and moved only through :mod:`sanxiang.cases.services`, by the demo
logins of its agency, with the documents each step requires, and with the dates of paper steps
entered afterwards (the ``on`` input of the transitions), so that together the cases stand in
every step of the lifecycle, some overdue, some due within three working days, and some with a
deadline in a year whose holiday schedule is not loaded yet (暂定).

Who can move a case is decided by the demo logins: only the 市场监督管理局 has the whole chain
(officer, unit head, reviewer, agency head). The 江北区文化和旅游局 has one officer login, so its
cases stop where a head would have to act (立案审批) or are simple-procedure cases the officer
decides on the spot. The 文化和旅游局 and the 卫生健康委员会 have only an administrator, who may
not handle cases: they get none (see :data:`MISSING_ROLES`).

Idempotent: a case is identified by its agency and its title (案由); a case already present is
left as it is, whatever step it has reached since.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.cases import lifecycle, schedule, services
from sanxiang.cases.choices import (
    CaseSource,
    CaseState,
    DecisionType,
    DocumentKind,
    PartyKind,
    PauseKind,
    PenaltyKind,
    Procedure,
)
from sanxiang.cases.deadlines import due_date, working_days_between
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.demo.targets import TargetPlan, plan_targets
from sanxiang.registry.models import DiscretionBenchmark, EnforcementItem, Officer
from sanxiang.testing import make_id_number

S, D, Src = CaseState, DocumentKind, CaseSource
DUE_SOON = "due_soon"  # a date chosen so that the step's period ends within 1–2 working days
# Demo login of each role, per agency (sanxiang.registry.demo.people). A step whose role has no
# login in the agency cannot be taken there.
LOGINS: dict[str, dict[str, str]] = {
    "scjg": {Role.OFFICER: "officer", Role.UNIT_HEAD: "unit_head", Role.AGENCY_HEAD: "agency_head",
             Role.REVIEWER: "reviewer"},
    "jbwl": {Role.OFFICER: "jb_officer"},
}
MISSING_ROLES = {"whly": "执法人员、承办机构负责人、机关负责人", "wjw": "执法人员、承办机构负责人、机关负责人",
                 "jbwl": "承办机构负责人、机关负责人、法制审核人员"}


@dataclass(frozen=True)
class Person:
    name: str
    address: str
    region: str = "990102"


@dataclass(frozen=True)
class Spec:
    """One demo case: who, what, how far it goes (``stop``: the last step taken) and when.

    ``party`` is either a :class:`Person` or ``(industry, n)``: the n-th demo 检查对象 of that
    industry of the agency. ``at`` gives a step's date in days before today (negative: after
    today, only for a hearing date) or :data:`DUE_SOON`; a step without a date happens on the
    day of the step before it.
    """

    agency: str
    item: str
    party: Person | tuple[str, int]
    violation: str  # the title is "<party><violation>案"
    source: str
    facts: str
    stop: str
    received: int
    at: dict[str, int | str] = field(default_factory=dict)
    source_note: str = ""
    circumstance: str = ""  # the discretion benchmark tier (registry Circumstance value)
    penalties: tuple[str, ...] = ("fine",)
    fine: int = 0
    confiscation: int = 0
    major: str = ""  # why the decision is 重大 (legal review and collective discussion)
    hearing: bool = False
    waived: bool = False
    ending: str = ""  # reject_filing, revoke_filing, transfer, decide_no_penalty
    reason: str = ""
    preserve: bool = False
    pause: str = ""  # reason of a 检测/鉴定 pause
    procedure: str = Procedure.NORMAL
    service_method: str = "direct"
    decision_text: str = ""


SPECS: tuple[Spec, ...] = (
    # --- 清江市市场监督管理局: the whole lifecycle ---------------------------------------------
    Spec("scjg", "SJ-CF-002", ("食品销售", 1), "涉嫌销售超过保质期的食品", Src.COMPLAINT,
         "投诉人称于当事人店内购买的袋装酸奶已超过保质期。", "register", received=2,
         source_note="12345政务服务便民热线工单 QJ2026-112003"),
    Spec("scjg", "SJ-CF-010", ("化妆品经营", 0), "涉嫌对商品作虚假宣传", Src.RANDOM_INSPECTION,
         "随机抽查中发现当事人店内宣传海报标称其销售的面霜“七天祛斑、永不反弹”。", "register", received=5),
    Spec("scjg", "SJ-CF-003", ("食品生产", 1), "经营无标签的预包装食品", Src.INSPECTION,
         "执法人员检查发现当事人货架上摆放的预包装糕点38盒无任何标签，货值金额共计1,140元。",
         "request_filing", received=6),
    Spec("scjg", "SJ-CF-001", Person("刘建国", "清江市城南区文昌街道学院路112号", "990103"),
         "未取得食品经营许可从事食品经营活动", Src.COMPLAINT,
         "当事人未取得食品经营许可，在城南区文昌街道学院路租用门面制作、销售卤菜，至检查之日违法经营的食品"
         "货值金额约3,600元。", "approve_filing", received=12, at={"approve_filing": 10},
         source_note="群众来信 2026年第311号"),
    Spec("scjg", "SJ-CF-013", ("药品零售", 0), "未遵守药品经营质量管理规范", Src.RANDOM_INSPECTION,
         "检查发现当事人执业药师不在岗时仍销售处方药，冷藏药品未按规定温度储存，责令限期改正后逾期未改正。",
         "approve_filing", received=104, at={"approve_filing": 100}),
    Spec("scjg", "SJ-CF-002", ("食品销售", 0), "销售超过保质期的食品", Src.INSPECTION,
         "执法人员在当事人仓库发现超过保质期的纯牛奶24箱，标示生产日期为2026年4月，保质期6个月，"
         "货值金额2,880元，对该批牛奶予以先行登记保存。",
         "record_preservation", received=20, at={"approve_filing": 18, "record_preservation": 14},
         preserve=True),
    Spec("scjg", "SJ-CF-008", ("家用电器销售", 0), "涉嫌销售以次充好的电热水壶", Src.COMPLAINT,
         "当事人销售的电热水壶标称为304不锈钢内胆，消费者投诉使用后出现锈斑，已抽样送检。",
         "pause_clock", received=30, at={"approve_filing": 25, "pause_clock": 5},
         pause="抽取样品送清江市产品质量检验所检验，检验期间不计入办案期限"),
    Spec("scjg", "SJ-CF-004", ("食品销售", 2), "未按规定建立并遵守进货查验记录制度", Src.RANDOM_INSPECTION,
         "当事人经营的预包装食品共17个品种无法提供供货者的许可证和食品出厂检验合格证，经责令改正后"
         "仍未建立进货查验记录。", "propose", received=35, at={"approve_filing": 30, "end_investigation": 8},
         circumstance="general", fine=8_000),
    Spec("scjg", "SJ-CF-005", ("广告经营", 1), "发布虚假广告", Src.ASSIGNED,
         "当事人在其微信公众号及户外广告牌发布“清江第一品牌”“治愈率99%”等内容的保健食品广告，"
         "广告费用无法计算。", "submit_legal_review", received=50,
         at={"approve_filing": 45, "end_investigation": 12}, source_note="省市场监督管理局交办函〔2026〕57号",
         circumstance="general", fine=400_000, major="拟罚款数额巨大，涉及众多消费者"),
    Spec("scjg", "SJ-CF-003", ("食品销售", 3), "经营无标签的预包装食品", Src.INSPECTION,
         "当事人销售的散装称重坚果分装后未标注生产日期、保质期等标签内容，货值金额共计2,350元。",
         "issue_notice", received=40, at={"approve_filing": 38, "end_investigation": 15, "issue_notice": DUE_SOON},
         circumstance="minor", fine=8_000, penalties=("confiscate_gains", "fine")),
    Spec("scjg", "SJ-CF-010", ("日用品零售", 0), "对商品作虚假宣传", Src.COMPLAINT,
         "当事人在店内及网店宣称其销售的净水器“可去除水中全部有害物质”，经查无任何检测依据，"
         "销售金额共计86,000元。", "schedule_hearing", received=60,
         at={"approve_filing": 58, "end_investigation": 40, "issue_notice": 30, "request_hearing": 27,
             "schedule_hearing": 25, "hearing_date": -6},
         circumstance="serious", fine=250_000, hearing=True),
    Spec("scjg", "SJ-CF-011", Person("赵德明", "清江市新港区港湾街道望海路17号", "990104"),
         "未取得药品经营许可证销售药品", Src.COMPLAINT,
         "当事人未取得药品经营许可证，在其经营的诊所内向不特定人群零售药品，违法销售的药品货值金额"
         "共计42,000元，按十万元计算。", "request_collective", received=75,
         at={"approve_filing": 72, "end_investigation": 45, "issue_notice": 30},
         circumstance="minor", fine=1_600_000, penalties=("confiscate_gains", "fine"), confiscation=9_800,
         major="拟罚款数额巨大，依法须经集体讨论", waived=True),
    Spec("scjg", "SJ-CF-002", ("餐饮服务", 1), "使用超过保质期的食品原料", Src.INSPECTION,
         "执法人员检查发现当事人后厨冷库存放超过保质期的冻鸡腿12千克，用于加工菜品，货值金额480元。",
         "conclude_notice", received=50, at={"approve_filing": 48, "end_investigation": 30, "issue_notice": 20},
         circumstance="minor", fine=55_000, penalties=("confiscate_gains", "fine")),
    Spec("scjg", "SJ-CF-004", ("食品销售", 4), "未按规定建立并遵守进货查验记录制度", Src.RANDOM_INSPECTION,
         "当事人经营的冷冻食品无法提供进货票据和检验合格证明，经责令改正后拒不改正。", "decide",
         received=70, at={"approve_filing": 66, "end_investigation": 45, "issue_notice": 40, "decide": 20},
         circumstance="general", fine=10_000, waived=True),
    Spec("scjg", "SJ-CF-003", ("食品生产", 0), "生产无标签的预包装食品", Src.INSPECTION,
         "当事人生产的预包装月饼420盒未标注配料表和生产许可证编号，货值金额共计12,600元。",
         "serve", received=88, at={"approve_filing": 84, "issue_notice": 60, "decide": 45, "serve": 42},
         circumstance="general", fine=12_000, penalties=("confiscate_gains", "fine"), waived=True),
    Spec("scjg", "SJ-CF-002", ("食品销售", 5), "销售超过保质期的食品", Src.COMPLAINT,
         "当事人销售超过保质期的进口巧克力36盒，货值金额1,980元，违法所得380元。", "serve",
         received=75, at={"approve_filing": 70, "end_investigation": 50, "issue_notice": 40, "decide": 20,
                          "serve": DUE_SOON},
         circumstance="general", fine=60_000, penalties=("confiscate_gains", "fine"), waived=True,
         service_method="mail"),
    Spec("scjg", "SJ-CF-010", ("化妆品经营", 1), "对商品作虚假宣传", Src.COMPLAINT,
         "当事人在直播间宣称其销售的面膜“医用级、可治疗痘痘”，无任何依据，已责令改正。", "close",
         received=88, at={"approve_filing": 84, "issue_notice": 60, "decide": 45, "serve": 43,
                          "record_execution": 35, "close": 10},
         circumstance="minor", fine=30_000, penalties=("warning", "fine"), waived=True,
         service_method="electronic"),
    Spec("scjg", "SJ-CF-003", ("日用品零售", 1), "经营无标签的预包装食品", Src.RANDOM_INSPECTION,
         "当事人销售的自行分装蜂蜜无中文标签，货值金额860元。", "archive", received=88,
         at={"approve_filing": 85, "issue_notice": 62, "decide": 50, "serve": 48, "record_execution": 40,
             "close": 30, "archive": 20},
         circumstance="minor", fine=6_000, penalties=("confiscate_gains", "fine"), waived=True),
    Spec("scjg", "SJ-CF-005", ("广告经营", 0), "发布虚假广告", Src.COMPLAINT,
         "当事人在公交车身广告中宣称其代理的保健品“根治高血压”，广告费用无法计算。", "archive",
         received=90, at={"approve_filing": 86, "issue_notice": 80, "request_hearing": 78, "schedule_hearing": 77,
                          "hearing_date": 56, "conclude_hearing": 56, "conclude_collective": 52, "decide": 48,
                          "serve": 46, "record_execution": 38, "close": 25, "archive": 12},
         circumstance="minor", fine=300_000, major="拟罚款数额巨大，当事人申请听证", hearing=True),
    Spec("scjg", "SJ-CF-010", ("化妆品经营", 2), "涉嫌对商品作虚假宣传", Src.COMPLAINT,
         "举报人称当事人宣传其洗发水“防脱生发”，经核查，当事人已取得特殊化妆品注册证，宣传内容与注册证"
         "载明的功效一致。", "reject_filing", received=15, ending="reject_filing",
         reason="经核查，举报反映的违法事实不存在，依据《市场监督管理行政处罚程序规定》第二十条不予立案。"),
    Spec("scjg", "SJ-CF-009", ("家用电器销售", 1), "涉嫌销售标识不符合规定的产品", Src.INSPECTION,
         "当事人销售的电风扇未标注生产厂厂名和厂址。", "revoke_filing", received=45,
         at={"approve_filing": 40, "revoke_filing": 20}, ending="revoke_filing",
         reason="经调查，涉案电风扇外包装及说明书均标注了厂名厂址，违法事实不能成立，撤销立案。"),
    Spec("scjg", "SJ-CF-004", ("食品销售", 6), "未按规定建立并遵守进货查验记录制度", Src.RANDOM_INSPECTION,
         "当事人3个品种的食品未留存进货票据，检查当日即补齐并建立进货台账，未造成危害后果。",
         "decide_no_penalty", received=35, at={"approve_filing": 32, "end_investigation": 12,
                                               "decide_no_penalty": 5},
         ending="decide_no_penalty",
         reason="当事人初次违法且危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款"
                "不予行政处罚。"),
    Spec("scjg", "SJ-CF-008", ("食品生产", 2), "涉嫌在产品中掺杂掺假", Src.ASSIGNED,
         "当事人在其生产的芝麻油中掺入大豆油后以纯芝麻油销售，经初步核查货值金额达二十余万元。",
         "transfer", received=55, at={"approve_filing": 50, "transfer": 25}, ending="transfer",
         source_note="市食品安全委员会办公室交办",
         reason="货值金额达二十余万元，涉嫌生产、销售伪劣产品罪，依据《行政执法机关移送涉嫌犯罪案件的规定》"
                "移送公安机关。"),
    Spec("scjg", "SJ-CF-004", ("食品销售", 7), "未按规定查验供货者许可证", Src.INSPECTION,
         "当事人销售的散装大米1批次未查验供货者许可证，当场改正。", "close", received=8,
         at={"decide_on_the_spot": 8, "record_execution": 8, "close": 6}, procedure=Procedure.SIMPLE,
         circumstance="minor", penalties=("warning",),
         decision_text="依据《中华人民共和国食品安全法》第一百二十六条，责令改正，给予警告。"),
    Spec("scjg", "SJ-CF-010", Person("陈秀兰", "清江市江北区滨江街道人民路45号"),
         "对商品作虚假宣传", Src.INSPECTION,
         "当事人在夜市摊位上宣称其销售的鞋垫“磁疗治病”，无任何依据，当场认错并撤下宣传牌。",
         "decide_on_the_spot", received=3, at={"decide_on_the_spot": 3}, procedure=Procedure.SIMPLE,
         circumstance="minor", penalties=("warning", "fine"), fine=200,
         decision_text="依据《中华人民共和国消费者权益保护法》第五十六条，给予警告，并处罚款200元。"),
    # --- 清江市江北区文化和旅游局: one officer login -------------------------------------------
    Spec("jbwl", "JB-CF-002", ("歌舞娱乐场所", 0), "涉嫌接纳未成年人", Src.COMPLAINT,
         "举报人称当事人于周六晚间接纳多名未成年人进入包厢消费。", "register", received=1,
         source_note="12318文化市场举报 JB2026-0419"),
    Spec("jbwl", "JB-CF-004", ("演出场所", 0), "未经批准举办营业性演出", Src.INSPECTION,
         "当事人未经文化主管部门批准，在其剧场举办营业性音乐演出2场，售票收入共计18,400元。",
         "request_filing", received=4),
    Spec("jbwl", "JB-CF-003", ("游艺娱乐场所", 0), "在禁止营业时间内营业", Src.INSPECTION,
         "当事人于凌晨2时10分仍在营业，场内有消费者11人。", "record_execution", received=9,
         at={"decide_on_the_spot": 9, "record_execution": 9}, procedure=Procedure.SIMPLE,
         penalties=("warning",), decision_text="依据《娱乐场所管理条例》第四十九条，责令改正，给予警告。"),
    Spec("jbwl", "JB-CF-003", ("歌舞娱乐场所", 1), "在禁止营业时间内营业", Src.RANDOM_INSPECTION,
         "当事人于凌晨2时30分仍在营业，场内有消费者6人。", "decide_on_the_spot", received=2,
         at={"decide_on_the_spot": 2}, procedure=Procedure.SIMPLE, penalties=("warning",),
         decision_text="依据《娱乐场所管理条例》第四十九条，责令改正，给予警告。"),
)

# Steps taken by each role (the demo login of that role in the case's agency acts).
ACTOR = {
    "register": Role.OFFICER, "request_filing": Role.OFFICER, "approve_filing": Role.UNIT_HEAD,
    "reject_filing": Role.UNIT_HEAD, "record_preservation": Role.OFFICER, "resolve_preservation": Role.OFFICER,
    "pause_clock": Role.UNIT_HEAD, "resume_clock": Role.UNIT_HEAD, "end_investigation": Role.OFFICER,
    "revoke_filing": Role.AGENCY_HEAD, "transfer": Role.AGENCY_HEAD, "propose": Role.UNIT_HEAD,
    "submit_legal_review": Role.UNIT_HEAD, "pass_legal_review": Role.REVIEWER, "issue_notice": Role.UNIT_HEAD,
    "resubmit_legal_review": Role.UNIT_HEAD, "repass_legal_review": Role.REVIEWER,
    "request_hearing": Role.OFFICER, "schedule_hearing": Role.UNIT_HEAD, "conclude_hearing": Role.UNIT_HEAD,
    "conclude_notice": Role.OFFICER, "request_collective": Role.UNIT_HEAD,
    "conclude_collective": Role.AGENCY_HEAD, "decide": Role.AGENCY_HEAD, "decide_no_penalty": Role.AGENCY_HEAD,
    "serve": Role.OFFICER, "record_execution": Role.OFFICER, "close": Role.UNIT_HEAD, "archive": Role.UNIT_HEAD,
    "decide_on_the_spot": Role.OFFICER,
}
# Documents issued just before a step (services.issue_document), by the same user.
DOCUMENTS_BEFORE = {
    "request_filing": (D.FILING_APPROVAL,), "end_investigation": (D.INSPECTION_RECORD, D.INQUIRY_RECORD),
    "issue_notice": (D.PRIOR_NOTICE,), "conclude_hearing": (D.HEARING_NOTICE,), "decide": (D.DECISION,),
    "serve": (D.SERVICE_RECEIPT,), "close": (D.CLOSING_APPROVAL,), "decide_on_the_spot": (D.DECISION,),
}
REVIEW_STEPS = ("submit_legal_review", "pass_legal_review", "resubmit_legal_review", "repass_legal_review")
CLOSE_DOCUMENT_STATES = {S.EXECUTION, S.NO_PENALTY, S.TRANSFERRED}
EXECUTION_NOTES = {"fine": "当事人已按期足额缴纳罚款", "warning": "警告已当场宣告，当事人已改正"}


def path(spec: Spec) -> list[str]:
    """The steps of ``spec``'s case from registration to the end of its road (``stop`` cuts it)."""
    if spec.procedure == Procedure.SIMPLE:
        return ["register", "decide_on_the_spot", "record_execution", "close", "archive"]
    steps = ["register", "request_filing"]
    if spec.ending == "reject_filing":
        return [*steps, "reject_filing"]
    steps.append("approve_filing")
    if spec.preserve:
        steps += ["record_preservation", "resolve_preservation"]
    if spec.pause:
        steps += ["pause_clock", "resume_clock"]
    if spec.ending in ("revoke_filing", "transfer"):
        return [*steps, spec.ending]
    steps += ["end_investigation", "propose"]
    if spec.ending == "decide_no_penalty":
        return [*steps, "decide_no_penalty"]
    # The review and collective steps are taken only when the case is major by then (the catalog
    # decides: a large fine, a hearing …); see Seeder._needed.
    steps += ["submit_legal_review", "pass_legal_review", "issue_notice"]
    steps += ["request_hearing", "schedule_hearing", "conclude_hearing"] if spec.hearing else ["conclude_notice"]
    steps += ["resubmit_legal_review", "repass_legal_review", "request_collective", "conclude_collective"]
    return [*steps, "decide", "serve", "record_execution", "close", "archive"]


def title_of(spec: Spec, targets: dict[tuple[str, str], list[TargetPlan]]) -> str:
    return f"{_party_name(spec, targets)}{spec.violation}案"


def _party_name(spec: Spec, targets: dict[tuple[str, str], list[TargetPlan]]) -> str:
    if isinstance(spec.party, Person):
        return spec.party.name
    industry, n = spec.party
    return targets[spec.agency, industry][n].name


def _targets() -> dict[tuple[str, str], list[TargetPlan]]:
    found: dict[tuple[str, str], list[TargetPlan]] = {}
    for plan in plan_targets():
        found.setdefault((plan.agency, plan.industry), []).append(plan)
    return found


# --- seeding ----------------------------------------------------------------------------------


@contextmanager
def deferred_rendering() -> Iterator[None]:
    """Issue the demo's documents with rendering left to the task worker (``bin/run`` starts one
    beside the server): rendering the ~80 documents at once (~0.8 s each, WeasyPrint) would make
    the seed take over a minute. Each document is queued when the seed's transaction commits."""
    before = getattr(settings, "CASES_DOCUMENT_RENDERING", "sync")
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    try:
        yield
    finally:
        settings.CASES_DOCUMENT_RENDERING = before


@dataclass
class Counts:
    created: int = 0
    existing: int = 0


def seed_cases(step: object, agencies: dict[str, Agency], today: dt.date | None = None) -> Counts:
    """Create the demo cases that are missing. ``step`` is the seed's StepResult (its counts are
    updated); ``agencies`` maps the demo agency keys to their rows."""
    from django.utils import timezone

    today = today or timezone.localdate()
    targets = _targets()
    counts = Counts()
    present = set(Case.objects.filter(agency__in=agencies.values()).values_list("agency_id", "title"))
    with deferred_rendering():
        for index, spec in enumerate(SPECS):
            agency = agencies[spec.agency]
            title = title_of(spec, targets)
            if (agency.pk, title) in present:
                counts.existing += 1
                continue
            _Walker(spec, index, agency, title, targets, today).run()
            counts.created += 1
    if hasattr(step, "created"):
        step.created += counts.created  # type: ignore[attr-defined]
        step.existing += counts.existing  # type: ignore[attr-defined]
    return counts


class _Walker:
    """Drives one spec's case through the services, step by step, as the agency's demo logins."""

    def __init__(self, spec: Spec, index: int, agency: Agency, title: str,
                 targets: dict[tuple[str, str], list[TargetPlan]], today: dt.date) -> None:
        self.spec, self.agency, self.title, self.today = spec, agency, title, today
        self.rng = random.Random(f"sanxiang-demo-case:{title}")
        self.targets = targets
        self.users = {role: User.objects.get(username=name) for role, name in LOGINS.get(spec.agency, {}).items()}
        self.item = EnforcementItem.objects.get(agency=agency, code=spec.item)
        self.day = self._workday(self._date(spec.received))
        self.case: Case | None = None
        self.index = index

    def run(self) -> Case:
        steps = path(self.spec)
        if self.spec.stop not in steps:
            raise ValueError(f"{self.title}: step {self.spec.stop} is not on its path {steps}")
        for name in steps[:steps.index(self.spec.stop) + 1]:
            self._take(name)
        assert self.case is not None
        return self.case

    # -- helpers ---------------------------------------------------------------------------

    def _user(self, role: str) -> User:
        try:
            return self.users[role]
        except KeyError:
            labels = dict(Role.choices)
            raise RuntimeError(f"演示机关 {self.agency.name} 没有“{labels[role]}”账户，无法办理 {self.title}") from None

    def _date(self, value: int | str) -> dt.date:
        if isinstance(value, int):
            return self.today - dt.timedelta(days=value)
        raise ValueError(value)

    def _on(self, name: str) -> dt.date:
        """The date of step ``name``: its own (moved off rest days), or the day of the step before;
        never before the step before."""
        value = self.spec.at.get(name)
        if value == DUE_SOON:
            self.day = max(self._due_soon_start(name), self.day)
        elif isinstance(value, int):
            self.day = max(self._workday(self._date(value)), self.day)
        return self.day

    def _workday(self, day: dt.date, limit: dt.date | None = None) -> dt.date:
        """``day``, or the first working day after it (not past ``limit``, default today)."""
        limit, calendar = limit or self.today, current_calendar()
        while not calendar.is_workday(day) and day < limit:
            day += dt.timedelta(days=1)
        return day

    def _due_soon_start(self, name: str) -> dt.date:
        """The latest day on which step ``name`` can have happened for the period it opens to
        end within two working days from today (never in the past)."""
        code = {"issue_notice": "statement", "serve": "payment", "decide": "service"}[name]
        rules, calendar = schedule.rulebook(self.agency.pk), current_calendar()
        rule = rules.rule(code)
        for back in range(0, 60):
            start = self.today - dt.timedelta(days=back)
            due = due_date(start, rules.value(code), rule.working, calendar=calendar)
            if working_days_between(self.today, due, calendar=calendar) <= 2:
                return start
        raise RuntimeError(f"no start day for {code}")

    def _perform(self, name: str, **data: object) -> None:
        accepted = lifecycle.transition(name).fields
        # A statement period that was not waived ends when it runs out: that step takes today
        # unless the case names its day.
        waiting = name == "conclude_notice" and not data.get("waived") and name not in self.spec.at
        if "on" in accepted and not waiting:
            data["on"] = self._on(name)
        unknown = set(data) - set(accepted)
        if unknown:  # a demo bug, not the user's: say which
            raise ValueError(f"{name} does not take {sorted(unknown)}")
        assert self.case is not None
        self._record_if_required(name, data)
        self.case = services.perform(self._user(ACTOR[name]), self.case, name, **data)

    def _record_if_required(self, name: str, data: dict) -> None:
        """Upload the step's recording when the 音像记录事项清单 asks for one (as the field officer would)."""
        from sanxiang.evidence import samples
        from sanxiang.evidence import services as evidence
        from sanxiang.evidence.recording import satisfied

        if satisfied(self.case, name, data):
            return
        recorder = self.case.handlers.select_related("officer").order_by("role", "id").first().officer
        when = dt.datetime.combine(self.day, dt.time(10, 0), tzinfo=dt.UTC)
        description = evidence.Description("audio_visual", f"{self.title}：执法全过程录音", when, "当事人经营场所",
                                           recorder, "执法记录仪 QJ-07")
        evidence.ingest(self._user(ACTOR[name]), self.case, [samples.wav(1.0)], original_name="执法记录仪录音.wav",
                        description=description)

    def _needed(self, name: str) -> bool:
        """Review and collective steps only for a case that is major by then and still needs them."""
        from sanxiang.review.gate import passed

        case = self.case
        if name in REVIEW_STEPS:
            return case.is_major and not passed(case)
        if name in ("request_collective", "conclude_collective"):
            return case.is_major and not case.collective_concluded_on
        return True

    def _take(self, name: str) -> None:
        if not self._needed(name):
            return
        if name in ("decide", "decide_on_the_spot"):  # the decision is written before its document
            self._write_decision(ACTOR[name])
        for kind in DOCUMENTS_BEFORE.get(name, ()):
            assert self.case is not None
            services.issue_document(self._user(ACTOR[name]), self.case, kind)
        special = getattr(self, f"_step_{name}", None)
        if special:
            special()
        else:
            self._perform(name, **self._inputs(name))

    def _inputs(self, name: str) -> dict[str, object]:
        spec = self.spec
        given: dict[str, Callable[[], dict[str, object]]] = {
            "approve_filing": lambda: {"note": "同意立案，由承办人调查取证。"},
            "reject_filing": lambda: {"reason": spec.reason},
            "revoke_filing": lambda: {"reason": spec.reason},
            "transfer": lambda: {"reason": spec.reason},
            "decide_no_penalty": lambda: {"reason": spec.reason},
            "record_preservation": lambda: {"note": "对涉案物品先行登记保存，就地封存于当事人仓库。"},
            "resolve_preservation": lambda: {"note": "涉案物品予以没收。"},
            "pause_clock": lambda: {"kind": PauseKind.TESTING, "reason": spec.pause},
            "conclude_notice": lambda: {"waived": spec.waived},
            "conclude_collective": lambda: {"minutes": "经机关负责人集体讨论，同意承办机构的处理意见。"},
            "schedule_hearing": lambda: {"hearing_date": self._workday(
                self._date(int(spec.at["hearing_date"])), limit=dt.date.max),
                "hearing_place": "本机关听证室", "hearing_host": "法制科 钱主持"},
            "serve": lambda: {"method": spec.service_method,
                              "electronic_consent": spec.service_method == "electronic"},
            "record_execution": lambda: {"note": EXECUTION_NOTES["fine" if spec.fine else "warning"]},
        }
        maker = given.get(name)
        return maker() if maker else {}

    # -- steps that are not one transition -------------------------------------------------

    def _step_submit_legal_review(self) -> None:
        from sanxiang.review import testing as review

        on = self._on("submit_legal_review")
        self.case = review.submit(self._user(Role.UNIT_HEAD), self.case.pk, on=on).case

    def _step_pass_legal_review(self) -> None:
        from sanxiang.review import testing as review

        review.agree_latest(self._user(Role.REVIEWER), self.case.pk, on=self._on("pass_legal_review"))
        self.case.refresh_from_db()

    _step_resubmit_legal_review = _step_submit_legal_review
    _step_repass_legal_review = _step_pass_legal_review

    def _step_register(self) -> None:
        spec = self.spec
        officer = self._user(Role.OFFICER)
        lead = Officer.objects.get(user=officer)
        self.case = services.register_case(
            officer, title=self.title, source=spec.source, source_note=spec.source_note,
            received_on=self.day, item=self.item, procedure=spec.procedure, facts=spec.facts,
            parties=[self._party()], officers=[lead, self._partner(lead)], lead=lead)

    def _partner(self, lead: Officer) -> Officer:
        """A second officer with no demo login whose certificate covers every date of the case."""
        earliest = self.day
        candidates = list(Officer.objects.filter(
            agency=self.agency, user__isnull=True, status=CredentialStatus.VALID, is_legal_reviewer=False,
            issued_on__lte=earliest, expires_on__gt=self.today).order_by("certificate_number"))
        if not candidates:
            raise RuntimeError(f"{self.agency.name} 没有可指派为协办人的执法人员")
        return candidates[self.index % len(candidates)]

    def _party(self) -> dict[str, object]:
        spec = self.spec
        if isinstance(spec.party, Person):
            return {"kind": PartyKind.NATURAL_PERSON, "name": spec.party.name,
                    "id_number": make_id_number(self.rng, region=spec.party.region),
                    "address": spec.party.address, "phone": self._phone()}
        industry, n = spec.party
        plan = self.targets[spec.agency, industry][n]
        kind = PartyKind.LEGAL_PERSON if plan.uscc.startswith("91") else PartyKind.OTHER_ORGANISATION
        return {"kind": kind, "name": plan.name, "uscc": plan.uscc, "address": plan.address,
                "legal_representative": _person_name(self.rng), "phone": self._phone()}

    def _phone(self) -> str:
        # Local parts beginning with 1 are not used by any fixed-line number in China.
        return f"0799-1{self.rng.randrange(10**6, 10**7):07d}"

    def _benchmark(self) -> DiscretionBenchmark | None:
        if not self.spec.circumstance:
            return None
        return DiscretionBenchmark.objects.filter(item=self.item, circumstance=self.spec.circumstance).first()

    def _basis(self) -> list[int]:
        return list(self.item.legal_basis.values_list("pk", flat=True))

    def _sanction(self) -> str:
        labels = dict(PenaltyKind.choices)
        text = "、".join(str(labels[p]) for p in self.spec.penalties)
        if self.spec.fine:
            text += f"（罚款{self.spec.fine:,}元）"
        return text

    def _step_propose(self) -> None:
        spec = self.spec
        if spec.ending == "decide_no_penalty":
            fields: dict[str, object] = {"proposed_type": DecisionType.NO_PENALTY,
                                         "proposal_text": "初次违法且危害后果轻微并及时改正，建议不予行政处罚。"}
        else:
            fields = {"proposed_type": DecisionType.PENALTY, "proposed_penalties": list(spec.penalties),
                      "proposed_fine": Decimal(spec.fine) if spec.fine else None,
                      "proposed_confiscation": Decimal(spec.confiscation) if spec.confiscation else None,
                      "proposed_basis": self._basis(), "benchmark": self._benchmark(),
                      "proposal_text": f"建议给予{self._sanction()}。"}
        if spec.major:
            fields |= {"is_major": True, "major_reason": spec.major}
        assert self.case is not None
        self.case = services.update_case(self._user(ACTOR["propose"]), self.case, fields)

    def _decision_fields(self) -> dict[str, object]:
        spec = self.spec
        return {"decision_type": DecisionType.PENALTY, "decision_penalties": list(spec.penalties),
                "decision_fine": Decimal(spec.fine) if spec.fine else None,
                "decision_confiscation": Decimal(spec.confiscation) if spec.confiscation else None,
                "decision_basis": self._basis(),
                "decision_text": spec.decision_text or f"决定给予{self._sanction()}。"}

    def _write_decision(self, role: str) -> None:
        assert self.case is not None
        self.case = services.update_case(self._user(role), self.case, self._decision_fields())


_GIVEN_NAMES = "建华志强秀英丽娟海燕国平卫东春梅晓明文军玉兰德胜桂芳"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _person_name(rng: random.Random) -> str:
    given = rng.randrange(0, len(_GIVEN_NAMES), 2)
    return rng.choice(_SURNAMES) + _GIVEN_NAMES[given:given + 2]

