"""Evidence pages: upload to a case, and view or download a file — in the browser with seeking
(HTTP range requests). Every view and download is recorded in the ledger (调阅记录)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sanxiang.accounts.access import Action, get_for_user
from sanxiang.accounts.services import ServiceError
from sanxiang.evidence import services, thumbnails
from sanxiang.evidence.forms import EvidenceForm
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import default_store
from sanxiang.registry.forms import add_validation_error

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 1024 * 1024


@login_required
def upload(request: HttpRequest, case_pk: int) -> HttpResponse:
    try:
        case = services.check_may_upload(request.user, case_pk)
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("cases:detail", kwargs={"pk": case_pk}) + "#evidence")
    form = EvidenceForm(request.POST or None, request.FILES or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        description = services.Description(data["category"], data["proves"], data["recorded_at"], data["place"],
                                           data["recorder"], data["device"])
        try:
            evidence = services.ingest(request.user, case, data["file"].chunks(CHUNK),
                                       original_name=data["file"].name, description=description)
        except ValidationError as exc:
            add_validation_error(form, exc)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已上传证据：{evidence.original_name}（SHA-256 {evidence.sha256[:12]}…）")
            return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#evidence")
    return render(request, "evidence/upload.html", {"case": case, "form": form})


@login_required
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file inline, honouring a Range header so players can seek. A read is recorded when it
    starts at the beginning (a player's further range requests are the same viewing)."""
    evidence = get_for_user(Evidence.objects.select_related("case__agency"), request.user, Action.VIEW, pk=pk)
    wanted = _RANGE.match(request.headers.get("Range", ""))
    if not wanted or wanted.group(1) == "0":
        services.record_read(request.user, evidence)
    if wanted:
        return _partial(evidence, wanted)
    response = FileResponse(default_store().open(evidence.sha256), content_type=evidence.mime)
    response["Accept-Ranges"] = "bytes"
    return response


def _partial(evidence: Evidence, wanted: re.Match[str]) -> HttpResponse:
    size = evidence.size
    first, last = wanted.group(1), wanted.group(2)
    if first == "":  # the last N bytes
        start, end = max(size - int(last or 0), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle = default_store().open(evidence.sha256)
    handle.seek(start)

    def body():
        remaining = end - start + 1
        with handle:
            while remaining > 0:
                chunk = handle.read(min(CHUNK, remaining))
                if not chunk:
                    return
                remaining -= len(chunk)
                yield chunk

    response = StreamingHttpResponse(body(), status=206, content_type=evidence.mime)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


@login_required
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """A small JPEG of a photo, for the case page. Same access as the file, but not recorded as a
    read (调阅): it is a reduced preview without the original's bytes, hash or EXIF, shown to
    everyone who opens the case page — recording it would list every visit of that page, the
    supervisor's own visits to read the 调阅记录 included, and bury the real views. Opening the
    photo itself (the file view) and downloading it are recorded."""
    evidence = get_for_user(Evidence.objects.select_related("case__agency"), request.user, Action.VIEW, pk=pk)
    try:
        path = thumbnails.thumbnail(evidence)
    except thumbnails.NoThumbnail as exc:
        raise Http404(str(exc)) from None
    response = FileResponse(path.open("rb"), content_type=thumbnails.CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_for_user(Evidence.objects.select_related("case__agency"), request.user, Action.VIEW, pk=pk)
    services.record_read(request.user, evidence, downloaded=True)
    return FileResponse(default_store().open(evidence.sha256), content_type=evidence.mime, as_attachment=True,
                        filename=evidence.original_name)


@login_required
def dossier(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The electronic case file of a case as a ZIP download (recorded as a download in the ledger)."""
    import tempfile
    from pathlib import Path

    from sanxiang.cases.models import Case
    from sanxiang.evidence.dossier import export_dossier

    case = get_for_user(Case.objects.select_related("agency"), request.user, Action.VIEW, pk=case_pk)
    folder = Path(tempfile.mkdtemp(prefix="dossier-"))
    path = export_dossier(case, folder / "dossier.zip", user=request.user)
    handle = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    folder.rmdir()
    name = f"电子案卷-{case.case_number or case.pk}.zip"
    return FileResponse(handle, content_type="application/zip", as_attachment=True, filename=name)


@login_required
def waive(request: HttpRequest, case_pk: int) -> HttpResponse:
    """POST: the unit head records why the current step's recording could not be made."""

    from sanxiang.evidence.recording import waive as record_waiver

    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        record_waiver(request.user, case_pk, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已登记音像记录缺失说明，监督人员可见")
    return redirect(reverse("cases:detail", kwargs={"pk": case_pk}) + "#evidence")


@login_required
def recording_list(request: HttpRequest) -> HttpResponse:
    """The agency's 音像记录事项清单: every member reads it, the agency admin changes it."""
    from sanxiang.accounts.access import can, writable_agency
    from sanxiang.evidence import recording
    from sanxiang.evidence.models import RecordingRequirement

    agency = writable_agency(request.user)
    may_change = can(request.user, Action.CHANGE, RecordingRequirement)
    if request.method == "POST":
        try:
            recording.set_level(request.user, request.POST.get("step", ""), request.POST.get("level", ""),
                                request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已修改音像记录事项清单")
        return redirect("evidence:recording_list")
    rows = [(step, dict(RecordingRequirement._meta.get_field("step").choices)[step], level, note, default)
            for step, level, note, default in recording.agency_list(agency.pk)]
    return render(request, "evidence/recording_list.html", {
        "agency": agency, "rows": rows, "may_change": may_change, "levels": RecordingRequirement.Level.choices,
        "source": recording.SOURCE})
