"""Rendering an issued document: the .docx and the PDF, their hashes, the agency's signature of the
PDF, and one ledger entry naming both hashes — all in one transaction, once per document."""

from __future__ import annotations

from django.db import transaction

from sanxiang.cases.documents import signing, storage, templating
from sanxiang.cases.models import Document
from sanxiang.ledger.services import Subject, record


def render(document: Document | int) -> Document:
    """Make and record the files of ``document``; a document already rendered is left as it is.

    The files are made before the row is locked (rendering takes a few tenths of a second; no
    lock is held meanwhile), then stored and recorded under the lock unless another worker got
    there first.
    """
    pk = document.pk if isinstance(document, Document) else document
    current = Document.objects.select_related("case__agency").get(pk=pk)
    if current.rendered:
        return current
    template = templating.in_force(current.case.agency_id, current.kind)
    docx = templating.render_docx(template.path, current.context)
    pdf = templating.render_pdf(current.context)
    with transaction.atomic():
        locked = Document.objects.select_for_update().select_related("case__agency").get(pk=pk)
        if locked.rendered:
            return locked
        _store(locked, docx, pdf, template.sha256)
    if isinstance(document, Document):
        document.refresh_from_db()
    return locked


def _store(document: Document, docx: bytes, pdf: bytes, template_sha256: str) -> None:
    case = document.case
    agency = case.agency
    docx_sha, pdf_sha = templating.sha256_of(docx), templating.sha256_of(pdf)
    document.docx_file = storage.document_file_name(agency.uscc, docx_sha, "docx")
    document.pdf_file = storage.document_file_name(agency.uscc, pdf_sha, "pdf")
    storage.write_once(document.docx_file, docx)
    storage.write_once(document.pdf_file, pdf)
    document.docx_sha256, document.pdf_sha256 = docx_sha, pdf_sha
    document.signature, document.key_name = signing.sign(agency, pdf)
    document.template_sha256 = template_sha256
    document.save(update_fields=["docx_file", "pdf_file", "docx_sha256", "pdf_sha256", "signature", "key_name",
                                 "template_sha256"])
    title = document.context.get("title") or document.get_kind_display()
    record(event_type="case.document_rendered", actor=None, agency=agency, subject=Subject.of(case),
           summary=f"生成《{title}》{document.number or case.case_number}的 Word 和 PDF 文件，并以本机关密钥签名",
           files=[docx_sha, pdf_sha],
           changes={"document": document.pk, "kind": document.kind, "number": document.number,
                    "docx_sha256": docx_sha, "pdf_sha256": pdf_sha, "template_sha256": template_sha256,
                    "key_name": document.key_name, "signature": document.signature})


def enqueue_render(pk: int) -> None:
    """Ask the task worker to render document ``pk`` (used when rendering is deferred)."""
    from sanxiang.cases.tasks import render_document

    render_document.enqueue(pk)
