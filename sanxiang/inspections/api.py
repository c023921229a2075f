"""双随机抽查 API at /api/v1/inspections/: plans, their commitment, randomness and draw, the draw
file, tasks and results. The same rules as the pages: reads narrowed by the access layer
(another agency's plan is 404), every change a call into :mod:`sanxiang.inspections.services`
(refused for the role → 403, for a rule → 422 with the Chinese reason)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from sanxiang.accounts.access import Action, get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.accounts.models import Agency
from sanxiang.api_support import READ_ERRORS, WRITE_ERRORS, PageParams, page_schema, paginate
from sanxiang.inspections import services
from sanxiang.inspections.models import Plan, Task, TaskRecording
from sanxiang.inspections.publishing import NotDrawn, draw_document

router = Router(tags=["双随机抽查"])


class StratumIn(Schema):
    key: str = Field(..., description="风险等级：high / medium / low")
    percent: str | None = Field(None, description="抽查比例（0–100 的数字字符串）")
    count: int | None = Field(None, ge=0, description="抽查数量（与比例二选一）")


class PlanIn(Schema):
    item_id: int = Field(..., description="本机关随机抽查事项 id")
    title: str = Field(..., max_length=200)
    strata: list[StratumIn]
    period_start: dt.date
    period_end: dt.date
    target_filter: dict[str, list[str]] = Field(default_factory=dict,
                                                description="kind / industry / region / risk_level 的可选值列表")
    inspectors_per_target: int = Field(2, ge=2, description="不少于 2（行政处罚法第四十二条）")
    conflict_days: int = Field(365, ge=0)
    joint_agency_ids: list[int] = Field(default_factory=list, description="跨部门联合抽查的其他执法主体 id")


class PlanOut(Schema):
    id: int
    title: str
    agency_id: int
    item_id: int
    status: str
    strata: list[dict[str, Any]]
    target_filter: dict[str, Any]
    inspectors_per_target: int
    conflict_days: int
    period_start: dt.date
    period_end: dt.date
    commitment: str
    checkpoint_size: int | None
    checkpoint_root: str
    beacon: str
    seed: str
    tasks: int


class RandomnessIn(Schema):
    beacon: str = Field("", max_length=200, description="公共信标值（仅司法局监督人员）")


class RecordingOut(Schema):
    id: int
    media_kind: str = Field(..., description="audio / video / photo")
    original_name: str
    mime: str
    size: int
    sha256: str
    recorded_at: dt.datetime
    place: str
    device: str


class TaskOut(Schema):
    id: int
    plan_id: int
    target_id: int
    target_name: str
    stratum: str
    sequence: int
    inspectors: list[str]
    result: str
    result_note: str
    recorded_on: dt.date | None
    case_id: int | None
    recordings: list[RecordingOut] = Field(..., title="检查音像记录")
    recording_missing_reason: str = Field(..., title="未能音像记录的理由")


class ResultIn(Schema):
    result: str = Field(..., description="no_problem / corrected / case_opened / not_found / refused")
    note: str = ""
    legal_representative: str = Field("", description="转立案时组织的法定代表人或负责人")
    recording_missing_reason: str = Field("", description="音像记录事项清单要求记录而本任务没有录音或录像时必填")


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {**{f: getattr(plan, f) for f in PlanOut.model_fields if f != "tasks"}, "tasks": plan.tasks.count()}


def _task_out(task: Task) -> dict[str, Any]:
    return {"id": task.pk, "plan_id": task.plan_id, "target_id": task.target_id, "target_name": task.target.name,
            "stratum": task.stratum, "sequence": task.sequence, "result": task.result,
            "inspectors": [o.certificate_number for o in task.inspectors.all()], "result_note": task.result_note,
            "recorded_on": task.recorded_on, "case_id": task.case_id,
            "recordings": [_recording_out(r) for r in task.recordings.all()],
            "recording_missing_reason": task.recording_missing_reason}


def _recording_out(recording: TaskRecording) -> dict[str, Any]:
    return {name: getattr(recording, name) for name in RecordingOut.model_fields}


PlanPage = page_schema(PlanOut, "InspectionPlanPage")
TaskPage = page_schema(TaskOut, "InspectionTaskPage")


@router.get("/plans", response={200: PlanPage, **READ_ERRORS}, summary="抽查计划列表", operation_id="inspection_plans")
def list_plans(request: HttpRequest, page: Query[PageParams]) -> dict:
    """可见范围内的抽查计划（本机关；监督人员为本辖区），新的在前。"""
    found = paginate(restrict(Plan.objects.all(), current_user(request)).order_by("-id"), page)
    found["items"] = [_plan_out(p) for p in found["items"]]
    return found


@router.post("/plans", response={201: PlanOut, **WRITE_ERRORS}, summary="制定抽查计划",
             operation_id="inspection_plan_create")
def create_plan(request: HttpRequest, data: PlanIn) -> Status:
    """承办机构负责人或机关负责人制定本机关的抽查计划（草稿）。"""
    joint = list(Agency.objects.filter(pk__in=data.joint_agency_ids))
    plan = services.create_plan(
        current_user(request), item=data.item_id, title=data.title,
        strata=[s.model_dump(exclude_none=True) for s in data.strata], period_start=data.period_start,
        period_end=data.period_end, target_filter=data.target_filter,
        inspectors_per_target=data.inspectors_per_target, conflict_days=data.conflict_days, joint_agencies=joint)
    return Status(201, _plan_out(plan))


@router.get("/plans/{plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="抽查计划",
            operation_id="inspection_plan")
def get_plan(request: HttpRequest, plan_id: int) -> dict:
    return _plan_out(get_for_user(Plan.objects.all(), current_user(request), Action.VIEW, pk=plan_id))


@router.post("/plans/{plan_id}/commit", response={200: PlanOut, **WRITE_ERRORS}, summary="冻结名单并记录承诺值",
             operation_id="inspection_plan_commit")
def commit(request: HttpRequest, plan_id: int) -> dict:
    return _plan_out(services.commit_plan(current_user(request), plan_id))


@router.post("/plans/{plan_id}/randomness", response={200: PlanOut, **WRITE_ERRORS}, summary="确定随机数",
             operation_id="inspection_plan_randomness")
def randomness(request: HttpRequest, plan_id: int, data: RandomnessIn) -> dict:
    """取承诺之后第一个经司法局见证签署的检查点的根哈希；监督人员可当场见证签署并录入公共信标值。"""
    return _plan_out(services.fix_randomness(current_user(request), plan_id, data.beacon))


@router.post("/plans/{plan_id}/draw", response={200: PlanOut, **WRITE_ERRORS}, summary="随机抽取（仅一次）",
             operation_id="inspection_plan_draw")
def draw_once(request: HttpRequest, plan_id: int) -> dict:
    return _plan_out(services.draw_plan(current_user(request), plan_id))


@router.get("/plans/{plan_id}/draw-file", response={200: dict, **READ_ERRORS}, summary="抽取结果文件",
            operation_id="inspection_plan_draw_file")
def draw_file(request: HttpRequest, plan_id: int) -> dict:
    """与 export_draw 相同的抽取结果文件（sanxiang-draw-file/1），可用 verify-draw 离线核对。"""
    plan = get_for_user(Plan.objects.all(), current_user(request), Action.VIEW, pk=plan_id)
    try:
        return draw_document(plan)
    except NotDrawn as error:
        raise Http404(str(error)) from error


@router.get("/tasks", response={200: TaskPage, **READ_ERRORS}, summary="检查任务列表", operation_id="inspection_tasks")
def list_tasks(request: HttpRequest, page: Query[PageParams], mine: bool = False, plan_id: int | None = None) -> dict:
    """可见的检查任务；mine=true 只列派给我的。"""
    user = current_user(request)
    rows = services.visible_tasks(user)
    if mine:
        rows = rows.filter(inspectors__user=user)
    if plan_id:
        rows = rows.filter(plan_id=plan_id)
    found = paginate(rows.select_related("target").order_by("plan_id", "sequence"), page)
    found["items"] = [_task_out(t) for t in found["items"]]
    return found


@router.post("/tasks/{task_id}/result", response={200: TaskOut, **WRITE_ERRORS}, summary="登记检查结果",
             operation_id="inspection_task_result")
def record_result(request: HttpRequest, task_id: int, data: ResultIn) -> dict:
    """由该任务的检查人员登记；“发现问题转立案”登记案件线索；结果送公示流程。"""
    task = services.record_result(current_user(request), task_id, result=data.result, note=data.note,
                                  legal_representative=data.legal_representative,
                                  recording_missing_reason=data.recording_missing_reason)
    return _task_out(task)


@router.post("/tasks/{task_id}/recordings", response={201: RecordingOut, **WRITE_ERRORS}, summary="上传检查音像记录",
             operation_id="inspection_task_recording")
def upload_recording(request: HttpRequest, task_id: int, file: File[UploadedFile], recorded_at: Form[dt.datetime],
                     place: Form[str], device: Form[str] = "") -> Status:
    """multipart/form-data，由该任务的检查人员在登记结果前上传；录音、录像或照片，类型按文件内容识别；
    文件哈希记入全过程记录。"""
    recording = services.add_recording(current_user(request), task_id, file.chunks(1024 * 1024),
                                       original_name=file.name or "recording", recorded_at=recorded_at,
                                       place=place, device=device)
    return Status(201, _recording_out(recording))
