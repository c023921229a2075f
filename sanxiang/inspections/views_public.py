"""Public portal pages of the draws (/gongshi/draws/): every drawn plan with all its inputs, the
draw file to download, a verification that recomputes the draw from that file alone (the same
pure function as ``python -m sanxiang.inspections verify-draw``), and the published results.

Only what the draw file publishes is shown, plus the names of drawn organisations (public in the
target pool); a natural person's name is never shown."""

from __future__ import annotations

import io

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.disclosure.choices import PublicationStatus
from sanxiang.inspections import draw
from sanxiang.inspections.choices import PlanStatus
from sanxiang.inspections.models import Plan, Task
from sanxiang.inspections.publishing import draw_document

PUBLIC_LIMIT = 200


def _drawn(pk: int) -> Plan:
    plan = Plan.objects.select_related("agency", "item").filter(pk=pk, status=PlanStatus.DRAWN).first()
    if plan is None:
        raise Http404("没有该抽取结果")
    return plan


def public_name(task: Task) -> str:
    return "自然人（依法不公开姓名）" if task.target.kind == "natural_person" else task.target.name


def draw_list(request: HttpRequest) -> HttpResponse:
    plans = (Plan.objects.filter(status=PlanStatus.DRAWN).select_related("agency", "item")
             .order_by("-drawn_at", "-id")[:PUBLIC_LIMIT])
    return render(request, "inspections/public/draw_list.html", {"plans": plans})


def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _drawn(pk)
    document = draw_document(plan)
    check = draw.check_draw_document(document)  # recomputed from the published file only
    tasks = {f"{t.target_id:010d}": t for t in plan.tasks.select_related("target")}
    # Rows in draw order with the inspectors in the order they were chosen, as the file has them.
    rows = [{"task": tasks[code], "name": public_name(tasks[code]), "code": code, "inspectors": inspectors}
            for stratum in document["result"]["strata"]
            for code, inspectors in zip(stratum["targets"], stratum["inspectors"], strict=True) if code in tasks]
    strata = [{**s, "population": len(document["inputs"]["targets"].get(s["key"], []))}
              for s in document["inputs"]["plan"]["strata"]]
    return render(request, "inspections/public/draw_detail.html", {
        "plan": plan, "document": document, "check": check, "rows": rows, "strata": strata,
        "inspector_count": len(document["inputs"]["inspectors"]),
        "exclusion_count": len(document["inputs"]["exclusions"])})


def draw_file(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _drawn(pk)
    stream = io.StringIO()
    draw.dump_draw_document(draw_document(plan), stream)
    response = HttpResponse(stream.getvalue(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{plan.pk}.json"'
    return response


def result_list(request: HttpRequest) -> HttpResponse:
    tasks = (Task.objects.filter(publication__status=PublicationStatus.PUBLISHED)
             .select_related("plan", "plan__agency", "target").order_by("-recorded_on", "-id")[:PUBLIC_LIMIT])
    return render(request, "inspections/public/result_list.html", {
        "rows": [{"task": t, "name": public_name(t)} for t in tasks]})
