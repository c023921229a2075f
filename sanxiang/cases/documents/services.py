"""Word templates an administrator uploads for their agency: checked, stored, recorded.

An upload must be a .docx that docxtpl can render with a complete example context; a broken
one is refused with a Chinese message saying what is wrong, and nothing is stored.
"""

from __future__ import annotations

import zipfile

import jinja2
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanxiang.accounts.access import Action, can
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import DocumentKind
from sanxiang.cases.documents import storage, templating
from sanxiang.cases.documents.demo import demo_context
from sanxiang.cases.models import DocumentTemplate
from sanxiang.ledger.services import Subject, record

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc format
KIND_LABELS = dict(DocumentKind.choices)


def check_template(kind: str, data: bytes) -> None:
    """Raise ServiceError (Chinese) unless ``data`` is a .docx docxtpl renders for ``kind``."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ServiceError(f"文件过大：模板最大 {MAX_TEMPLATE_BYTES // 2**20} MB")
    if data[:4] == OLE_MAGIC:
        raise ServiceError("这是旧版 .doc 文件，请在 Word 中另存为 .docx 后再上传")
    if data[:4] != ZIP_MAGIC:
        raise ServiceError("不是有效的 Word 文件：只接受 .docx 格式")
    try:
        templating.render_docx(data, demo_context(kind), strict=True)
    except jinja2.TemplateSyntaxError as error:
        raise ServiceError(f"模板语法错误（{error.message}），请检查 {{{{ }}}} 和 {{% %}} 标记是否成对、完整") from None
    except jinja2.UndefinedError as error:
        raise ServiceError(f"模板引用了不存在的字段：{error.message}。请使用下载的默认模板中的字段名") from None
    except jinja2.exceptions.SecurityError:
        raise ServiceError("模板包含不允许的操作，只能读取文书数据") from None
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ServiceError("不是有效的 Word 文件：文件已损坏或不是 .docx 格式") from None
    except Exception as error:  # docxtpl and python-docx raise many kinds; the admin needs a message
        raise ServiceError(f"模板无法生成文书：{error}") from None


@transaction.atomic
def upload_template(user: User, kind: str, data: bytes, original_name: str = "") -> DocumentTemplate:
    """Store ``data`` as the agency's template in force for ``kind`` and record it in the ledger."""
    if not can(user, Action.ADD, DocumentTemplate):
        raise PermissionDenied("只有本机关的系统管理员可以上传文书模板")
    if kind not in KIND_LABELS:
        raise ServiceError(f"未知的文书种类：{kind}")
    check_template(kind, data)
    agency = user.agency
    digest = templating.sha256_of(data)
    file_name = f"{agency.uscc}/{kind}-{digest}.docx"
    storage.write_once(f"templates/{file_name}", data)
    row = DocumentTemplate.objects.create(agency=agency, kind=kind, file_name=file_name,
                                          original_name=original_name[:255], sha256=digest, uploaded_by=user)
    record(event_type="case.template_uploaded", actor=user, agency=agency, subject=Subject.of(row),
           summary=f"上传《{KIND_LABELS[kind]}》Word 模板（{original_name or file_name}）", files=[digest],
           changes={"kind": kind, "sha256": digest, "original_name": original_name})
    return row
