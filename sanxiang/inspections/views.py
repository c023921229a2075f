"""Pages of 双随机、一公开 for signed-in users: plans, their draw, tasks and results.

Thin callers of :mod:`sanxiang.inspections.services`; access through sanxiang.accounts.access
(another agency's plan is 404, a visible plan you may not change is 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.access import Action, acting_roles, can, get_for_user, restrict
from sanxiang.accounts.services import ServiceError
from sanxiang.evidence.storage import store_named
from sanxiang.evidence.uploads import CHUNK
from sanxiang.inspections import services
from sanxiang.inspections.choices import PlanStatus, TaskResult
from sanxiang.inspections.forms import PlanForm, RandomnessForm, RecordingForm, ResultForm
from sanxiang.inspections.models import Plan, Task
from sanxiang.pages import paginate
from sanxiang.registry.forms import add_validation_error

PAGE_SIZE = 50


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = restrict(Plan.objects.select_related("agency", "item"), request.user).order_by("-id")
    context = paginate(request, plans, PAGE_SIZE)
    return render(request, "inspections/plan_list.html", {
        **context, "plans": context["page"].object_list, "may_create": can(request.user, Action.ADD, Plan)})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.ADD, Plan):
        raise PermissionDenied("无权制定抽查计划：须由承办机构负责人或机关负责人办理")
    form = PlanForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                request.user, item=data["item"], title=data["title"], strata=form.strata(),
                target_filter=form.target_filter(), inspectors_per_target=data["inspectors_per_target"],
                conflict_days=data["conflict_days"], period_start=data["period_start"],
                period_end=data["period_end"], joint_agencies=list(data["joint_agencies"]))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "抽查计划已保存为草稿")
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form})


def _actions(request: HttpRequest, plan: Plan) -> dict[str, bool]:
    editor = bool(acting_roles(request.user, plan) & services.EDITORS)
    supervisor = services.supervises(request.user, plan)
    committed = plan.status == PlanStatus.COMMITTED
    open_randomness = committed and not plan.has_randomness
    # An editor can only take the checkpoint the 司法局 already cosigned; a supervisor can cosign one.
    ready = open_randomness and (supervisor or (editor and services.first_cosigned_checkpoint(plan) is not None))
    return {"commit": editor and plan.status == PlanStatus.DRAFT, "randomness": ready,
            "beacon": supervisor, "draw": editor and committed and plan.has_randomness}


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(Plan.objects.select_related("agency", "item"), request.user, Action.VIEW, pk=pk)
    tasks = plan.tasks.select_related("target", "case").prefetch_related("inspectors")
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "tasks": tasks, "exclusions": plan.exclusions.select_related("target", "officer"),
        "actions": _actions(request, plan), "randomness_form": RandomnessForm(),
        "joint": plan.joint_agencies.all()})


ACTIONS = {
    "commit": (lambda user, plan, post: services.commit_plan(user, plan), "名单已冻结，承诺值已写入全过程记录"),
    "randomness": (lambda user, plan, post: services.fix_randomness(user, plan, post.get("beacon", "")),
                   "随机数已确定"),
    "draw": (lambda user, plan, post: services.draw_plan(user, plan), "已完成随机抽取，检查任务已生成"),
}


@login_required
@require_POST
def plan_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("没有该操作")
    plan = get_for_user(Plan.objects.all(), request.user, Action.VIEW, pk=pk)
    run, done = ACTIONS[action]
    try:
        run(request.user, plan, request.POST)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("inspections:plan_detail", pk=plan.pk)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The signed-in inspector's own tasks (any agency's plan, for 跨部门联合抽查)."""
    tasks = (Task.objects.filter(inspectors__user=request.user).select_related("plan", "target")
             .prefetch_related("inspectors").order_by("result", "-plan_id", "sequence"))
    context = paginate(request, tasks, PAGE_SIZE)
    return render(request, "inspections/task_list.html", {**context, "tasks": context["page"].object_list})


def _visible_task(request: HttpRequest, pk: int) -> Task:
    task = (services.visible_tasks(request.user).select_related("plan", "plan__agency", "target", "case")
            .filter(pk=pk).first())
    if task is None:
        raise Http404("检查任务不存在或无权查看")
    return task


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk)
    mine = task.inspectors.filter(user=request.user).exists()
    made = services.recording_made(task)
    form = ResultForm(request.POST or None)
    if made:  # the reason is asked only when the A/V record is missing
        del form.fields["recording_missing_reason"]
    if request.method == "POST":
        if not mine:
            raise PermissionDenied("只有该任务的检查人员可以登记检查结果")
        if form.is_valid():
            try:
                services.record_result(request.user, task, result=form.cleaned_data["result"],
                                       note=form.cleaned_data["note"],
                                       legal_representative=form.cleaned_data["legal_representative"],
                                       recording_missing_reason=form.cleaned_data.get("recording_missing_reason", ""))
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "检查结果已登记，并已送公示流程")
                return redirect("inspections:task_detail", pk=task.pk)
    pending = task.result == TaskResult.PENDING
    return render(request, "inspections/task_detail.html", {
        "task": task, "form": form, "may_record": mine and pending, "inspectors": task.inspectors.all(),
        "recordings": task.recordings.select_related("recorder"), "recording_level": services.recording_level(task),
        "recording_made": made,
        "recording_form": RecordingForm() if mine and pending else None})


@login_required
@require_POST
def recording_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """An inspector of the task uploads an audio-visual record of the inspection."""
    task = _visible_task(request, pk)
    form = RecordingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recording = services.add_recording(
                request.user, task, data["file"].chunks(CHUNK), original_name=data["file"].name,
                recorded_at=data["recorded_at"], place=data["place"], device=data["device"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已上传检查音像记录：{recording.original_name}（SHA-256 {recording.sha256[:12]}…）")
            return redirect(reverse("inspections:task_detail", kwargs={"pk": task.pk}) + "#recordings")
    for error in [e for errors in form.errors.values() for e in errors]:
        messages.error(request, error)
    return redirect(reverse("inspections:task_detail", kwargs={"pk": task.pk}) + "#recordings")


@login_required
def recording_file(request: HttpRequest, pk: int, recording_pk: int) -> HttpResponse:
    """A task's recording, to whoever may see the task; each viewing is recorded (调阅)."""
    task = _visible_task(request, pk)
    recording = task.recordings.filter(pk=recording_pk).first()
    if recording is None:
        raise Http404("没有这条音像记录")
    services.record_read(request.user, recording)
    return FileResponse(store_named(recording.storage).open(recording.sha256), content_type=recording.mime,
                        filename=recording.original_name)
