"""The only place that changes 双随机、一公开 plans and tasks. Pages, API, commands and the demo call these.

Each function runs in one transaction: it checks the rules, changes the rows and writes the
ledger entry. The flow of a plan (issue 8):

1. :func:`create_plan` — a draft: item, filter over the target pool, strata, inspectors per target.
2. :func:`commit_plan` — the eligible targets (per stratum, sorted), the inspectors with a valid
   certificate of the 检查 category for the whole period, the 回避 exclusions; frozen as the draw
   inputs; their commitment recorded in the ledger (``files=[commitment]``).
3. :func:`fix_randomness` — the root of the first ledger checkpoint cosigned by the 司法局 after
   the commitment entry (a supervisor may sign and cosign one on the spot, and type a beacon).
4. :func:`draw_plan` — once only: tasks from :func:`sanxiang.inspections.draw.perform_draw`.
5. :func:`record_result` — by one of the task's inspectors; 转立案 registers a case
   (source 随机抽查); the result goes to the publication pipeline.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.access import Action, acting_roles, can, get_for_user, restrict, writable_agency
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, Jurisdiction, User
from sanxiang.accounts.services import ServiceError
from sanxiang.evidence import recording as recording_list
from sanxiang.evidence.choices import RANDOM_INSPECTION, MediaKind
from sanxiang.evidence.models import RecordingRequirement
from sanxiang.evidence.services import StoredFile, store_file
from sanxiang.inspections import draw
from sanxiang.inspections.choices import ExclusionReason, PlanStatus, TaskResult
from sanxiang.inspections.models import AvoidanceEntry, Exclusion, Plan, Task, TaskRecording
from sanxiang.ledger.checkpoints import cosign, sign_checkpoint
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.services import Subject, history, record, record_change
from sanxiang.registry.choices import EnforcementKind, RiskLevel
from sanxiang.registry.models import InspectionTarget, Officer, RandomInspectionItem

logger = logging.getLogger(__name__)
EDITORS = {Role.UNIT_HEAD, Role.AGENCY_HEAD}
# What a task's 检查音像记录 may be: recordings and photos (documents belong to a case file).
RECORDING_KINDS = {MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.PHOTO}
COMMITTED_EVENT = "inspections.plan.committed"
FILTER_KEYS = ("kind", "industry", "region", "risk_level")
INSPECTION_CATEGORY = EnforcementKind.INSPECTION  # the certificate must allow 检查


# --- identifiers used in the published draw -----------------------------------------------------

def target_code(pk: int) -> str:
    """A target's identifier in the draw file: its id, zero-padded so text order is id order."""
    return f"{pk:010d}"


def inspector_code(officer: Officer) -> str:
    """An inspector's identifier in the draw file: the 执法证号 (public in the 人员清单)."""
    return officer.certificate_number


# --- 1. create --------------------------------------------------------------------------------

def normalise_strata(strata: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Strata by risk level as the draw file holds them: ``{key, label, percent|count}``."""
    labels, out = dict(RiskLevel.choices), []
    for stratum in strata:
        key = str(stratum.get("key", ""))
        if key not in labels:
            raise ServiceError(f"抽查层必须是风险等级（{'、'.join(labels)}）之一：{key!r}")
        row: dict[str, Any] = {"key": key, "label": str(labels[key])}
        try:
            if stratum.get("count") not in (None, ""):
                row["count"] = int(stratum["count"])
            elif stratum.get("percent") not in (None, ""):
                row["percent"] = draw.percent_text(str(stratum["percent"]))
            else:
                raise ServiceError(f"抽查层 {labels[key]} 须给出抽查比例或抽查数量")
        except (ValueError, draw.DrawInputError) as error:
            if isinstance(error, ServiceError):
                raise
            raise ServiceError(f"抽查层 {labels[key]} 的抽查比例须为 0–100 的数字，数量须为非负整数") from error
        if row.get("count", 0) < 0:
            raise ServiceError(f"抽查层 {labels[key]} 的抽查数量须为非负整数")
        out.append(row)
    if not out:
        raise ServiceError("至少设置一个抽查层（风险等级及其抽查比例或数量）")
    if len({s["key"] for s in out}) != len(out):
        raise ServiceError("同一风险等级只能设置一个抽查层")
    return out


def _clean_filter(target_filter: Mapping[str, Any]) -> dict[str, list[str]]:
    unknown = set(target_filter) - set(FILTER_KEYS)
    if unknown:
        raise ServiceError(f"不支持的筛选条件：{'、'.join(sorted(unknown))}")
    return {k: sorted({str(v) for v in target_filter[k] if str(v)}) for k in FILTER_KEYS if target_filter.get(k)}


@transaction.atomic
def create_plan(user: User, *, item: RandomInspectionItem | int, title: str, strata: Sequence[Mapping[str, Any]],
                period_start: dt.date, period_end: dt.date, target_filter: Mapping[str, Any] | None = None,
                inspectors_per_target: int = 2, conflict_days: int = 365,
                joint_agencies: Sequence[Agency] = ()) -> Plan:
    """A draft plan of ``user``'s agency (承办机构负责人 or 机关负责人)."""
    if not can(user, Action.ADD, Plan):
        raise PermissionDenied("无权制定抽查计划：须由承办机构负责人或机关负责人办理")
    agency = writable_agency(user)
    item_pk = item.pk if isinstance(item, RandomInspectionItem) else item
    item = RandomInspectionItem.objects.filter(pk=item_pk, agency=agency).first()
    if item is None:
        raise ServiceError("抽查事项必须是本机关随机抽查事项清单中的事项")
    if inspectors_per_target < 2:
        raise ServiceError("每个检查对象的检查人员不得少于 2 人（行政处罚法第四十二条）")
    if period_end < period_start:
        raise ServiceError("检查结束日期不能早于开始日期")
    plan = Plan.objects.create(
        agency=agency, item=item, title=title.strip() or item.name, strata=normalise_strata(strata),
        target_filter=_clean_filter(target_filter or {}), inspectors_per_target=inspectors_per_target,
        conflict_days=conflict_days, period_start=period_start, period_end=period_end, created_by=user)
    plan.joint_agencies.set([a for a in joint_agencies if a.pk != agency.pk])
    record_change(event_type="inspections.plan.created", actor=user, obj=plan, summary=f"制定抽查计划：{plan.title}",
                  role=_role(user), changes={"item": item.name, "strata": plan.strata})
    return plan


def _role(user: User) -> str:
    mine = sorted(user.role_codes & (EDITORS | {Role.SUPERVISOR, Role.OFFICER}))
    return mine[0] if mine else ""


def _plan_for_change(user: User, plan: Plan | int) -> Plan:
    """The plan locked for a change by one of its agency's editors (404 / 403 otherwise)."""
    pk = plan.pk if isinstance(plan, Plan) else plan
    found = get_for_user(Plan.objects.select_for_update(), user, Action.CHANGE, pk=pk)
    if not acting_roles(user, found, writable=True) & EDITORS:
        raise PermissionDenied("无权操作该抽查计划")
    return found


# --- 2. commit ----------------------------------------------------------------------------------

def plan_agencies(plan: Plan) -> list[Agency]:
    return [plan.agency, *plan.joint_agencies.all()]


def eligible_targets(plan: Plan) -> QuerySet[InspectionTarget]:
    """The part of the target pool the plan's filter selects (all strata together)."""
    found = InspectionTarget.objects.filter(agency__in=plan_agencies(plan))
    f = plan.target_filter or {}
    if f.get("kind"):
        found = found.filter(kind__in=f["kind"])
    if f.get("industry"):
        found = found.filter(industry__in=f["industry"])
    if f.get("risk_level"):
        found = found.filter(risk_level__in=f["risk_level"])
    if f.get("region"):
        paths = Jurisdiction.objects.filter(code__in=f["region"]).values_list("path", flat=True)
        found = found.filter(_any_prefix("region__path", paths))
    return found.filter(risk_level__in=[s["key"] for s in plan.strata])


def _any_prefix(field: str, prefixes: Iterable[str]) -> Q:
    query = Q(pk__in=[])
    for prefix in prefixes:
        query |= Q(**{f"{field}__startswith": prefix})
    return query


def eligible_inspectors(plan: Plan) -> list[Officer]:
    """Officers of the plan's agencies whose certificate is valid for the whole period and
    allows 检查 (行政处罚法第四十二条)."""
    found = Officer.objects.enforceable(plan.period_start).filter(
        agency__in=plan_agencies(plan), expires_on__gte=plan.period_end)
    return [o for o in found if INSPECTION_CATEGORY in (o.categories or [])]


def find_exclusions(plan: Plan, targets: Sequence[InspectionTarget],
                    officers: Sequence[Officer]) -> list[Exclusion]:
    """回避 (行政处罚法第四十三条): recent inspection of the same target within ``conflict_days``,
    a declared relationship (利害关系申报), a target on the officer's own 回避名单."""
    target_ids, officer_ids = {t.pk for t in targets}, {o.pk for o in officers}
    found: dict[tuple[int, int, str], str] = {}
    # "Inspected within the period": a result recorded on or after the first day of the period, or
    # a task still open (the officer is assigned to inspect the target now), counted from the
    # inspection itself, not from when its plan was drawn.
    since = timezone.localdate() - dt.timedelta(days=plan.conflict_days)
    recent = (Task.inspectors.through.objects
              .filter(Q(task__recorded_on__gte=since) | Q(task__result=TaskResult.PENDING),
                      task__target_id__in=target_ids, officer_id__in=officer_ids)
              .exclude(task__plan=plan)
              .values_list("task__target_id", "officer_id", "task__plan__title", "task__recorded_on"))
    for target_id, officer_id, title, on in recent:
        found[(target_id, officer_id, ExclusionReason.RECENT_INSPECTION)] = (
            f"{on:%Y-%m-%d}在计划“{title}”中检查过该对象" if on else f"已在计划“{title}”中派检该对象（尚未登记结果）")
    _relationships(targets, officer_ids, found)
    for entry in AvoidanceEntry.objects.filter(officer_id__in=officer_ids, target_id__in=target_ids):
        found[(entry.target_id, entry.officer_id, ExclusionReason.DECLARED_CONFLICT)] = entry.reason[:300]
    return [Exclusion(plan=plan, target_id=t, officer_id=o, reason=r, detail=d)
            for (t, o, r), d in sorted(found.items())]


def _relationships(targets: Sequence[InspectionTarget], officer_ids: set[int],
                   found: dict[tuple[int, int, str], str]) -> None:
    from sanxiang.cases.models import ConflictDeclaration

    by_uscc = {t.uscc: t.pk for t in targets if t.uscc}
    by_name: dict[str, list[int]] = {}
    for t in targets:
        by_name.setdefault(t.name, []).append(t.pk)
    for d in ConflictDeclaration.objects.filter(officer_id__in=officer_ids):
        hits = [by_uscc[d.party_identifier]] if d.party_identifier in by_uscc else by_name.get(d.party_name, [])
        for target_id in hits:
            found[(target_id, d.officer_id, ExclusionReason.RELATIONSHIP)] = f"申报：{d.party_name}（{d.relation}）"


def plan_document(plan: Plan) -> dict[str, Any]:
    """The free-form part of the draw inputs' ``plan``: what the plan is, as published."""
    return {
        "id": plan.pk, "title": plan.title, "agency": plan.agency.name,
        "joint_agencies": [a.name for a in plan.joint_agencies.order_by("pk")],
        "item": {"name": plan.item.name, "basis": plan.item.basis, "content": plan.item.content},
        "filter": plan.target_filter, "period": {"start": plan.period_start.isoformat(),
                                                 "end": plan.period_end.isoformat()},
        "conflict_days": plan.conflict_days, "strata": plan.strata,
        "inspectors_per_target": plan.inspectors_per_target,
    }


@transaction.atomic
def commit_plan(user: User, plan: Plan | int) -> Plan:
    """Freeze the eligible lists and the exclusions, and record their commitment in the ledger."""
    plan = _plan_for_change(user, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError("只有草稿状态的计划可以承诺（冻结名单）")
    targets = list(eligible_targets(plan))
    officers = eligible_inspectors(plan)
    if len(officers) < plan.inspectors_per_target:
        raise ServiceError(f"符合条件的检查人员只有 {len(officers)} 名，少于每个对象所需的 {plan.inspectors_per_target} 名")
    exclusions = find_exclusions(plan, targets, officers)
    codes = {o.pk: inspector_code(o) for o in officers}
    by_stratum = {s["key"]: [target_code(t.pk) for t in targets if t.risk_level == s["key"]] for s in plan.strata}
    try:
        inputs = draw.prepare_inputs(plan_document(plan), by_stratum, codes.values(),
                                     [(target_code(e.target_id), codes[e.officer_id], e.reason) for e in exclusions])
        commitment = draw.commitment_of(inputs)
    except draw.DrawInputError as error:
        raise ServiceError("抽取输入不合规则：" + "；".join(error.problems)) from error
    Exclusion.objects.bulk_create(exclusions)
    updated = Plan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
        status=PlanStatus.COMMITTED, inputs=inputs, commitment=commitment, committed_at=timezone.now())
    if updated != 1:
        raise ServiceError("计划已被他人承诺，请刷新后查看")
    plan.refresh_from_db()
    record(event_type=COMMITTED_EVENT, actor=user, agency=plan.agency, role=_role(user),
           summary=f"冻结抽查名单并记录承诺值：{plan.title}", subject=Subject.of(plan), files=[commitment],
           changes={"commitment": commitment, "targets": len(targets), "inspectors": len(officers),
                    "exclusions": len(inputs["exclusions"])})
    return plan


# --- 3. randomness ------------------------------------------------------------------------------

def commitment_entry(plan: Plan) -> Entry:
    entry = history(plan).filter(event_type=COMMITTED_EVENT).first()
    if entry is None:
        raise ServiceError("全过程记录中找不到该计划的承诺记录")
    return entry


def first_cosigned_checkpoint(plan: Plan) -> Checkpoint | None:
    """The first checkpoint cosigned by the witness whose tree includes the commitment entry: a
    rule fixed in advance, so nobody chooses among checkpoints."""
    entry = commitment_entry(plan)
    return (Checkpoint.objects.filter(log=entry.log, size__gt=entry.index, cosignatures__isnull=False)
            .order_by("size", "id").first())


def supervises(user: User, plan: Plan) -> bool:
    return user.has_role(Role.SUPERVISOR) and restrict(Plan.objects.filter(pk=plan.pk), user).exists()


@transaction.atomic
def fix_randomness(user: User, plan: Plan | int, beacon: str = "") -> Plan:
    """Fix the randomness of a committed plan.

    The randomness is the root of the first checkpoint cosigned by the 司法局 after the commitment
    entry. A supervisor of the plan's jurisdiction may sign and cosign that checkpoint now if none
    exists, and may add a public beacon value; the plan's editors may fix it only once such a
    checkpoint exists, without a beacon.
    """
    pk = plan.pk if isinstance(plan, Plan) else plan
    plan = get_for_user(Plan.objects.select_for_update(), user, Action.VIEW, pk=pk)
    supervisor = supervises(user, plan)
    if not supervisor and not acting_roles(user, plan) & EDITORS:
        raise PermissionDenied("无权确定随机数：须由司法局监督人员或本机关计划负责人办理")
    beacon = beacon.strip()
    if beacon and not supervisor:
        raise PermissionDenied("公共信标值只能由司法局监督人员录入")
    if plan.status != PlanStatus.COMMITTED or plan.has_randomness:
        raise ServiceError("只有已承诺、尚未确定随机数的计划可以确定随机数")
    checkpoint = first_cosigned_checkpoint(plan)
    if checkpoint is None and supervisor:
        checkpoint = sign_checkpoint(commitment_entry(plan).log)
        cosign(checkpoint, user)
    if checkpoint is None:
        raise ServiceError("承诺之后尚无经司法局见证签署的检查点：请司法局见证签署后再确定随机数")
    updated = Plan.objects.filter(pk=plan.pk, status=PlanStatus.COMMITTED, checkpoint_root="").update(
        checkpoint_size=checkpoint.size, checkpoint_root=bytes(checkpoint.root).hex(), beacon=beacon,
        randomness_fixed_by=user, randomness_fixed_at=timezone.now())
    if updated != 1:
        raise ServiceError("随机数已由他人确定，请刷新后查看")
    plan.refresh_from_db()
    record_change(event_type="inspections.plan.randomness", actor=user, obj=plan, role=_role(user),
                  summary=f"确定抽查随机数：检查点 {checkpoint.size} 条记录", agency=plan.agency,
                  changes=plan.randomness())
    return plan


# --- 4. draw ------------------------------------------------------------------------------------

@transaction.atomic
def draw_plan(user: User, plan: Plan | int) -> Plan:
    """Run the draw once; every drawn target becomes a task. A second draw is refused."""
    plan = _plan_for_change(user, plan)
    if plan.status == PlanStatus.DRAWN:
        raise ServiceError("该计划已经抽取，不能重新抽取；如需重抽，须另立新的计划（新计划同样公开）")
    if plan.status != PlanStatus.COMMITTED or not plan.has_randomness:
        raise ServiceError("计划须先承诺并确定随机数，才能抽取")
    result = draw.perform_draw(plan.inputs, plan.randomness())
    updated = Plan.objects.filter(pk=plan.pk, status=PlanStatus.COMMITTED).update(
        status=PlanStatus.DRAWN, seed=result.seed, drawn_at=timezone.now(), result=result.as_json())
    if updated != 1:
        raise ServiceError("该计划已被他人抽取，不能重新抽取")
    _create_tasks(plan, result)
    plan.refresh_from_db()
    record(event_type="inspections.plan.drawn", actor=user, agency=plan.agency, role=_role(user),
           summary=f"随机抽取：{plan.title}，抽中 {plan.tasks.count()} 个检查对象", subject=Subject.of(plan),
           files=[plan.commitment], changes={"seed": result.seed, "tasks": plan.tasks.count(),
                                             "shortfalls": [s.as_json() for s in result.shortfalls]})
    return plan


def _create_tasks(plan: Plan, result: draw.DrawResult) -> None:
    officers = {o.certificate_number: o.pk for o in Officer.objects.filter(certificate_number__in=plan.inputs["inspectors"])}
    assignments = list(result.assignments())
    tasks = Task.objects.bulk_create([Task(plan=plan, target_id=int(code), stratum=key, sequence=n)
                                      for n, (key, code, _) in enumerate(assignments, 1)])
    if any(t.pk is None for t in tasks):  # backends that do not return ids from bulk inserts
        tasks = list(plan.tasks.order_by("sequence"))
    Through = Task.inspectors.through
    Through.objects.bulk_create([Through(task_id=task.pk, officer_id=officers[code])
                                 for task, (_, _, codes) in zip(tasks, assignments, strict=True) for code in codes])


# --- 5. results ---------------------------------------------------------------------------------

def visible_tasks(user: User) -> QuerySet[Task]:
    """Tasks of plans the user may see, and the user's own tasks (a joint plan's inspectors)."""
    mine = Q(inspectors__user=user) if user.is_authenticated else Q(pk__in=[])
    own = Task.objects.filter(mine).values("pk")
    return Task.objects.filter(Q(pk__in=restrict(Task.objects.all(), user).values("pk")) | Q(pk__in=own))


def _inspectors_task(user: User, task: Task | int, doing: str) -> tuple[Task, Officer]:
    """The task (404 unless visible) and the user's officer, who must be one of its inspectors."""
    pk = task.pk if isinstance(task, Task) else task
    task = visible_tasks(user).select_related("plan", "target", "plan__item", "plan__agency").filter(pk=pk).first()
    if task is None:
        raise Http404("检查任务不存在或无权查看")
    officer = getattr(user, "officer", None)
    if officer is None or not task.inspectors.filter(pk=officer.pk).exists():
        raise PermissionDenied(f"只有该任务的检查人员可以{doing}")
    return task, officer


def recording_level(task: Task) -> str:
    """What the lead agency's 音像记录事项清单 asks of a 随机抽查 (default: an A/V record)."""
    return recording_list.requirement(task.plan.agency_id, RANDOM_INSPECTION)


def recording_made(task: Task) -> bool:
    """Whether the task has the audio-visual record its level asks for (none asked: True)."""
    level = recording_level(task)
    return level == RecordingRequirement.Level.NONE or task.recordings.filter(
        media_kind__in=recording_list.kinds_for(level)).exists()


def add_recording(user: User, task: Task | int, chunks: Iterable[bytes], *, original_name: str,
                  recorded_at: dt.datetime, place: str, device: str = "",
                  recorder: Officer | None = None) -> TaskRecording:
    """检查音像记录: an inspector of the task uploads a recording (or photo) of the inspection
    before the result is recorded. Stored like evidence (streamed, hashed, typed by content, in the
    evidence store); the row and the ledger entry naming its hash are written in one transaction,
    and nothing is left when anything fails."""
    task, officer = _inspectors_task(user, task, "上传检查音像记录")
    if task.result != TaskResult.PENDING:
        raise ServiceError("该任务的检查结果已经登记，不能再补充音像记录")
    recorder = recorder or officer
    errors = {}
    if not place.strip():
        errors["place"] = "须填写记录地点"
    if not task.inspectors.filter(pk=recorder.pk).exists():
        errors["recorder"] = "记录人须为本任务的检查人员"
    if errors:
        raise ValidationError(errors)
    stored = store_file(chunks)
    try:
        if stored.filetype.kind not in RECORDING_KINDS:
            raise ValidationError({"file": "检查音像记录须为录音、录像或照片文件"})
        recording = _save_recording(user, task.pk, stored, original_name=original_name, recorded_at=recorded_at,
                                    place=place, device=device, recorder=recorder)
    except BaseException:
        stored.discard_if_new()
        raise
    _seal_recording(stored, recording)
    return recording


@transaction.atomic
def _save_recording(user: User, task_pk: int, stored: StoredFile, *, original_name: str, recorded_at: dt.datetime,
                    place: str, device: str, recorder: Officer) -> TaskRecording:
    task = Task.objects.select_for_update().select_related("plan__agency", "target").get(pk=task_pk)
    if task.result != TaskResult.PENDING:  # recorded meanwhile
        raise ServiceError("该任务的检查结果已经登记，不能再补充音像记录")
    recording = TaskRecording.objects.create(
        task=task, media_kind=stored.filetype.kind, recorded_at=recorded_at, place=place.strip()[:200],
        recorder=recorder, device=device.strip()[:100], original_name=original_name[:255],
        mime=stored.filetype.mime, size=stored.size, sha256=stored.key, sm3=stored.sm3, storage=stored.store.name,
        metadata=stored.metadata, uploaded_by=user)
    record(event_type="inspections.task.recording_added", actor=user, agency=task.plan.agency, role=Role.OFFICER,
           summary=f"上传检查音像记录：{task.target.name}（{recording.get_media_kind_display()}）",
           subject=Subject.of(recording), files=[stored.key],
           changes={"task": task.pk, "sha256": stored.key, "size": stored.size, "mime": stored.filetype.mime})
    return recording


def _seal_recording(stored: StoredFile, recording: TaskRecording) -> None:
    """S3: lock the object as long as 视听资料 evidence is kept (the local store is read-only)."""
    from sanxiang.evidence.choices import RETENTION_YEARS, EvidenceCategory

    years = RETENTION_YEARS[EvidenceCategory.AUDIO_VISUAL]
    try:
        stored.store.seal(recording.sha256, recording.uploaded_at + dt.timedelta(days=366 * years))
    except Exception:  # noqa: BLE001 - any storage error; the recorded upload stands
        logger.exception("检查音像记录 #%s 的对象锁定未能设置", recording.pk)


@transaction.atomic
def record_read(user: User, recording: TaskRecording) -> None:
    """调阅: viewing a task's recording is recorded in the ledger, as for case evidence."""
    record(event_type="inspections.task.recording_viewed", actor=user, agency=recording.task.plan.agency,
           subject=Subject.of(recording, snapshot=False), summary=f"查看检查音像记录：{recording.original_name}")


@transaction.atomic
def record_result(user: User, task: Task | int, *, result: str, note: str = "", legal_representative: str = "",
                  on: dt.date | None = None, recording_missing_reason: str = "") -> Task:
    """Record the result of a task, by one of its inspectors. 转立案 registers a case with the
    random inspection as its source (an organisation's ``legal_representative`` is then required
    for the party); every result goes to the publication pipeline. Where the 音像记录事项清单 asks
    for a record of 随机抽查, the task must have one, or the inspector states why it could not be
    made (``recording_missing_reason``, kept on the task and in the ledger)."""
    task, officer = _inspectors_task(user, task, "登记检查结果")
    if result not in TaskResult.values or result == TaskResult.PENDING:
        raise ServiceError("请选择检查结果")
    if result != TaskResult.NO_PROBLEM and not note.strip():
        raise ServiceError("发现问题、未找到对象或不配合检查时须填写结果说明")
    reason = "" if recording_made(task) else recording_missing_reason.strip()
    if not reason and not recording_made(task):
        raise ServiceError("随机抽查须进行音像记录（音像记录事项清单）：请先上传本次检查的录音或录像，"
                           "或填写未能记录的理由")
    on = on or timezone.localdate()
    updated = Task.objects.filter(pk=task.pk, result=TaskResult.PENDING).update(
        result=result, result_note=note.strip(), recorded_on=on, recorded_by=user, recording_missing_reason=reason)
    if updated != 1:
        raise ServiceError("该任务的检查结果已经登记")
    task.refresh_from_db()
    if result == TaskResult.CASE_OPENED:
        task.case = _open_case(user, task, officer, legal_representative.strip())
    task.publication = publish_result(user, task)
    task.save(update_fields=["case", "publication"])
    changes: dict[str, Any] = {"result": result, "case": task.case_id,
                               "recordings": list(task.recordings.values_list("sha256", flat=True))}
    if reason:
        changes["recording_missing_reason"] = reason
    record_change(event_type="inspections.task.result", actor=user, obj=task, agency=task.plan.agency,
                  role=Role.OFFICER, summary=f"登记检查结果：{task.target.name} {task.get_result_display()}",
                  changes=changes)
    return task


def _open_case(user: User, task: Task, officer: Officer, legal_representative: str):
    from sanxiang.cases.choices import CaseSource, PartyKind
    from sanxiang.cases.services import register_case

    target = task.target
    kind = {"enterprise": PartyKind.LEGAL_PERSON, "natural_person": PartyKind.NATURAL_PERSON}.get(
        target.kind, PartyKind.OTHER_ORGANISATION)
    party: dict[str, Any] = {"kind": kind, "name": target.name, "address": target.address}
    if kind != PartyKind.NATURAL_PERSON:
        if not legal_representative:
            raise ServiceError("转立案须填写当事人的法定代表人或负责人")
        party.update(uscc=target.uscc, legal_representative=legal_representative)
    handlers = list(task.inspectors.filter(agency_id=officer.agency_id))
    item = task.plan.item.item if task.plan.item.item and task.plan.item.item.agency_id == officer.agency_id else None
    return register_case(user, title=f"{target.name}涉嫌违法（随机抽查发现）", source=CaseSource.RANDOM_INSPECTION,
                         source_note=f"随机抽查计划“{task.plan.title}”检查任务 {task.pk}"[:200], item=item,
                         facts=task.result_note, parties=[party], officers=handlers, lead=officer)


def publish_result(user: User | None, task: Task):
    """Hand the result to the publication pipeline (公示 within 20 working days, 国发〔2019〕5号)."""
    from sanxiang.disclosure.services import publish_inspection_result

    target, plan = task.target, task.plan
    people = [{"name": target.name}] if target.kind == "natural_person" else []
    return publish_inspection_result(
        plan.agency, source=f"inspection_task:{task.pk}", decided_on=task.recorded_on or timezone.localdate(),
        party_name=target.name, party_uscc=target.uscc, title=f"{plan.item.name}随机抽查结果",
        content=task.result_note or str(task.get_result_display()), outcome=str(task.get_result_display()),
        basis=plan.item.basis, people=people, actor=user)


# --- 回避名单 -------------------------------------------------------------------------------------

@transaction.atomic
def declare_avoidance(user: User, target: InspectionTarget | int, reason: str) -> AvoidanceEntry:
    """An officer adds a target to their own 回避名单 (行政处罚法第四十三条)."""
    officer = getattr(user, "officer", None)
    if officer is None:
        raise PermissionDenied("只有执法人员本人可以申报回避名单")
    pk = target.pk if isinstance(target, InspectionTarget) else target
    found = get_for_user(InspectionTarget.objects.all(), user, Action.VIEW, pk=pk)
    if not reason.strip():
        raise ServiceError("请填写申报理由")
    entry, _ = AvoidanceEntry.objects.get_or_create(officer=officer, target=found,
                                                    defaults={"reason": reason.strip()[:200]})
    record_change(event_type="inspections.avoidance.declared", actor=user, obj=entry, agency=officer.agency,
                  role=Role.OFFICER, summary=f"申报回避：{found.name}")
    return entry
