"""Pages of documents (执法文书): downloads of issued documents, the Word templates an agency
administrator edits, the published signing keys and a public signature check.

Access is decided by :mod:`sanxiang.accounts.access`: a document of another agency is 404, a
supervisor reads the documents of their jurisdiction (and the read is recorded as 调阅).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from sanxiang.accounts.access import Action, can, get_for_user
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import DocumentKind
from sanxiang.cases.documents import signing, storage, templating
from sanxiang.cases.documents.services import MAX_TEMPLATE_BYTES, upload_template
from sanxiang.cases.documents.verify import signer_of
from sanxiang.cases.models import Document, DocumentTemplate
from sanxiang.ledger.reads import record_supervisory_read

KIND_LABELS = dict(DocumentKind.choices)
PDF_TYPE = "application/pdf"


# ---- issued documents ------------------------------------------------------------------------

def _document(request: HttpRequest, pk: int) -> Document:
    document = get_for_user(Document.objects.select_related("case__agency"), request.user, pk=pk)
    if not document.rendered:
        raise Http404("文书文件尚在生成中，请稍后再试")
    record_supervisory_read(request.user, document.case)
    return document


def _download_name(document: Document, extension: str) -> str:
    title = document.context.get("title") or document.get_kind_display()
    return f"{title}{document.number or document.case.case_number}.{extension}"


def _file_response(document: Document, name: str, digest: str, extension: str, content_type: str) -> HttpResponse:
    data = storage.data_path(name).read_bytes()
    if templating.sha256_of(data) != digest:
        return HttpResponse("文件与全过程记录中的哈希值不符，可能已被改动，请联系系统管理员。", status=409,
                            content_type="text/plain; charset=utf-8")
    return FileResponse(iter([data]), as_attachment=True, filename=_download_name(document, extension),
                        content_type=content_type)


@login_required
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    return _file_response(document, document.docx_file, document.docx_sha256, "docx", templating.DOCX_TYPE)


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    return _file_response(document, document.pdf_file, document.pdf_sha256, "pdf", PDF_TYPE)


@login_required
def document_signature(request: HttpRequest, pk: int) -> HttpResponse:
    """The detached signature of the PDF (Base64 text), to check with the published key."""
    document = _document(request, pk)
    response = HttpResponse(document.signature + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _download_name(document, "pdf.sig"))
    response["X-Signature-Key"] = document.key_name
    return response


# ---- Word templates (the agency's administrator) ---------------------------------------------

def _require_admin(request: HttpRequest) -> None:
    if not can(request.user, Action.ADD, DocumentTemplate):
        raise PermissionDenied("只有本机关的系统管理员可以管理文书模板")


def _kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        raise Http404("没有该文书种类")
    return kind


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    rows = [(kind, label, templating.in_force(request.user.agency_id, kind)) for kind, label in KIND_LABELS.items()]
    history = DocumentTemplate.objects.filter(agency_id=request.user.agency_id).select_related("uploaded_by")[:50]
    return render(request, "cases/documents_pages/templates.html", {"rows": rows, "history": history})


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="Word 模板（.docx）",
                           help_text="在下载的模板上修改，保留 {{ … }} 和 {% … %} 标记；最大 5 MB。")


@login_required
@require_http_methods(["GET", "POST"])
def template_upload(request: HttpRequest, kind: str) -> HttpResponse:
    _require_admin(request)
    kind = _kind(kind)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(MAX_TEMPLATE_BYTES + 1)
            upload_template(request.user, kind, data, upload.name or "")
        except ServiceError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"已上传《{KIND_LABELS[kind]}》模板，此后制作的文书使用新模板。")
            return redirect("case_documents:templates")
    context = {"form": form, "kind": kind, "label": KIND_LABELS[kind]}
    return render(request, "cases/documents_pages/template_upload.html", context)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _require_admin(request)
    template = templating.in_force(request.user.agency_id, _kind(kind))
    name = f"{KIND_LABELS[kind]}模板{'（平台默认）' if template.is_default else ''}.docx"
    return FileResponse(template.path.open("rb"), as_attachment=True, filename=name,
                        content_type=templating.DOCX_TYPE)


# ---- public: keys and verification -----------------------------------------------------------

def keys_text(request: HttpRequest) -> HttpResponse:
    """The agencies' document keys, one per line, usable offline by ``verify.py``."""
    lines = [
        "# 三项制度执法平台 执法文书签名公钥（Ed25519）",
        "# 每行：密钥名称 公钥（32字节原始公钥的Base64） 执法主体名称",
        "# 签名是对 PDF 文件全部字节的分离签名（64字节，Base64）。",
        "# 离线验证：python -m sanxiang.cases.documents.verify 文书.pdf 文书.pdf.sig keys.txt",
    ]
    lines += [f"{k.name} {k.public_key} {k.agency}" for k in signing.published_keys()]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="PDF 文书")
    signature = forms.CharField(label="签名（Base64）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="可粘贴签名文件（.sig）的内容；不填则只按文件哈希查找平台的签发记录。")


def _check(data: bytes, signature: str) -> dict:
    digest = templating.sha256_of(data)
    issued = Document.objects.filter(pdf_sha256=digest).select_related("case__agency").first()
    signature = signature.strip() or (issued.signature if issued else "")
    key = signer_of(data, signature, signing.published_keys()) if signature else None
    return {"sha256": digest, "issued": issued, "key": key, "signed": bool(signature)}


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = _check(form.cleaned_data["pdf"].read(), form.cleaned_data["signature"])
    return render(request, "cases/documents_pages/verify.html", {"form": form, "result": result})
