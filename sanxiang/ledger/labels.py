"""Chinese names for what the ledger stores as codes: event types, object types, roles.

Pages and the API show these; an unknown code is shown as itself, so a new event type written by a
later feature is still readable (if not pretty) before it gets a label here.
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from sanxiang.accounts.choices import Role

# Event types written by the services today (see each app's services.py).
EVENT_LABELS: dict[str, str] = {
    "account.user.created": "新增用户",
    "account.user.updated": "修改用户",
    "account.user.unlocked": "解除用户锁定",
    "account.token.issued": "签发API令牌",
    "account.token.revoked": "吊销API令牌",
    "account.agency.created": "新增执法主体",
    "account.jurisdiction.created": "新增行政区划",
    "ledger.checkpoint.cosigned": "见证签署检查点",
    "registry.law.loaded": "载入法律法规",
    "evidence.added": "上传证据",
    "evidence.viewed": "查看证据",
    "evidence.downloaded": "下载证据",
    "evidence.dossier_exported": "导出电子案卷",
    "evidence.finding_added": "案卷评查意见",
    "evidence.recording_waived": "登记音像记录缺失说明",
    "evidence.recording_list_set": "修改音像记录事项清单",
    "review.catalog_changed": "修改法制审核目录事项",
    "review.catalog_added": "新增法制审核目录事项",
    "review.catalog_deleted": "删除法制审核目录事项",
    "review.full_coverage_set": "设置法制审核全覆盖",
}
# "registry.<model>.<verb>": the model's verbose_name plus the verb, for every registry model.
VERB_LABELS: dict[str, str] = {"created": "新增", "updated": "修改", "imported": "导入", "loaded": "载入"}
# Object types are model labels ("registry.officer"); accounts' models keep their own names here.
OBJECT_LABELS: dict[str, str] = {
    "accounts.user": "用户",
    "accounts.agency": "执法主体",
    "accounts.jurisdiction": "行政区划",
}


def model_name(object_type: str) -> str:
    """The verbose name of the model labelled ``object_type`` ("registry.officer" → 执法人员)."""
    if object_type in OBJECT_LABELS:
        return OBJECT_LABELS[object_type]
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def event_label(event_type: str) -> str:
    """Chinese name of ``event_type``; the code itself when it has none."""
    if event_type in EVENT_LABELS:
        return EVENT_LABELS[event_type]
    if event_type.startswith("case."):
        return _case_event_label(event_type.removeprefix("case."))
    if event_type.startswith("read."):  # a supervisor's read (sanxiang/ledger/reads.py)
        return f"监督调阅{model_name(event_type.removeprefix('read.'))}"
    app, _, rest = event_type.partition(".")
    model, _, verb = rest.rpartition(".")
    if app == "registry" and verb in VERB_LABELS and model:
        name = model_name(f"registry.{model}")
        if name != f"registry.{model}":
            return f"{VERB_LABELS[verb]}{name}"
    return event_type


# Case events other than the lifecycle's transitions (whose labels come from cases/lifecycle.py).
CASE_EVENT_LABELS: dict[str, str] = {
    "registered": "登记案件线索", "updated": "修改案件信息", "party_added": "登记当事人",
    "party_updated": "修改当事人", "party_removed": "删除当事人", "handlers_set": "指派承办人",
    "recusal_requested": "登记回避申请", "recusal_decided": "决定回避", "document_issued": "制作执法文书",
    "document_rendered": "生成文书文件并签名", "template_uploaded": "上传文书模板",
    "holidays.entered": "录入节假日安排", "holidays.updated": "修改节假日安排", "rule.set": "设定办案规则",
    "rule.cleared": "恢复法定办案规则", "numbering.set": "设定编号规则", "conflict.declared": "申报利害关系",
    "conflict.withdrawn": "撤回利害关系申报",
}


def _case_event_label(name: str) -> str:
    from sanxiang.cases.lifecycle import BY_NAME

    if name in BY_NAME:
        return BY_NAME[name].label
    return CASE_EVENT_LABELS.get(name, f"case.{name}")


def role_label(codes: str) -> str:
    """``actor_role`` ("admin", or several codes joined by commas) as Chinese role names."""
    labels = dict(Role.choices)
    return "、".join(str(labels.get(code, code)) for code in codes.split(",") if code) or "—"


def field_label(object_type: str, name: str) -> str:
    """The verbose name of field ``name`` of the model ``object_type`` (for an entry's changes)."""
    try:
        return str(apps.get_model(object_type)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return name
