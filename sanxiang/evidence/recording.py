"""The 音像记录事项清单 and the gate built on it: a case cannot leave a step that needs an
audio-visual record without one uploaded in that step, unless the unit head recorded why it could
not be made (a waiver, ledgered and shown to supervisors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.choices import CaseState, ServiceMethod
from sanxiang.cases.models import Case
from sanxiang.evidence.choices import RANDOM_INSPECTION, MediaKind
from sanxiang.evidence.models import Evidence, RecordingRequirement, RecordingWaiver
from sanxiang.ledger.services import record_change

S, Level = CaseState, RecordingRequirement.Level
SOURCE = "《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
# step → (level, what it covers). From the seeds: 现场检查、随机抽查、调查取证、证据保全、听证、
# 行政强制、送达 need an audio-visual record.
DEFAULTS: dict[str, tuple[str, str]] = {
    S.CLUE: (Level.AV, "现场检查、当场处罚（简易程序）"),
    S.INVESTIGATION: (Level.AV, "调查取证、现场检查、证据保全"),
    S.HEARING: (Level.AV, "听证"),
    S.SERVICE: (Level.AV, "直接送达、留置送达"),
    RANDOM_INSPECTION: (Level.AV, "双随机抽查现场检查"),
}
# The steps the list covers, in the order it is shown.
STEPS = [S.CLUE, S.INVESTIGATION, S.HEARING, S.SERVICE, RANDOM_INSPECTION]
# Transitions that leave a step the list covers.
LEAVING = {"decide_on_the_spot": S.CLUE, "end_investigation": S.INVESTIGATION, "conclude_hearing": S.HEARING,
           "serve": S.SERVICE}
# Service by post, electronic means or public notice happens without officers present.
UNRECORDED_SERVICE = {ServiceMethod.MAIL, ServiceMethod.ELECTRONIC, ServiceMethod.NOTICE}


def requirement(agency_id: int, step: str) -> str:
    """The level the agency requires for ``step`` (its list, or the defaults if it has none)."""
    rows = dict(RecordingRequirement.objects.filter(agency_id=agency_id).values_list("step", "level"))
    default = DEFAULTS.get(step, (Level.NONE, ""))[0]
    # An agency's own list holds every step it had when first changed; a step added to the list
    # since (随机抽查) keeps its default until the admin sets it.
    return rows.get(step, default)


def kinds_for(level: str) -> list[str]:
    """The media kinds that make the record ``level`` asks for (a photo never does)."""
    return [MediaKind.VIDEO] if level == Level.FULL else [MediaKind.AUDIO, MediaKind.VIDEO]


def satisfied(case: Case, transition: str, data: dict) -> bool:
    """Whether ``case`` may take ``transition`` as far as recordings go."""
    step = LEAVING.get(transition)
    if step is None:
        return True
    # Service: only direct and left service need the record; before the method is chosen (a page
    # listing the steps) nothing is known yet, and the step itself always names its method.
    if step == S.SERVICE and (data.get("method") in UNRECORDED_SERVICE or not data.get("method")):
        return True
    level = requirement(case.agency_id, step)
    if level == Level.NONE:
        return True
    if Evidence.objects.filter(case=case, step=step, media_kind__in=kinds_for(level)).exists():
        return True
    return RecordingWaiver.objects.filter(case=case, step=step).exists()


@transaction.atomic
def waive(user: User, case: Case | int, reason: str) -> RecordingWaiver:
    """The unit head (or agency head) records why the current step's recording could not be made."""
    from sanxiang.cases.services.common import lock_case, require_role

    case = lock_case(user, case)
    role = require_role(user, case, {Role.UNIT_HEAD, Role.AGENCY_HEAD}, "登记音像记录缺失说明")
    if requirement(case.agency_id, case.state) == Level.NONE:
        raise ValidationError({"reason": f"“{case.get_state_display()}”环节不要求音像记录"})
    if not reason.strip():
        raise ValidationError({"reason": "须填写未能记录的理由"})
    waiver = RecordingWaiver.objects.create(case=case, step=case.state, reason=reason.strip(), approved_by=user)
    record_change(event_type="evidence.recording_waived", actor=user, obj=waiver, agency=case.agency, role=role,
                  summary=f"音像记录缺失说明（{case.get_state_display()}）：{case.case_number or case.title}")
    return waiver


def agency_list(agency_id: int) -> list[tuple[str, str, str, bool]]:
    """(step, level, note, is_default) for every step the list can cover, as in force for the agency."""
    rows = {r.step: r for r in RecordingRequirement.objects.filter(agency_id=agency_id)}
    if not rows:
        return [(s, DEFAULTS[s][0], DEFAULTS[s][1], True) for s in STEPS]
    return [(s, rows[s].level, rows[s].note, False) if s in rows else (s, DEFAULTS[s][0], DEFAULTS[s][1], True)
            for s in STEPS]


@transaction.atomic
def set_level(user: User, step: str, level: str, note: str = "") -> RecordingRequirement:
    """An agency admin sets one step of the agency's list (the first change copies the defaults)."""
    from sanxiang.accounts.access import Action, can, writable_agency

    if not can(user, Action.CHANGE, RecordingRequirement):
        raise PermissionDenied("只有本机关系统管理员可以修改音像记录事项清单")
    if step not in STEPS or level not in Level.values:
        raise ValidationError({"level": "请选择有效的环节和要求"})
    agency = writable_agency(user)
    if not RecordingRequirement.objects.filter(agency=agency).exists():
        RecordingRequirement.objects.bulk_create([RecordingRequirement(agency=agency, step=s, level=lv, note=n)
                                                  for s, (lv, n) in DEFAULTS.items()])
    row, _ = RecordingRequirement.objects.get_or_create(agency=agency, step=step,
                                                        defaults={"level": DEFAULTS[step][0], "note": DEFAULTS[step][1]})
    row.level, row.note = level, note.strip()[:300] or row.note
    row.save()
    record_change(event_type="evidence.recording_list_set", actor=user, obj=row, agency=agency, role=Role.ADMIN,
                  summary=f"音像记录事项清单：{row.get_step_display()} → {row.get_level_display()}")
    return row
