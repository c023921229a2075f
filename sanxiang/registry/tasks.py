"""Background Excel jobs run by the django-tasks database worker (``manage.py db_worker``).

Each task takes the primary key of an :class:`ImportJob` and reloads it. A job leaves QUEUED
exactly once (a conditional UPDATE), so a task delivered twice, or a job someone else already
started, is left alone. Progress goes to the job row every batch; the job page polls it.
"""

import logging
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from sanxiang.accounts.access import Action, restrict
from sanxiang.registry.choices import JobStatus
from sanxiang.registry.excel import export_rows, import_file
from sanxiang.registry.excel.errors import RowError
from sanxiang.registry.filters import filter_queryset
from sanxiang.registry.models import ImportJob
from sanxiang.registry.registries import REGISTRIES

logger = logging.getLogger(__name__)
INTERNAL_ERROR = "处理过程中发生系统错误，未导入任何数据，请联系系统管理员"


def job_path(file_name: str) -> Path:
    """Where a job's file lives (the folder is created if missing); ``file_name`` is always one
    we generated, never a name from the user."""
    settings.JOB_FILES_DIR.mkdir(parents=True, exist_ok=True)
    return settings.JOB_FILES_DIR / file_name


def new_file_name() -> str:
    return f"{uuid.uuid4().hex}.xlsx"


def _claim(job_pk: int) -> ImportJob | None:
    """Move the job from QUEUED to RUNNING; None if it was not QUEUED (already handled)."""
    claimed = ImportJob.objects.filter(pk=job_pk, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    return ImportJob.objects.select_related("agency", "user").get(pk=job_pk) if claimed == 1 else None


def _progress_writer(job: ImportJob) -> Callable[[str, int, int], None]:
    """A progress callback saving processed/total rows on the job row.

    An import reads the file twice (validate, then write), so its bar counts 2 × rows: the
    first half is validation, the second half writing. An export counts rows once.
    """
    def write(stage: str, done: int, total: int) -> None:
        if job.direction == "import":
            offset = total if stage == "write" else 0
            done, total = offset + done, 2 * total
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)
    return write


def _general_error(reason: str) -> RowError:
    return {"sheet": "", "row": None, "column": "", "reason": reason}


def _finish(job: ImportJob, status: str, errors: list[RowError] | None = None, **fields: object) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=status, errors=errors or [], finished_at=timezone.now(),
                                               **fields)


@task()
def run_import_job(job_pk: int) -> str:
    """Import the job's file into the job's agency as the job's user."""
    job = _claim(job_pk)
    if job is None:
        return "skipped"
    try:
        outcome = import_file(job.registry, job_path(job.file_name), job.agency, job.user,
                              progress=_progress_writer(job))
    except PermissionDenied as exc:  # the user lost the admin role since uploading
        _finish(job, JobStatus.FAILED, [_general_error(str(exc))])
        return "denied"
    except Exception:  # the job row must say it failed, whatever happened
        logger.exception("import job %s failed", job_pk)
        _finish(job, JobStatus.FAILED, [_general_error(INTERNAL_ERROR)])
        raise
    if not outcome.ok:
        _finish(job, JobStatus.FAILED, outcome.errors)
        return "failed"
    _finish(job, JobStatus.SUCCEEDED, processed_rows=F("total_rows"))
    return "succeeded"


@task()
def run_export_job(job_pk: int, params: Mapping[str, str]) -> str:
    """Export what the job's user sees of the registry, narrowed by the list page's ``params``."""
    job = _claim(job_pk)
    if job is None:
        return "skipped"
    entry = REGISTRIES[job.registry]
    rows = filter_queryset(entry, restrict(entry.model.objects.all(), job.user, Action.VIEW), params)
    try:
        export_rows(job.registry, rows, job_path(job.file_name), progress=_progress_writer(job))
    except Exception:
        logger.exception("export job %s failed", job_pk)
        _finish(job, JobStatus.FAILED, [_general_error("导出时发生系统错误，请稍后重试")])
        raise
    _finish(job, JobStatus.SUCCEEDED)
    return "succeeded"
