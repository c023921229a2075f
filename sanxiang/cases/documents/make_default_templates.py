"""Writes the platform's default Word templates (docxtpl/Jinja syntax) into ``templates_docx/``.

Run once after changing this file and commit the .docx files it writes:

    .venv/bin/python -m sanxiang.cases.documents.make_default_templates

The templates read the same context as the PDF (see :mod:`sanxiang.cases.documents.context`).
An administrator can download one, change it in Word (keeping the ``{{ … }}`` fields) and upload
it for their agency. Needs python-docx only (no Django).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent / "templates_docx"
BODY_FONT, HEAD_FONT = "仿宋", "黑体"
OFFICERS = "{% for o in officers %}{{ o.name }}（执法证号：{{ o.certificate }}）{% if not loop.last %}、{% endif %}{% endfor %}"
SEAL_LINES = ["{{ agency.name }}", "{{ date_cn }}", "（印章）"]


def _font(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, "Times New Roman"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _para(doc, text: str, *, indent: bool = True, align=None, size: float = 14, bold: bool = False,
          font: str = BODY_FONT, space_after: float = 0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(size * 2) if indent else None
    fmt.space_after, fmt.line_spacing = Pt(space_after), Pt(size * 1.75)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold)
    return p


def _header(doc) -> None:
    _para(doc, "{{ agency.name }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, bold=True,
          font=HEAD_FONT)
    _para(doc, "{{ title }}", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True, font=HEAD_FONT)
    _para(doc, "{% if number %}{{ number }}{% else %}案号：{{ case.number }}{% endif %}", indent=False,
          align=WD_ALIGN_PARAGRAPH.RIGHT, size=12, space_after=8)


def _seal(doc) -> None:
    _para(doc, "", indent=False)
    for line in SEAL_LINES:
        _para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _party_lines(doc) -> None:
    _para(doc, "{%p for p in parties %}", indent=False)
    _para(doc, "当事人：{{ p.name }}", indent=False)
    _para(doc, "{{ p.identifier_label }}：{{ p.identifier }}", indent=False)
    _para(doc, "{% if not p.is_person %}法定代表人（负责人）：{{ p.legal_representative }}{% endif %}", indent=False)
    _para(doc, "住所（地址）：{{ p.address }}{% if p.phone %}　联系电话：{{ p.phone }}{% endif %}", indent=False)
    _para(doc, "{%p endfor %}", indent=False)


def _form(doc, rows: list[tuple[str, str]]) -> None:
    """A two-column bordered form (label | content); a label starting with "*" loops over parties."""
    table = doc.add_table(rows=0, cols=2)
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        if label.startswith("*"):
            _row(table, "{%tr for p in parties %}", "")
            _row(table, label[1:], value)
            _row(table, "{%tr endfor %}", "")
        else:
            _row(table, label, value)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(32), Mm(124)


def _row(table, label: str, value: str) -> None:
    cells = table.add_row().cells
    for cell, text, font in ((cells[0], label, HEAD_FONT), (cells[1], value, BODY_FONT)):
        for i, line in enumerate(text.split("\n")):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.paragraph_format.line_spacing = Pt(20)
            _font(p.add_run(line), font, 12)


SIGN = "\n\n签名：　　　　　　　　　　　　　　年　　月　　日"
PARTY_CELL = ("{{ p.name }}（{{ p.kind }}）\n{{ p.identifier_label }}：{{ p.identifier }}{% if not p.is_person %}；"
              "法定代表人（负责人）：{{ p.legal_representative }}{% endif %}\n住所（地址）：{{ p.address }}")


def filing_approval(doc) -> None:
    _form(doc, [
        ("案由", "{{ case.title }}"),
        ("案件来源", "{{ case.source }}{% if case.source_note %}（{{ case.source_note }}）{% endif %}"),
        ("登记日期", "{{ case.received_text }}"),
        ("执法事项", "{{ case.item }}"),
        ("*当事人", PARTY_CELL),
        ("案情摘要", "{{ case.facts }}"),
        ("承办人", OFFICERS),
        ("承办人意见", "经初步核查，当事人涉嫌违法，符合立案条件，建议立案调查。" + SIGN),
        ("承办机构负责人意见", SIGN),
        ("机关负责人意见", SIGN),
    ])
    _para(doc, "制表日期：{{ date_text }}", indent=False, size=12)


def inspection_record(doc) -> None:
    _para(doc, "检查时间：　　　　年　　月　　日　　时　　分至　　时　　分", indent=False)
    _para(doc, "检查地点：{{ party.address }}", indent=False)
    _party_lines(doc)
    _para(doc, "执法人员：" + OFFICERS, indent=False)
    _para(doc, "案由：{{ case.title }}", indent=False)
    _para(doc, "执法人员向当事人出示了执法证件，告知了检查的依据和当事人申请回避的权利。当事人（在场人）表示不申请回避。")
    _para(doc, "现场检查（勘验）情况", font=HEAD_FONT)
    _para(doc, "{{ case.facts }}")
    _para(doc, "以上笔录经当事人（在场人）核对无误。")
    _para(doc, "当事人（在场人）签名：　　　　　　　执法人员签名：", indent=False)
    _para(doc, "记录人：　　　　　　　　　　　　　　年　　月　　日", indent=False)


def inquiry_record(doc) -> None:
    _para(doc, "询问时间：　　　　年　　月　　日　　时　　分", indent=False)
    _para(doc, "询问地点：{{ agency.address }}", indent=False)
    _para(doc, "询问人：" + OFFICERS, indent=False)
    _para(doc, "被询问人：{% if party.is_person %}{{ party.name }}（{{ party.identifier_label }}：{{ party.identifier }}）"
               "{% else %}{{ party.legal_representative }}（{{ party.name }}法定代表人/负责人）{% endif %}", indent=False)
    _para(doc, "案由：{{ case.title }}", indent=False)
    _para(doc, "问：我们是{{ agency.name }}的执法人员，这是我们的执法证件（出示证件），现依法就{{ case.title }}向你进行询问调查。"
               "你应当如实回答问题，作伪证要承担法律责任。你认为执法人员与本案有利害关系需要回避的，可以申请回避。"
               "你听清楚了吗？是否申请回避？", indent=False)
    _para(doc, "答：", indent=False)
    _para(doc, "问：请介绍你（单位）的基本情况。", indent=False)
    _para(doc, "答：{{ party.name }}，{{ party.address }}。", indent=False)
    _para(doc, "问：经查，{{ case.facts }}对此你（单位）有何说明？", indent=False)
    _para(doc, "答：", indent=False)
    _para(doc, "以上笔录已向被询问人宣读（或由其阅看），被询问人确认无误。")
    _para(doc, "被询问人签名：　　　　　　　　　询问人签名：", indent=False)
    _para(doc, "记录人：　　　　　　　　　　　　　　年　　月　　日", indent=False)


PENALTY = ("{{ m.penalties_text or m.type }}{% if m.fine.present %}，罚款人民币{{ m.fine.upper }}（¥{{ m.fine.value }}）"
           "{% endif %}{% if m.confiscation.present %}，没收人民币{{ m.confiscation.upper }}（¥{{ m.confiscation.value }}）"
           "{% endif %}")
BENCHMARK = ("{% if benchmark %}，参照本机关裁量基准（{{ benchmark.violation }}，情节{{ benchmark.circumstance }}："
             "{{ benchmark.sanction }}）{% endif %}")


def prior_notice(doc) -> None:
    _para(doc, "{{ party_names }}：", indent=False)
    _para(doc, "本机关于{{ case.filed_text or case.received_text }}对你（单位）{{ case.title }}立案调查。经查，{{ case.facts }}")
    _para(doc, "{% set m = proposal %}依据{{ proposal.basis_text or '有关法律、法规、规章' }}的规定" + BENCHMARK
          + "，本机关拟对你（单位）作出如下行政处罚：" + PENALTY + "。")
    _para(doc, "根据《中华人民共和国行政处罚法》第四十四条、第四十五条{% if notice_rights.hearing %}、第六十三条、"
               "第六十四条{% endif %}的规定，现告知如下：")
    _para(doc, "{%p for item in notice_rights['items'] %}", indent=False)
    _para(doc, "{{ loop.index }}．{{ item }}")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "本机关地址：{{ agency.address }}　联系电话：{{ agency.phone }}", indent=False)
    _para(doc, "承办人：" + OFFICERS, indent=False)
    _seal(doc)
    _para(doc, "本文书一式两份，一份送达当事人，一份归档。案号：{{ case.number }}", indent=False, size=10.5)


def hearing_notice(doc) -> None:
    _para(doc, "{{ party_names }}：", indent=False)
    _para(doc, "根据你（单位）{% if hearing.requested_on %}于{{ hearing.requested_on }}{% endif %}提出的听证要求，依据"
               "《中华人民共和国行政处罚法》第六十四条的规定，本机关决定就{{ case.title }}（案号：{{ case.number }}）"
               "举行听证，现将有关事项通知如下：")
    _para(doc, "一、听证时间：{{ hearing.date_text or '　　　　年　　月　　日' }}　　时")
    _para(doc, "二、听证地点：{{ hearing.place or agency.address }}")
    _para(doc, "三、听证主持人：{{ hearing.host or '由本机关指定非本案调查人员担任' }}{% if hearing.host %}（由本机关指定的非本案调查人员担任）{% endif %}。")
    _para(doc, "四、你（单位）享有以下权利和义务：")
    _para(doc, "{%p for item in hearing.rights %}", indent=False)
    _para(doc, "{{ loop.index }}．{{ item }}")
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "请你（单位）按时出席，并携带身份证明、有关证据材料；委托代理人参加的，应当提交授权委托书。")
    _para(doc, "联系电话：{{ agency.phone }}", indent=False)
    _seal(doc)


def decision(doc) -> None:
    _party_lines(doc)
    _para(doc, "{%p if case.procedure_code == 'simple' %}", indent=False)
    _para(doc, "执法人员" + OFFICERS + "当场查明：{{ case.facts }}")
    _para(doc, "{%p else %}", indent=False)
    _para(doc, "本机关于{{ case.filed_text }}对你（单位）{{ case.title }}立案调查{% if closing.notice_served_on %}，于"
               "{{ closing.notice_served_on }}向你（单位）送达了行政处罚事先告知书{% endif %}{% if hearing.concluded_on %}，"
               "并于{{ hearing.concluded_on }}举行了听证{% endif %}。本案现已调查终结。")
    _para(doc, "一、违法事实和证据", font=HEAD_FONT)
    _para(doc, "经查，{{ case.facts }}")
    _para(doc, "{%p endif %}", indent=False)
    _para(doc, "二、行政处罚的种类和依据", font=HEAD_FONT)
    _para(doc, "你（单位）的上述行为违反了有关法律规定。依据下列规定" + BENCHMARK + "：")
    _para(doc, "{%p for a in decision.basis %}", indent=False)
    _para(doc, "{{ a.full }}：{{ a.text }}", size=12)
    _para(doc, "{%p endfor %}", indent=False)
    _para(doc, "{% set m = decision %}本机关决定对你（单位）作出如下行政处罚：" + PENALTY + "。")
    _para(doc, "{% if decision.text %}决定内容：{{ decision.text }}{% endif %}")
    _para(doc, "三、履行方式和期限", font=HEAD_FONT)
    _para(doc, "{{ decision_rights.payment or '本决定自送达之日起生效。' }}")
    _para(doc, "四、救济途径和期限", font=HEAD_FONT)
    _para(doc, "{{ decision_rights.remedy }}")
    _seal(doc)
    _para(doc, "案号：{{ case.number }}。本决定书一式两份，一份送达当事人，一份归档。", indent=False, size=10.5)


def service_receipt(doc) -> None:
    _form(doc, [
        ("案由", "{{ case.title }}（案号：{{ case.number }}）"),
        ("送达文书名称及文号", "{% if service.document.title %}《{{ service.document.title }}》"
                               "{{ service.document.number }}{% endif %}"),
        ("受送达人", "{{ party_names }}"),
        ("送达地点", "{{ party.address }}"),
        ("送达方式", "{{ service.method }}"),
        ("送达时间", "{{ service.served_on or '　　年　　月　　日' }}"),
        ("送达人", OFFICERS),
        ("受送达人签名或盖章", "\n\n　　　　　　　　　　　　　　　　　　年　　月　　日"),
        ("代收人及代收理由", "\n"),
        ("备注", "{% if service.electronic_consent %}当事人已书面同意电子送达。{% endif %}"),
    ])
    _seal(doc)


def closing_approval(doc) -> None:
    _form(doc, [
        ("案由", "{{ case.title }}"),
        ("案号", "{{ case.number }}"),
        ("立案日期", "{{ case.filed_text }}"),
        ("*当事人", "{{ p.name }}（{{ p.identifier_label }}：{{ p.identifier }}）"),
        ("处理结果", "{% if decision.type_code == 'penalty' %}{{ decision.penalties_text }}{% if decision.fine.present %}，"
                     "罚款人民币{{ decision.fine.value }}元{% endif %}{% else %}{{ decision.type or case.state }}"
                     "{% endif %}{% if closing.ending_reason %}：{{ closing.ending_reason }}{% endif %}"),
        ("执行情况", "{{ closing.execution_note }}{% if closing.executed_on %}（{{ closing.executed_on }}执行完毕）{% endif %}"),
        ("承办人", OFFICERS),
        ("承办人意见", "本案处理决定已执行完毕（或依法终结），建议结案。" + SIGN),
        ("承办机构负责人意见", SIGN),
        ("机关负责人意见", SIGN),
    ])
    _para(doc, "制表日期：{{ date_text }}", indent=False, size=12)


def legal_review_opinion(doc) -> None:
    _form(doc, [
        ("案由", "{{ case.title }}"),
        ("案号", "{{ case.number }}（第{{ review.version }}次送审）"),
        ("*当事人", "{{ p.name }}（{{ p.identifier_label }}：{{ p.identifier }}）"),
        ("送审人", "{{ review.submitted_by }}（{{ review.submitted_text }}送审）"),
        ("承办人", OFFICERS),
        ("重大执法决定认定情形", "{{ review.major_rules | join('；') or case.major_reason }}"),
        ("违法事实", "{{ review.proposal.facts }}"),
        ("拟处理意见", "{% set m = review.proposal %}" + PENALTY + "{% if m.text %}。{{ m.text }}{% endif %}"),
        ("拟适用依据", "{{ review.proposal.basis_text }}{% if review.proposal.benchmark %}；裁量基准："
                      "{{ review.proposal.benchmark }}{% endif %}"),
    ])
    _para(doc, "一、审核要点", font=HEAD_FONT)
    table = doc.add_table(rows=0, cols=3)
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for texts in (("审核内容", "结论", "说明"), ("{%tr for pt in review.points %}", "", ""),
                  ("{{ pt.index }}．{{ pt.label }}", "{{ pt.finding_label }}", "{{ pt.note }}"),
                  ("{%tr endfor %}", "", "")):
        cells = table.add_row().cells
        for cell, text in zip(cells, texts, strict=True):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = Pt(20)
            _font(p.add_run(text), BODY_FONT, 12)
    _para(doc, "二、审核结论：{{ review.outcome_label }}", font=HEAD_FONT)
    _para(doc, "{% if review.problems %}存在的问题：{{ review.problems }}{% endif %}")
    _para(doc, "{% if review.suggestions %}审核建议：{{ review.suggestions }}{% endif %}")
    _para(doc, "审核意见：{{ review.text }}")
    _para(doc, "法制审核人员：{{ review.reviewer }}　　审核日期：{{ review.given_text }}", indent=False)
    _seal(doc)
    _para(doc, "依据《中华人民共和国行政处罚法》第五十八条：未经法制审核或者审核未通过的，不得作出决定。", indent=False,
          size=10.5)


BODIES: dict[str, Callable] = {
    "filing_approval": filing_approval, "inspection_record": inspection_record, "inquiry_record": inquiry_record,
    "prior_notice": prior_notice, "hearing_notice": hearing_notice, "decision": decision,
    "service_receipt": service_receipt, "closing_approval": closing_approval,
    "legal_review_opinion": legal_review_opinion,
}


def build(kind: str, path: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(30), Mm(28), Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.author = "三项制度执法平台"
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    _header(doc)
    BODIES[kind](doc)
    doc.save(path)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for kind in BODIES:
        build(kind, OUT / f"{kind}.docx")
        print(OUT / f"{kind}.docx")


if __name__ == "__main__":
    main()
