"""Pages of the ledger (全过程记录): the overview with the latest checkpoint and the public keys,
the entries a user may see, one entry with its receipt, and the public receipt check.

Entries are read through ``accounts.access`` (another agency's entry is 404); nothing here writes
an entry except the witness button, which calls ``checkpoints.cosign`` (that records its own entry).
The receipt check and the key list are public: whoever holds a receipt must be able to check it.
"""

import datetime
import json
import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.access import get_for_user, restrict
from sanxiang.ledger import merkle
from sanxiang.ledger.checkpoints import (
    WitnessRefused,
    cosign,
    cosigned_note,
    last_cosigned,
    public_keys,
    receipt,
    sign_checkpoint,
    stored_getter,
    witness_signer,
)
from sanxiang.ledger.filters import EntryFilters
from sanxiang.ledger.labels import event_label, field_label, model_name, role_label
from sanxiang.ledger.models import Checkpoint, Entry, Log
from sanxiang.ledger.policies import may_witness
from sanxiang.ledger.receipt_check import check_receipt, parse_document
from sanxiang.ledger.services import default_log
from sanxiang.pages import paginate

PAGE_SIZE = 50
MAX_RECEIPT_BYTES = 1_000_000  # a receipt is a few kilobytes; anything far bigger is not one
ALGORITHM_NAMES = dict(Log._meta.get_field("algorithm").choices)
VERIFY_COMMAND = "python -m sanxiang.ledger verify 回执.json --key <平台公钥> --key <见证公钥>"
logger = logging.getLogger("sanxiang.ledger")


# ---------------------------------------------------------------- overview


def current_root(log: Log) -> bytes:
    """Root hash of the whole log as it stands, from the stored subtrees (a few rows)."""
    return merkle.root_from_subtrees(log.size, stored_getter(log, merkle.root_positions(log.size)),
                                     log.algorithm)


def latest_checkpoint(log: Log) -> Checkpoint | None:
    return log.checkpoints.order_by("-size", "-id").first()


def latest_witnessed(log: Log) -> Checkpoint | None:
    """The largest checkpoint the witness has cosigned (its own cosigning entry always comes after
    it, so the newest checkpoint is often one the witness has not seen yet)."""
    return last_cosigned(log, witness_signer().name)


def _overview_context(request: HttpRequest, refusal: str = "") -> dict[str, object]:
    log = default_log()
    checkpoint = latest_checkpoint(log)
    return {
        "log": log, "algorithm": ALGORITHM_NAMES.get(log.algorithm, log.algorithm),
        "root": current_root(log).hex(), "checkpoint": checkpoint,
        "note": cosigned_note(checkpoint) if checkpoint else "",
        "cosignatures": list(checkpoint.cosignatures.order_by("id")) if checkpoint else [],
        "unsigned_entries": log.size - (checkpoint.size if checkpoint else 0),
        "witnessed": latest_witnessed(log),
        "keys": public_keys(), "verify_command": VERIFY_COMMAND,
        "can_witness": may_witness(request.user), "refusal": refusal,
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/overview.html", _overview_context(request))


@login_required
@require_POST
def witness(request: HttpRequest) -> HttpResponse:
    """Sign a checkpoint of the log as it stands and have the witness cosign it (supervisors)."""
    if not may_witness(request.user):
        raise PermissionDenied("只有监督人员（司法局）可以见证签署检查点")
    try:
        checkpoint = sign_checkpoint()
        cosign(checkpoint, request.user)
    except WitnessRefused as refusal:
        # A refusal means the log no longer extends what was signed or witnessed: an alarm.
        logger.error("拒绝签署检查点：%s", refusal)
        context = _overview_context(request, refusal=str(refusal))
        return render(request, "ledger/overview.html", context, status=409)
    messages.success(request, f"检查点（{checkpoint.size} 条记录）已签署并经司法局见证。")
    return HttpResponseRedirect(reverse("ledger:overview"))


# ---------------------------------------------------------------- entries


def visible_entries(request: HttpRequest) -> models.QuerySet[Entry]:
    """The entries of the platform's log that the user may see, newest first."""
    entries = Entry.objects.filter(log=default_log()).select_related("actor")
    return restrict(entries, request.user).order_by("-index")


def _choices(entries: models.QuerySet[Entry], field: str, label) -> list[tuple[str, str]]:
    codes = entries.order_by().values_list(field, flat=True).distinct()
    return sorted(((code, label(code)) for code in codes if code), key=lambda pair: pair[1])


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    entries = visible_entries(request)
    filters = EntryFilters.from_query(request.GET.dict())
    context = paginate(request, filters.apply(entries), PAGE_SIZE)
    context.update({
        "rows": [EntryRow.of(entry) for entry in context["page"]],
        "filters": filters,
        "event_types": _choices(entries, "event_type", event_label),
        "object_types": _choices(entries, "object_type", model_name),
    })
    return render(request, "ledger/entry_list.html", context)


@dataclass(frozen=True)
class EntryRow:
    """An entry as the pages show it."""

    index: int
    recorded_at: datetime.datetime
    event: str
    event_type: str
    actor: str
    role: str
    summary: str
    object_type: str
    object_label: str

    @classmethod
    def of(cls, entry: Entry) -> "EntryRow":
        detail = entry.detail or {}
        return cls(entry.index, entry.recorded_at, event_label(entry.event_type), entry.event_type,
                   detail.get("actor_name", "系统"), role_label(entry.actor_role) if entry.actor_role else "",
                   detail.get("summary", ""), model_name(entry.object_type) if entry.object_type else "",
                   entry.object_label)


def _entry(request: HttpRequest, index: int) -> Entry:
    return get_for_user(Entry.objects.filter(log=default_log()), request.user, index=index)


def changed_fields(entry: Entry) -> str:
    """The fields an update touched, by their Chinese names ("" when the entry lists none)."""
    names = (entry.detail or {}).get("changes", {}).get("fields", [])
    return "、".join(field_label(entry.object_type, name) for name in names)


@login_required
def entry_detail(request: HttpRequest, index: int) -> HttpResponse:
    entry = _entry(request, index)
    body = json.loads(bytes(entry.body))
    return render(request, "ledger/entry_detail.html", {
        "entry": entry, "row": EntryRow.of(entry), "changed": changed_fields(entry),
        "body": json.dumps(body, ensure_ascii=False, indent=2),
        "leaf_hash": bytes(entry.leaf_hash).hex(), "log": entry.log,
    })


@login_required
def entry_receipt(request: HttpRequest, index: int) -> HttpResponse:
    """The entry's receipt as a JSON file to keep (a checkpoint is signed if none covers it yet)."""
    document = receipt(_entry(request, index))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="sanxiang-receipt-{index}.json"'
    return response


# ---------------------------------------------------------------- public: receipt check and keys


def _submitted_text(request: HttpRequest) -> str:
    """The receipt from the upload field if a file was chosen, else from the text area."""
    upload = request.FILES.get("file")
    if upload is None:
        return request.POST.get("receipt", "")
    if upload.size > MAX_RECEIPT_BYTES:
        raise ValueError("文件过大，不是回执文件")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("文件不是 UTF-8 文本，不是回执文件") from None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"verify_command": VERIFY_COMMAND, "against_latest": True}
    if request.method == "POST":
        context["text"] = request.POST.get("receipt", "")
        context["against_latest"] = request.POST.get("against_latest") == "1"
        try:
            document = parse_document(_submitted_text(request))
        except ValueError as error:
            context["error"] = str(error)
        else:
            context["check"] = check_receipt(document, context["against_latest"])
    return render(request, "ledger/verify.html", context)


def keys_text(request: HttpRequest) -> HttpResponse:
    """The verifier keys, one per line with comments, usable as ``--key keys.txt`` offline."""
    keys = public_keys()
    lines = [
        "# 三项制度执法平台 全过程记录 验证公钥（signed-note 格式：名称+密钥编号+公钥）",
        "# 用法：python -m sanxiang.ledger verify 回执.json --key keys.txt",
        "# 同时给出两把公钥时，检查点须经平台签名且经司法局见证；未经见证的回执只用平台公钥验证。",
        "# 平台签名公钥",
        keys["platform"],
        "# 司法局见证公钥",
        keys["witness"],
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
