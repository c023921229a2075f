"""The 音像记录事项清单 gate: a step that needs an audio-visual record cannot be left without one,
unless the unit head records why it could not be made (ledgered)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.cases.models import Case
from sanxiang.cases.services import TransitionError
from sanxiang.cases.testing import register, walk_to
from sanxiang.evidence import recording, samples, services
from sanxiang.evidence.models import RecordingRequirement
from sanxiang.ledger.models import Entry


def unrecorded_investigation(cw) -> Case:
    """A case in 调查取证 with its investigation record but no recording."""
    officer, head = cw.user("officer"), cw.user("unit_head")
    case = register(cw)
    cases.issue_document(officer, case, DocumentKind.FILING_APPROVAL)
    cases.perform(officer, case, "request_filing")
    cases.perform(head, case, "approve_filing")
    cases.issue_document(officer, case, DocumentKind.INQUIRY_RECORD)
    return Case.objects.get(pk=case.pk)


def upload(cw, case, data: bytes, name: str) -> None:
    description = services.Description("audio_visual", "调查过程", timezone.now(), "现场", cw.officer)
    services.ingest(cw.user("officer"), case, [data], original_name=name, description=description)


def test_leaving_investigation_needs_a_recording(cw) -> None:
    case = unrecorded_investigation(cw)
    entries = Entry.objects.count()
    with pytest.raises(TransitionError, match="音像记录事项清单"):
        cases.perform(cw.user("officer"), case, "end_investigation")
    assert Case.objects.get(pk=case.pk).state == CaseState.INVESTIGATION and Entry.objects.count() == entries
    upload(cw, case, samples.wav(), "询问.wav")
    cases.perform(cw.user("officer"), case, "end_investigation")


def test_a_photo_is_not_an_audio_visual_record(cw) -> None:
    case = unrecorded_investigation(cw)
    upload(cw, case, samples.jpeg_with_exif(), "照片.jpg")
    with pytest.raises(TransitionError, match="音像记录"):
        cases.perform(cw.user("officer"), case, "end_investigation")


def test_the_unit_head_may_record_why_there_is_none(cw) -> None:
    case = unrecorded_investigation(cw)
    with pytest.raises(PermissionDenied):
        recording.waive(cw.user("officer"), case, "执法记录仪故障")
    waiver = recording.waive(cw.user("unit_head"), case, "执法记录仪故障，已报修")
    assert Entry.objects.filter(event_type="evidence.recording_waived", object_id=str(waiver.pk)).exists()
    cases.perform(cw.user("officer"), case, "end_investigation")


def test_an_agency_list_replaces_the_defaults(cw) -> None:
    case = unrecorded_investigation(cw)
    RecordingRequirement.objects.create(agency=case.agency, step=CaseState.INVESTIGATION, level="full")
    upload(cw, case, samples.wav(), "询问.wav")
    with pytest.raises(TransitionError, match="音像记录"):  # full process: a video is needed
        cases.perform(cw.user("officer"), case, "end_investigation")
    upload(cw, case, samples.mp4(), "全过程.mp4")
    cases.perform(cw.user("officer"), case, "end_investigation")
    other = unrecorded_investigation(cw)
    RecordingRequirement.objects.filter(agency=case.agency).update(level="none")
    cases.perform(cw.user("officer"), other, "end_investigation")


def test_service_by_post_needs_no_recording_but_direct_service_does(cw) -> None:
    case = walk_to(cw, CaseState.SERVICE)  # with the audio recording walk_to makes in 送达
    RecordingRequirement.objects.create(agency=case.agency, step=CaseState.SERVICE, level="full")
    assert not recording.satisfied(case, "serve", {"method": "direct"})  # full process: video needed
    assert not recording.satisfied(case, "serve", {"method": "left"})
    assert recording.satisfied(case, "serve", {"method": "mail"})
    assert recording.satisfied(case, "serve", {"method": "electronic"})
    cases.issue_document(cw.user("officer"), case, DocumentKind.SERVICE_RECEIPT)
    with pytest.raises(TransitionError, match="音像记录"):
        cases.perform(cw.user("officer"), case, "serve", method="direct")
    cases.perform(cw.user("officer"), case, "serve", method="mail")


def test_the_case_page_asks_for_the_recording_and_takes_the_waiver(client, cw) -> None:
    from django.urls import reverse

    from sanxiang.testing import PASSWORD

    case = unrecorded_investigation(cw)
    url = reverse("cases:detail", args=[case.pk])
    assert client.login(username="officer", password=PASSWORD)
    page = client.get(url).content.decode()
    assert "须有音像记录，尚未上传" in page and "登记缺失说明" not in page  # the officer may not waive
    assert client.post(reverse("evidence:waive", args=[case.pk]), {"reason": "故障"}).status_code == 403
    client.logout()
    assert client.login(username="unit_head", password=PASSWORD)
    assert "登记缺失说明" in client.get(url).content.decode()
    response = client.post(reverse("evidence:waive", args=[case.pk]), {"reason": "执法记录仪故障"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "执法记录仪故障" in page and "尚未上传" not in page
    client.logout()
    assert client.login(username="other_officer", password=PASSWORD)
    assert client.post(reverse("evidence:waive", args=[case.pk]), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "unit_head", "reviewer", "agency_head", "publisher", "admin",
                                     "supervisor", "other_admin", "anonymous"])
def test_recording_list_page_matrix(client, cw, persona) -> None:
    from django.urls import reverse

    from sanxiang.testing import PASSWORD

    url = reverse("evidence:recording_list")
    if persona == "anonymous":
        assert client.get(url).status_code == 302
        return
    assert client.login(username=persona, password=PASSWORD)
    page = client.get(url)
    assert page.status_code == 200 and "调查取证" in page.content.decode()
    response = client.post(url, {"step": CaseState.INVESTIGATION, "level": "none"})
    changed = RecordingRequirement.objects.filter(agency=cw.user(persona).agency, step=CaseState.INVESTIGATION,
                                                  level="none").exists()
    if persona in ("admin", "other_admin"):
        assert response.status_code == 302 and changed  # each admin changes only their own agency's list
        assert Entry.objects.filter(event_type="evidence.recording_list_set").exists()
    else:
        assert response.status_code == 403 and not changed


def test_the_admin_s_list_lifts_the_gate_for_that_agency_only(client, cw) -> None:
    case = unrecorded_investigation(cw)
    recording.set_level(cw.user("admin"), CaseState.INVESTIGATION, "none", "本机关规定")
    assert RecordingRequirement.objects.filter(agency=case.agency).count() == len(recording.DEFAULTS)
    cases.perform(cw.user("officer"), case, "end_investigation")
    with pytest.raises(PermissionDenied):
        recording.set_level(cw.user("officer"), CaseState.INVESTIGATION, "av")
