"""A complete example context for every document kind: uploads are test-rendered with it, and
the template pages show its field names. A test keeps its keys equal to :func:`build_context`'s."""

from __future__ import annotations

from sanxiang.cases.choices import DocumentKind

_ARTICLE = {"law": "中华人民共和国食品安全法", "label": "第一百二十四条", "full": "《中华人民共和国食品安全法》第一百二十四条",
            "text": "违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得……"}
# A synthetic 统一社会信用代码 with a correct GB 32100 check character (no real company).
_PARTY = {"kind": "法人", "kind_code": "legal_person", "is_person": False, "name": "示例食品有限公司",
          "id_number": "", "uscc": "91330100MA2B3C4D5N", "legal_representative": "赵某",
          "identifier_label": "统一社会信用代码", "identifier": "91330100MA2B3C4D5N",
          "address": "示例市示例区示例路1号", "phone": "0571-88000000"}


def _measure(type_label: str) -> dict:
    return {"type": type_label, "type_code": "penalty", "penalties": ["警告", "罚款"], "penalties_text": "警告、罚款",
            "fine": {"value": "5,000.00", "upper": "伍仟元整", "present": True},
            "confiscation": {"value": "", "upper": "", "present": False}, "text": "警告，并处罚款五千元",
            "basis": [_ARTICLE], "basis_text": _ARTICLE["full"]}


def _review() -> dict:
    """The 法制审核意见书's own section (see sanxiang.review.documents.review_context)."""
    from sanxiang.review.choices import REVIEW_POINTS

    proposal = {**_measure("给予行政处罚"), "basis": [_ARTICLE["full"]], "benchmark": "经营超过保质期的食品（一般）",
                "facts": "当事人在其经营场所销售超过保质期的牛奶12盒。"}
    points = [{"index": i, "code": code, "label": label, "finding": "ok", "finding_label": "符合", "note": ""}
              for i, (code, label) in enumerate(REVIEW_POINTS, start=1)]
    return {"version": 1, "submitted_on": "2026-11-16", "submitted_text": "2026年11月16日", "submitted_by": "钱某",
            "due_text": "2026年11月23日", "proposal": proposal, "major_rules": ["对法人或其他组织处以较大数额罚款"],
            "materials": [{"label": "调查终结报告", "ok": True, "detail": ""}], "points": points,
            "outcome": "agree", "outcome_label": "同意", "problems": "", "suggestions": "",
            "text": "经审核，同意拟处理意见。", "reviewer": "孙某", "given_on": "2026-11-20", "given_text": "2026年11月20日"}


def demo_context(kind: str) -> dict:
    extra = {"review": _review()} if kind == DocumentKind.LEGAL_REVIEW_OPINION else {}
    return {**extra,
        "kind": kind, "title": DocumentKind(kind).label, "number": "示例罚决〔2026〕1号", "reference": "示例罚决〔2026〕1号",
        "date": "2026-11-22", "date_text": "2026年11月22日", "date_cn": "二〇二六年十一月二十二日",
        "agency": {"name": "示例市市场监督管理局", "short_name": "示例市场", "address": "示例市人民路1号",
                   "phone": "0571-12345678", "uscc": "11330100000000000X"},
        "case": {"number": "示例市场罚〔2026〕1号", "title": "示例食品有限公司经营过期食品案", "procedure": "普通程序",
                 "procedure_code": "normal", "source": "投诉举报", "source_note": "", "received_on": "2026-09-01",
                 "received_text": "2026年9月1日", "filed_on": "2026-09-03", "filed_text": "2026年9月3日",
                 "facts": "当事人在其经营场所销售超过保质期的牛奶12盒。", "item": "对经营超过保质期食品的行政处罚",
                 "item_code": "CF-00001", "item_basis": [_ARTICLE], "is_major": False, "major_reason": "",
                 "state": "待决定"},
        "parties": [_PARTY], "party": _PARTY, "party_names": _PARTY["name"],
        "officers": [{"name": "王某", "certificate": "33010000001", "role": "主办", "position": "科员"},
                     {"name": "李某", "certificate": "33010000002", "role": "协办", "position": "科员"}],
        "proposal": _measure("给予行政处罚"), "decision": _measure("给予行政处罚"),
        "benchmark": {"violation": "经营超过保质期的食品", "circumstance": "一般", "sanction": "警告，并处罚款",
                      "conditions": "", "fine_min": "5,000.00", "fine_max": "10,000.00"},
        "notice_rights": {"statement_days": 5, "hearing": True, "hearing_days": 5,
                          "items": ["你（单位）有权进行陈述和申辩。", "你（单位）有权要求举行听证。"]},
        "decision_rights": {"payment_days": 15, "payment": "请于收到本决定书之日起十五日内缴纳罚款。",
                            "review_days": 60, "litigation_months": 6, "remedy": "如不服本决定，可以依法申请行政复议或者提起行政诉讼。"},
        "hearing": {"requested_on": "2026年9月20日", "notified_on": "2026年9月22日", "date": "2026-10-10",
                    "date_text": "2026年10月10日", "concluded_on": "", "place": "示例市示例路1号本机关听证室",
                    "host": "周主持", "rights": ["当事人有权申请回避。"]},
        "service": {"method": "直接送达", "served_on": "2026年11月23日", "electronic_consent": False,
                    "document": {"title": "行政处罚决定书", "number": "示例罚决〔2026〕1号"}},
        "closing": {"decided_on": "2026年11月22日", "executed_on": "2026年11月30日", "execution_note": "已缴纳罚款",
                    "closed_on": "", "ending_reason": "", "notice_served_on": "2026年9月15日", "statement_waived": False,
                    "collective_minutes": "", "legal_review_passed": False},
    }
