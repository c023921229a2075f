"""法制审核意见书: issued by the reviewer with every opinion (存在问题, then 同意 on the resubmission),
numbered by the agency's 文号 pattern, rendered to .docx and PDF stating the submission as it was
sent and the ten points, signed with the agency's key, and listed with the case's documents."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.cases.documents import signing
from sanxiang.cases.documents.verify import verify
from sanxiang.cases.models import CaseSettings, Document
from sanxiang.cases.testing import CaseWorld, walk_to
from sanxiang.ledger.models import Entry
from sanxiang.review import services
from sanxiang.review.choices import Outcome
from sanxiang.review.models import LegalReview
from sanxiang.review.testing import agree, findings_with_problem, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    settings.CASES_DOCUMENT_RENDERING = "sync"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return squeeze("".join([p.text for p in document.paragraphs] + cells))


def test_each_opinion_issues_a_signed_numbered_document(cw: CaseWorld, settings) -> None:
    agency = cw.world.agency
    agency.short_name = "甲市监"
    agency.save(update_fields=["short_name"])
    CaseSettings.objects.create(agency=agency, document_number_pattern="{机关简称}{文书简称}字〔{年}〕第{序号:3}号")
    case = walk_to(cw, CaseState.LEGAL_REVIEW, major=True)
    reviewer = cw.user("reviewer")
    first = LegalReview.objects.get(case=case)
    problems = services.give_opinion(reviewer, first, outcome=Outcome.PROBLEMS,
                                     findings=findings_with_problem("discretion", "裁量幅度偏重，未说明从重理由"),
                                     problems="拟罚款数额高于裁量基准“一般”档次的上限", suggestions="按一般档次重新确定罚款数额",
                                     text="经审核，裁量基准运用不当，请承办机构修改后重新送审。")
    second = submit(cw.user("unit_head"), case.pk, reviewer=reviewer)
    passed = agree(reviewer, second)

    documents = []
    for opinion in (problems, passed):
        opinion.refresh_from_db()
        document = opinion.document
        assert document is not None and document.kind == DocumentKind.LEGAL_REVIEW_OPINION
        assert document.issued_by == reviewer and document.case_id == case.pk
        documents.append(document)
    year = problems.given_on.year
    assert [d.number for d in documents] == [f"甲市监法审字〔{year}〕第001号", f"甲市监法审字〔{year}〕第002号"]
    # Both are the case's documents, with the other documents of the case.
    assert set(case.documents.filter(kind=DocumentKind.LEGAL_REVIEW_OPINION)) == set(documents)

    key = signing.published_key(agency)
    party = case.parties.get().name
    for document, opinion in zip(documents, (problems, passed), strict=True):
        docx_bytes = (Path(settings.DATA_DIR) / document.docx_file).read_bytes()
        pdf_bytes = (Path(settings.DATA_DIR) / document.pdf_file).read_bytes()
        assert verify(pdf_bytes, document.signature, key.public_key)
        assert not verify(pdf_bytes + b"x", document.signature, key.public_key)
        for text in (pdf_text(pdf_bytes), docx_text(docx_bytes)):
            assert "法制审核意见书" in text and party in text and squeeze(case.case_number) in text
            assert squeeze(document.number) in text and "执法主体合法" in text and "是否涉嫌犯罪需移送司法机关" in text
            assert squeeze(opinion.text) in text and opinion.get_outcome_display() in text
        context = document.context["review"]
        assert context["reviewer"] == reviewer.get_full_name() or reviewer.username
        assert len(context["points"]) == 10
    first_pdf = pdf_text((Path(settings.DATA_DIR) / documents[0].pdf_file).read_bytes())
    assert "裁量幅度偏重，未说明从重理由" in first_pdf and "按一般档次重新确定罚款数额" in first_pdf
    assert documents[0].context["review"]["version"] == 1 and documents[1].context["review"]["version"] == 2
    # Issued in the ledger by the reviewer, as the reviewer; rendered with both hashes.
    issued = [e for e in Entry.objects.filter(event_type="case.document_issued")
              if e.detail["changes"].get("kind") == DocumentKind.LEGAL_REVIEW_OPINION]
    assert len(issued) == 2 and {e.actor_role for e in issued} == {"reviewer"}
    rendered = [e for e in Entry.objects.filter(event_type="case.document_rendered")
                if e.detail["changes"].get("kind") == DocumentKind.LEGAL_REVIEW_OPINION]
    assert {e.detail["changes"]["pdf_sha256"] for e in rendered} == {d.pdf_sha256 for d in documents}


def test_the_document_states_the_submission_as_sent(cw: CaseWorld, settings) -> None:
    """The context is frozen from the review's copy of the proposal, with deferred rendering too."""
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    case = walk_to(cw, CaseState.NOTICE, major=True)
    document = Document.objects.get(case=case, kind=DocumentKind.LEGAL_REVIEW_OPINION)
    proposal = document.context["review"]["proposal"]
    assert proposal["fine"]["value"] == f"{case.proposed_fine:,.2f}"
    assert document.context["review"]["outcome"] == Outcome.AGREE
    assert not document.rendered  # deferred: the worker renders it after commit, like any document


def test_a_refused_opinion_issues_nothing(cw: CaseWorld) -> None:
    case = walk_to(cw, CaseState.LEGAL_REVIEW, major=True)
    review = LegalReview.objects.get(case=case)
    with pytest.raises(services.ServiceError):
        services.give_opinion(cw.user("reviewer"), review, outcome=Outcome.AGREE,
                              findings=findings_with_problem(), text="同意")
    assert not Document.objects.filter(case=case, kind=DocumentKind.LEGAL_REVIEW_OPINION).exists()
