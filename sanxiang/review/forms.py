"""Forms of the legal review pages. They only parse and check the input; the services in
:mod:`sanxiang.review.services` decide and record, and their refusals are shown as form errors."""

from __future__ import annotations

from django import forms

from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.review.choices import REVIEW_POINTS, CollectiveConclusion, Finding, Outcome
from sanxiang.review.services import CONSULTATION_RESULTS

CONSULTATION_CHOICES = [(code, summary) for code, (_status, summary) in CONSULTATION_RESULTS.items()]


def _text(label: str, rows: int = 4, required: bool = True, help_text: str = "", max_length: int | None = None):
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


def reviewer_choices(reviewers: list[User]) -> list[tuple[str, str]]:
    """Eligible reviewers (as :func:`services.eligible_reviewers` lists them) with their open load."""
    found = []
    for user in reviewers:
        load = getattr(user, "load", None)
        name = user.get_full_name() or user.username
        found.append((str(user.pk), f"{name}（在审 {load} 件）" if load is not None else name))
    return found


class SubmitForm(forms.Form):
    """送审: the materials the handler writes, and optionally the reviewer (default: least loaded)."""

    investigation_report = _text("调查终结报告", 6, help_text="查明的事实、证据、处理建议。")
    discretion_note = _text("裁量基准适用说明", 4, required=False,
                            help_text="拟给予行政处罚的，须说明适用的裁量基准档次及理由。")
    hearing_record = _text("听证笔录", 4, required=False, help_text="已上传听证记录的，可不填写。")
    reviewer = forms.ChoiceField(label="法制审核人员", required=False,
                                 help_text="本机关的法制审核人员；本案承办人须回避。不选择的，由系统分配在审件数最少者。")

    def __init__(self, *args: object, case: Case, reviewers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not case.hearing_concluded_on:
            del self.fields["hearing_record"]
        self.fields["reviewer"].choices = [("", "由系统分配")] + reviewer_choices(reviewers)

    def texts(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("investigation_report", "discretion_note", "hearing_record")}

    def reviewer_pk(self) -> int | None:
        value = self.cleaned_data.get("reviewer")
        return int(value) if value else None


class OpinionForm(forms.Form):
    """审核意见: a finding and a note for each of the 10 审核要点, the outcome and the texts."""

    outcome = forms.ChoiceField(label="审核结论", choices=Outcome.choices, widget=forms.RadioSelect)
    problems = _text("存在的问题", 3, required=False, help_text="结论为“存在问题”时必填：逐项写明问题。")
    suggestions = _text("审核建议", 3, required=False)
    text = _text("审核意见", 5, help_text="写入《法制审核意见书》的意见正文。")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for code, label in REVIEW_POINTS:
            self.fields[f"finding_{code}"] = forms.ChoiceField(
                label=label, choices=Finding.choices, required=False, widget=forms.RadioSelect)
            self.fields[f"note_{code}"] = forms.CharField(
                label=f"{label}：说明", required=False, max_length=500,
                widget=forms.TextInput(attrs={"placeholder": "说明（存在问题时写明）"}))

    def points(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [(code, label, self[f"finding_{code}"], self[f"note_{code}"]) for code, label in REVIEW_POINTS]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("outcome", "problems", "suggestions", "text")]

    def findings(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {code: {"finding": data.get(f"finding_{code}") or "", "note": data.get(f"note_{code}") or ""}
                for code, _ in REVIEW_POINTS}

    def opinion_data(self) -> dict[str, object]:
        data = self.cleaned_data
        return {"outcome": data["outcome"], "findings": self.findings(), "text": data["text"],
                "problems": data["problems"], "suggestions": data["suggestions"]}


class ExtendForm(forms.Form):
    reason = forms.CharField(label="延长审核期限的理由", max_length=300,
                             help_text="审核期限只能延长一次（按本机关规定的工作日数）。")


class ReassignForm(forms.Form):
    reviewer = forms.ChoiceField(label="改派给")

    def __init__(self, *args: object, reviewers: list[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = reviewer_choices(reviewers)


class ObjectionForm(forms.Form):
    text = _text("书面异议", 4, help_text="对“存在问题”的审核意见有不同意见的，写明理由；随后由审核人员与承办机构协商。")


class ConsultationForm(forms.Form):
    record = _text("协商记录", 4)
    result = forms.ChoiceField(label="协商结果", choices=CONSULTATION_CHOICES, widget=forms.RadioSelect)


class CollectiveForm(forms.Form):
    members = forms.CharField(label="参加集体讨论人员", max_length=300)
    minutes = _text("集体讨论记录", 5)
    conclusion = forms.ChoiceField(label="集体讨论结论", choices=CollectiveConclusion.choices, widget=forms.RadioSelect)
