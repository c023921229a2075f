"""Documents (执法文书): every kind rendered to .docx and PDF for a real case, the text readable
in both files, hashes in the ledger, the agency's signature checked with the published key,
template uploads, idempotent and deferred rendering, and who may download what."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from sanxiang.cases import services
from sanxiang.cases.choices import CaseSource, CaseState, DecisionType, DocumentKind, Procedure
from sanxiang.cases.documents import build_context, render, templating
from sanxiang.cases.documents.demo import demo_context
from sanxiang.cases.documents.verify import main as verify_main
from sanxiang.cases.documents.verify import parse_keys, signer_of, verify
from sanxiang.cases.models import Case, Document, DocumentTemplate
from sanxiang.cases.tasks import render_document
from sanxiang.cases.testing import CaseWorld, person_party, register, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.testing import PASSWORD

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parents[3] / "test-output" / "documents"
D = DocumentKind


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return squeeze("".join([p.text for p in document.paragraphs] + cells))


def files(document: Document, settings) -> tuple[bytes, bytes]:
    return ((Path(settings.DATA_DIR) / document.docx_file).read_bytes(),
            (Path(settings.DATA_DIR) / document.pdf_file).read_bytes())


def rendered_entry(document: Document) -> Entry:
    entries = [e for e in Entry.objects.filter(event_type="case.document_rendered")
               if e.detail["changes"].get("document") == document.pk]
    assert len(entries) == 1
    return entries[0]


def issue(cw: CaseWorld, case: Case, kind: str, persona: str = "officer") -> Document:
    return services.issue_document(cw.user(persona), case.pk, kind)


def decided(cw: CaseWorld, settings) -> tuple[Case, Document]:
    """A case walked to 送达 with only its decision rendered (the others deferred: faster)."""
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    case = walk_to(cw, CaseState.SERVICE)
    return case, render(case.documents.get(kind=D.DECISION))


# ---- every kind, for a case walked to the right step ------------------------------------------

def test_every_kind_renders_with_party_and_case_number(cw: CaseWorld, settings) -> None:
    case = walk_to(cw, CaseState.CLOSED, hearing=True)
    inquiry_case = walk_to(cw, CaseState.INVESTIGATION)
    issue(cw, inquiry_case, D.INQUIRY_RECORD)
    documents = list(Document.objects.filter(case__in=[case, inquiry_case]).select_related("case"))
    assert {d.kind for d in documents} == set(D.values)
    party = case.parties.get().name
    for document in documents:
        docx_bytes, pdf_bytes = files(document, settings)
        number = document.case.case_number if document.kind != D.FILING_APPROVAL else document.context["case"]["title"]
        title = document.context["title"]
        for text in (pdf_text(pdf_bytes), docx_text(docx_bytes)):
            assert party in text and squeeze(number) in text and squeeze(title) in text, document.kind
        if document.number:
            assert squeeze(document.number) in pdf_text(pdf_bytes)
        # The ledger entry names both files' hashes, and they are the files' hashes.
        entry = rendered_entry(document)
        assert _files_of(entry) == sorted([templating.sha256_of(docx_bytes), templating.sha256_of(pdf_bytes)])
        assert document.docx_sha256 == templating.sha256_of(docx_bytes)
        assert document.pdf_sha256 == templating.sha256_of(pdf_bytes)
        assert entry.object_id == str(document.case.pk) and entry.agency_id == cw.world.agency.pk
        assert document.template_sha256 == templating.sha256_of(templating.default_path(document.kind).read_bytes())
        # Written once, read-only.
        assert not (Path(settings.DATA_DIR) / document.pdf_file).stat().st_mode & 0o222
    _screenshot(next(d for d in documents if d.kind == D.DECISION), settings)


def _files_of(entry: Entry) -> list[str]:
    return json.loads(bytes(entry.body))["files"]


def _screenshot(document: Document, settings) -> None:
    """Page 1 of the decision as PNG in test-output/documents/ (looked at by a person)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pdf = OUTPUT / "decision.pdf"
    shutil.copyfile(Path(settings.DATA_DIR) / document.pdf_file, pdf)
    pdf.chmod(0o644)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(OUTPUT / "decision")],
                       check=True, timeout=60)
        assert any(OUTPUT.glob("decision*.png"))


def test_render_time_per_document(cw: CaseWorld, settings, capsys) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"  # issue without rendering, then time render alone
    case = walk_to(cw, CaseState.SERVICE)
    templating.render_pdf(demo_context(D.DECISION))  # the first PDF of a process loads the fonts (~1 s)
    times = []
    for document in case.documents.all():
        start = time.perf_counter()
        render(document)
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    with capsys.disabled():
        print(f"\nrender per document (.docx + PDF + signature + ledger): median {median:.3f} s, "
              f"max {times[-1]:.3f} s ({len(times)} documents)")
    assert median < 2.5  # ~0.3 s on an idle machine; without libharfbuzz-subset0 it is ~20 s


# ---- what the documents state -----------------------------------------------------------------

def test_prior_notice_states_hearing_right_only_where_the_law_gives_it(cw: CaseWorld, settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    small = walk_to(cw, CaseState.NOTICE).documents.get(kind=D.PRIOR_NOTICE).context
    large = walk_to(cw, CaseState.NOTICE, hearing=True).documents.get(kind=D.PRIOR_NOTICE).context
    assert small["notice_rights"]["hearing"] is False and len(small["notice_rights"]["items"]) == 1
    assert "陈述和申辩" in small["notice_rights"]["items"][0] and "五个工作日" in small["notice_rights"]["items"][0]
    assert large["notice_rights"]["hearing"] is True and "听证" in large["notice_rights"]["items"][1]
    assert large["proposal"]["penalties"] == ["警告", "罚款"]
    assert large["proposal"]["fine"] == {"value": "150,000.00", "upper": "壹拾伍万元整", "present": True}


def test_stricter_agency_rule_shows_in_the_notice(cw: CaseWorld, settings) -> None:
    from sanxiang.cases.models import AgencyRule

    settings.CASES_DOCUMENT_RENDERING = "deferred"
    AgencyRule.objects.create(agency=cw.world.agency, code="statement", value=3)
    notice = walk_to(cw, CaseState.NOTICE).documents.get(kind=D.PRIOR_NOTICE).context
    assert notice["notice_rights"]["statement_days"] == 3 and "三个工作日" in notice["notice_rights"]["items"][0]


def test_decision_states_the_six_items_of_article_59(cw: CaseWorld, settings) -> None:
    case, document = decided(cw, settings)
    context = document.context
    text = pdf_text(files(document, settings)[1])
    party = case.parties.get()
    assert party.name in text and squeeze(party.address) in text  # (一) name and address
    assert squeeze(case.facts) in text  # (二) facts
    assert "警告、罚款" in text and squeeze(cw.article.text) in text  # (三) kind and basis, article text
    assert "十五日内" in text and "百分之三" in text  # (四) how and when to pay
    assert "六十日内" in text and "六个月内" in text and "行政复议" in text and "行政诉讼" in text  # (五)
    assert cw.world.agency.name in text and squeeze(context["date_cn"]) in text  # (六) agency and date
    today = timezone.localdate()
    assert context["date_text"] == f"{today.year}年{today.month}月{today.day}日"
    assert context["decision"]["basis"][0]["full"] == str(cw.article)


def test_simple_procedure_decision_is_on_the_spot(cw: CaseWorld, settings) -> None:
    officer = cw.user("officer")
    case = register(cw, party=person_party(), procedure=Procedure.SIMPLE, received_on=timezone.localdate())
    services.update_case(officer, case, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"],
                                         "decision_fine": Decimal("100"), "decision_basis": [cw.article.pk],
                                         "decision_text": "罚款一百元"})
    document = issue(cw, case, D.DECISION)
    case.refresh_from_db()
    assert document.context["title"] == "当场行政处罚决定书"
    text = pdf_text(files(document, settings)[1])
    assert "当场行政处罚决定书" in text and "张三丰" in text and squeeze(case.case_number) in text
    assert "壹佰元整" in text and "当场查明" in text


def test_demo_context_has_every_field_of_a_real_context(cw: CaseWorld, settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    case = walk_to(cw, CaseState.SERVICE)
    real = build_context(case, D.DECISION, "X", dt.date(2026, 11, 22))

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return [shape(value[0])]
        return None

    demo = demo_context(D.DECISION)
    real_shape, demo_shape = shape(real), shape(demo)
    real_shape["benchmark"] = demo_shape["benchmark"]  # the walked case applies no benchmark
    assert demo_shape == real_shape
    assert real["date_cn"] == "二〇二六年十一月二十二日"


# ---- signatures ------------------------------------------------------------------------------

def test_signature_verifies_with_the_published_key_and_fails_on_a_changed_byte(cw: CaseWorld, settings, client,
                                                                                tmp_path: Path) -> None:
    case, document = decided(cw, settings)
    pdf = files(document, settings)[1]
    keys_page = client.get(reverse("case_documents:keys"))  # public: no login
    assert keys_page.status_code == 200
    keys = parse_keys(keys_page.content.decode())
    assert [k.name for k in keys] == [document.key_name] and keys[0].agency == cw.world.agency.name
    assert signer_of(pdf, document.signature, keys) == keys[0]
    assert verify(pdf, document.signature, keys[0].public_key)
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    assert not verify(bytes(changed), document.signature, keys[0].public_key)
    assert not verify(pdf, base64.b64encode(b"x" * 64).decode(), keys[0].public_key)
    # The offline command line, with the files as a user downloads them.
    client.login(username="officer", password=PASSWORD)
    sig = client.get(reverse("case_documents:signature", kwargs={"pk": document.pk}))
    assert sig["X-Signature-Key"] == document.key_name
    (tmp_path / "d.pdf").write_bytes(pdf)
    (tmp_path / "d.sig").write_bytes(sig.content)
    (tmp_path / "keys.txt").write_bytes(keys_page.content)
    assert verify_main([str(tmp_path / p) for p in ("d.pdf", "d.sig", "keys.txt")]) == 0
    (tmp_path / "d.pdf").write_bytes(bytes(changed))
    assert verify_main([str(tmp_path / p) for p in ("d.pdf", "d.sig", "keys.txt")]) == 1


def test_verify_page_says_whether_a_pdf_is_authentic(cw: CaseWorld, settings, client) -> None:
    case, document = decided(cw, settings)
    pdf = files(document, settings)[1]
    url = reverse("case_documents:verify")
    assert client.get(url).status_code == 200

    def check(data: bytes, signature: str = "") -> str:
        upload = io.BytesIO(data)
        upload.name = "文书.pdf"
        return client.post(url, {"pdf": upload, "signature": signature}).content.decode()

    assert "签名有效" in check(pdf) and document.number in check(pdf)
    assert "签名有效" in check(pdf, document.signature)
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    assert "签名无效" in check(bytes(changed), document.signature)
    assert "未找到签名" in check(b"%PDF-1.7 something else")


# ---- idempotent and deferred rendering ---------------------------------------------------------

def test_render_is_idempotent(cw: CaseWorld, settings) -> None:
    case = walk_to(cw, CaseState.EXAMINATION)
    document = case.documents.get(kind=D.INSPECTION_RECORD)
    before = (document.pdf_sha256, document.docx_sha256, document.signature)
    count = Entry.objects.count()
    again = render(document.pk)
    assert (again.pdf_sha256, again.docx_sha256, again.signature) == before
    assert render_document.call(document.pk) == "skipped"
    assert Entry.objects.count() == count


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_deferred_rendering_goes_through_the_task(cw: CaseWorld, settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    case = walk_to(cw, CaseState.FILING_APPROVAL)
    document = case.documents.get()
    assert not document.rendered and not Entry.objects.filter(event_type="case.document_rendered").exists()
    run_worker()
    document.refresh_from_db()
    assert document.rendered and rendered_entry(document)
    assert "张三丰" not in pdf_text(files(document, settings)[1])  # the company of the walked case
    assert case.parties.get().name in pdf_text(files(document, settings)[1])
    assert render_document.call(document.pk) == "skipped"
    assert render_document.call(10**9) == "missing"


# ---- Word templates uploaded by the agency's administrator --------------------------------------

def edited_template(kind: str, extra: str) -> bytes:
    document = docx.Document(str(templating.default_path(kind)))
    document.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, kind: str, data: bytes, name: str = "模板.docx"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("case_documents:template_upload", kwargs={"kind": kind}), {"file": handle})


def test_uploaded_template_is_used_and_recorded(cw: CaseWorld, settings, client) -> None:
    client.login(username="admin", password=PASSWORD)
    data = edited_template(D.INSPECTION_RECORD, "本机关自定义：{{ case.title }}（{{ party.name }}）")
    response = upload(client, D.INSPECTION_RECORD, data, "现场笔录.docx")
    assert response.status_code == 302 and response["Location"] == reverse("case_documents:templates")
    row = DocumentTemplate.objects.get()
    assert row.agency == cw.world.agency and row.sha256 == templating.sha256_of(data)
    assert (Path(settings.DATA_DIR) / "templates" / row.file_name).read_bytes() == data
    entry = Entry.objects.get(event_type="case.template_uploaded")
    assert _files_of(entry) == [row.sha256] and entry.actor == cw.user("admin")
    page = client.get(reverse("case_documents:templates")).content.decode()
    assert "现场笔录.docx" in page and "平台默认模板" in page
    downloaded = client.get(reverse("case_documents:template_download", kwargs={"kind": D.INSPECTION_RECORD}))
    assert b"".join(downloaded.streaming_content) == data
    case = walk_to(cw, CaseState.EXAMINATION)
    document = case.documents.get(kind=D.INSPECTION_RECORD)
    assert document.template_sha256 == row.sha256
    assert squeeze(f"本机关自定义：{case.title}（{case.parties.get().name}）") in docx_text(files(document, settings)[0])


@pytest.mark.parametrize(("data", "message"), [
    (b"this is not a word file", "不是有效的 Word 文件"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 .doc"),
    (b"PK\x03\x04broken zip", "文件已损坏"),
    ("syntax", "模板语法错误"),
    ("unknown", "不存在的字段"),
])
def test_broken_upload_is_refused_in_chinese(world, client, data: bytes | str, message: str) -> None:
    if data == "syntax":
        data = edited_template(D.DECISION, "{{ party.name ")
    elif data == "unknown":
        data = edited_template(D.DECISION, "{{ cas.numbr }}")
    client.login(username="admin", password=PASSWORD)
    response = upload(client, D.DECISION, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not DocumentTemplate.objects.exists()
    assert not Entry.objects.filter(event_type="case.template_uploaded").exists()


def test_template_cannot_reach_python_internals(world, client) -> None:
    client.login(username="admin", password=PASSWORD)
    data = edited_template(D.DECISION, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    response = upload(client, D.DECISION, data)
    assert "不允许的操作" in response.content.decode() and not DocumentTemplate.objects.exists()


# ---- who may open what (persona × own/foreign agency) -----------------------------------------

VIEWERS = {
    "officer": {"own"}, "unit_head": {"own"}, "reviewer": {"own"}, "agency_head": {"own"}, "publisher": {"own"},
    "admin": {"own"}, "supervisor": {"own", "other"}, "other_officer": {"other"}, "other_admin": {"other"},
    "far_admin": {"far"},
}
ADMINS = {"admin", "other_admin", "far_admin"}


def foreign_document(world, agency, username: str) -> Document:
    """A rendered document of another agency (rows made directly: those agencies have no officers here)."""
    case = Case.objects.create(agency=agency, title="某店无证经营案", source=CaseSource.INSPECTION,
                               received_on=timezone.localdate(), created_by=world.personas[username],
                               case_number=f"{agency.short_name or agency.name}罚〔2026〕9号")
    context = demo_context(D.DECISION)
    document = Document.objects.create(case=case, kind=D.DECISION, number="外罚决〔2026〕1号", context=context,
                                       issued_by=world.personas[username])
    return render(document)


def test_document_download_matrix(cw: CaseWorld, client) -> None:
    world = cw.world
    documents = {"own": walk_to(cw, CaseState.FILING_APPROVAL).documents.get(),
                 "other": foreign_document(world, world.other_agency, "other_admin"),
                 "far": foreign_document(world, world.far_agency, "far_admin")}
    failures = []
    for persona, visible in VIEWERS.items():
        client.logout()
        client.login(username=persona, password=PASSWORD)
        for owner, document in documents.items():
            for name in ("docx", "pdf", "signature"):
                got = client.get(reverse(f"case_documents:{name}", kwargs={"pk": document.pk})).status_code
                if got != (200 if owner in visible else 404):
                    failures.append(f"{persona} {owner} {name}: {got}")
    client.logout()
    for name in ("docx", "pdf", "signature"):
        response = client.get(reverse(f"case_documents:{name}", kwargs={"pk": documents["own"].pk}))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not failures, failures
    # A supervisor's download of another agency's document is a recorded read (调阅).
    reads = Entry.objects.filter(event_type="read.cases.case", actor=world.personas["supervisor"])
    assert {e.agency_id for e in reads} == {world.agency.pk, world.other_agency.pk}


def test_template_page_matrix(world, client) -> None:
    kind = D.DECISION
    urls = [reverse("case_documents:index"), reverse("case_documents:templates"),
            reverse("case_documents:template_upload", kwargs={"kind": kind}),
            reverse("case_documents:template_download", kwargs={"kind": kind})]
    for persona in VIEWERS:
        client.logout()
        client.login(username=persona, password=PASSWORD)
        for url in urls:
            assert client.get(url).status_code == (200 if persona in ADMINS else 403), (persona, url)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302
    for url in (reverse("case_documents:keys"), reverse("case_documents:verify")):
        assert client.get(url).status_code == 200  # public
    # An upload only ever changes the uploader's own agency.
    client.login(username="other_admin", password=PASSWORD)
    assert upload(client, kind, edited_template(kind, "乙")).status_code == 302
    assert templating.in_force(world.other_agency.pk, kind).upload is not None
    assert templating.in_force(world.agency.pk, kind).is_default
    assert client.get(reverse("case_documents:template_upload", kwargs={"kind": "nonsense"})).status_code == 404
