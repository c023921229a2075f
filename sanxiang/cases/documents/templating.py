"""Turning a document's frozen context into files: Word through a .docx template (docxtpl), PDF
through the platform's HTML template (WeasyPrint).

Uploaded Word templates are Jinja run on the server, so they run in Jinja's sandbox: a template
can read the context, not reach Python internals.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import SandboxedEnvironment

from sanxiang.cases.models import DocumentTemplate

DEFAULTS_DIR = Path(__file__).resolve().parent / "templates_docx"
# WeasyPrint logs every layout step at INFO; keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class TemplateInForce:
    """The Word template an agency uses for a kind: its newest upload, else the platform default."""

    kind: str
    path: Path
    sha256: str
    upload: DocumentTemplate | None

    @property
    def is_default(self) -> bool:
        return self.upload is None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def default_path(kind: str) -> Path:
    return DEFAULTS_DIR / f"{kind}.docx"


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "templates"


def in_force(agency_id: int, kind: str) -> TemplateInForce:
    upload = DocumentTemplate.objects.filter(agency_id=agency_id, kind=kind).order_by("-uploaded_at", "-id").first()
    path = uploads_dir() / upload.file_name if upload else default_path(kind)
    digest = upload.sha256 if upload else sha256_of(path.read_bytes())
    return TemplateInForce(kind, path, digest, upload)


def render_docx(template: Path | bytes, context: dict, *, strict: bool = False) -> bytes:
    """The .docx made from ``template`` (a path or the file's bytes) and ``context``.

    ``strict`` makes a field the context lacks an error (used to check uploads); otherwise it
    renders empty, so an issued document never fails on a field an old template still names.
    """
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    doc = DocxTemplate(source)
    env = SandboxedEnvironment(undefined=StrictUndefined if strict else Undefined)
    doc.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_html(context: dict) -> str:
    return render_to_string(f"cases/documents/{context['kind']}.html", context)


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # loads Pango and fonts: only when a PDF is made

    return HTML(string=render_html(context), base_url=str(DEFAULTS_DIR)).write_pdf()
