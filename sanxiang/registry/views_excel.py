"""Pages of Excel import and export: template download, upload, export request, job pages.

The work itself never runs in a request: uploads and export requests become an
:class:`ImportJob` and a task for the worker; the job page shows its progress and outcome.
"""

import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxiang.accounts.access import Action, can, get_for_user, restrict, writable_agency
from sanxiang.registry.choices import JobStatus
from sanxiang.registry.excel import write_error_report, write_template
from sanxiang.registry.models import ImportJob
from sanxiang.registry.registries import REGISTRIES, RegistryEntry
from sanxiang.registry.tasks import job_path, new_file_name, run_export_job, run_import_job

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


def _entry(key: str) -> RegistryEntry:
    try:
        return REGISTRIES[key]
    except KeyError:
        raise Http404("没有该基础库") from None


class UploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件", help_text="用本系统模板填写的 .xlsx 文件。")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件过大：最大 {limit // (1024 * 1024)} MB")
        head = upload.read(4)
        upload.seek(0)
        if head == OLE_MAGIC:
            raise forms.ValidationError("这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再上传")
        if head != ZIP_MAGIC or not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("只接受 .xlsx 格式的 Excel 文件")
        return upload


@login_required
def template_download(request: HttpRequest, key: str) -> FileResponse:
    entry = _entry(key)
    if not can(request.user, Action.VIEW, entry.model):
        raise PermissionDenied("无权查看该基础库")
    buffer = io.BytesIO()
    write_template(key, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{entry.title}导入模板.xlsx",
                        content_type=XLSX_TYPE)


@login_required
def import_upload(request: HttpRequest, key: str) -> HttpResponse:
    """GET: the upload form. POST: store the file, queue the import, go to the job page."""
    entry = _entry(key)
    if not can(request.user, Action.IMPORT, entry.model):
        raise PermissionDenied("只有本机关的系统管理员可以导入基础数据")
    if _declared_too_large(request):
        form = UploadForm()
        form.add_error(None, f"文件过大：最大 {settings.IMPORT_MAX_UPLOAD_BYTES // 2**20} MB")
    else:
        form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_bound and form.is_valid():
        job = _queue_import(request, entry, form.cleaned_data["file"])
        return redirect("registry:excel_job_detail", pk=job.pk)
    context = {"entry": entry, "form": form, "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES // 2**20}
    return render(request, "registry/import_upload.html", context)


def _declared_too_large(request: HttpRequest) -> bool:
    """Refuse an oversized upload from its Content-Length, before Django spools it to disk."""
    if request.method != "POST":
        return False
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    # The multipart envelope adds a little to the file itself.
    return declared > settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024


def _queue_import(request: HttpRequest, entry: RegistryEntry, upload: UploadedFile) -> ImportJob:
    file_name = new_file_name()
    with job_path(file_name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = ImportJob.objects.create(registry=entry.key, direction="import", user=request.user,
                                   agency=writable_agency(request.user), file_name=file_name,
                                   original_name=(upload.name or "")[:255])
    run_import_job.enqueue(job.pk)
    return job


@login_required
@require_POST
def export_start(request: HttpRequest, key: str) -> HttpResponse:
    """Queue an export of what the list page shows with the same query string filters."""
    entry = _entry(key)
    if not can(request.user, Action.EXPORT, entry.model):
        raise PermissionDenied("无权导出该基础库")
    allowed = {"q", *entry.filters}
    params = {name: value for name, value in request.GET.items() if name in allowed and value}
    job = ImportJob.objects.create(registry=entry.key, direction="export", user=request.user,
                                   agency=writable_agency(request.user), file_name=new_file_name(),
                                   original_name=f"{entry.title}导出.xlsx")
    run_export_job.enqueue(job.pk, params)
    return redirect("registry:excel_job_detail", pk=job.pk)


def _visible_jobs(request: HttpRequest) -> QuerySet[ImportJob]:
    return restrict(ImportJob.objects.select_related("agency", "user"), request.user, Action.VIEW)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(_visible_jobs(request)[:200])
    titles = _titles()
    rows = [(job, titles.get(job.registry, job.registry)) for job in jobs]
    return render(request, "registry/job_list.html", {"jobs": jobs, "rows": rows})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_for_user(_visible_jobs(request), request.user, pk=pk)
    context = {"job": job, "title": _titles().get(job.registry, job.registry), "progress": progress_text(job),
               "finished": job.status in {JobStatus.SUCCEEDED, JobStatus.FAILED},
               "may_download": _may_download(request, job)}
    return render(request, "registry/job_detail.html", context)


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's progress for polling."""
    job = get_for_user(_visible_jobs(request), request.user, pk=pk)
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(),
                         "percent": job.percent, "processed_rows": job.processed_rows,
                         "total_rows": job.total_rows, "progress": progress_text(job),
                         "error_count": len(job.errors)})


@login_required
def job_errors(request: HttpRequest, pk: int) -> FileResponse:
    job = get_for_user(_visible_jobs(request), request.user, pk=pk)
    if not job.errors:
        raise Http404("该任务没有错误报告")
    buffer = io.BytesIO()
    write_error_report(job.errors, buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"导入错误报告-{job.pk}.xlsx",
                        content_type=XLSX_TYPE)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The exported file. Only its requester may download it: it holds what *they* may see."""
    job = get_for_user(_visible_jobs(request), request.user, pk=pk)
    if not _may_download(request, job):
        raise PermissionDenied("只有发起导出的用户可以下载该文件")
    if job.status != JobStatus.SUCCEEDED:
        raise Http404("导出尚未完成")
    path = job_path(job.file_name)
    if not path.exists():
        raise Http404("导出文件已不存在，请重新导出")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.original_name or path.name,
                        content_type=XLSX_TYPE)


def _may_download(request: HttpRequest, job: ImportJob) -> bool:
    return job.direction == "export" and job.user_id == request.user.pk


def _titles() -> dict[str, str]:
    return {key: entry.title for key, entry in REGISTRIES.items()}


def progress_text(job: ImportJob) -> str:
    """Human-readable progress: an import's bar counts validation then writing (2 × rows)."""
    if job.direction == "export":
        return f"已导出 {job.processed_rows} / {job.total_rows} 行"
    rows = job.total_rows // 2
    if job.status == JobStatus.SUCCEEDED:
        return f"已导入 {rows} 行"
    if job.status == JobStatus.FAILED:
        return f"校验 {min(job.processed_rows, rows)} 行，发现错误，未导入任何数据"
    if job.processed_rows <= rows:
        return f"校验中：{job.processed_rows} / {rows} 行"
    return f"写入中：{job.processed_rows - rows} / {rows} 行"
