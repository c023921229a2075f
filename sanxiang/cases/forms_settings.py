"""Forms of the case settings pages. They parse input; the rules live in services/settings.py."""

from django import forms

from sanxiang.accounts.services import ServiceError
from sanxiang.cases.models import DEFAULT_CASE_PATTERN, DEFAULT_DOCUMENT_PATTERN
from sanxiang.cases.numbering import DEFAULT_CATEGORY_SHORT_NAMES
from sanxiang.cases.rules import DEFAULT_RULES
from sanxiang.cases.services.settings import parse_dates

DATES_HELP = "每行一个日期或一个范围，如 2027-02-05 或 2027-02-05~2027-02-11（含首尾两天）。"
CATEGORY_LABELS = {
    "penalty": "行政处罚", "penalty_simple": "行政处罚（简易程序）", "coercion": "行政强制", "inspection": "行政检查",
    "license": "行政许可", "levy": "行政征收", "fee": "行政收费", "other": "其他",
}


class DatesField(forms.CharField):
    """A textarea of dates and ranges, cleaned to a sorted list of dates."""

    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "2027-02-05~2027-02-11"})

    def clean(self, value: str) -> list:  # type: ignore[override]
        text = super().clean(value)
        try:
            return parse_dates(text or "")
        except ServiceError as error:
            raise forms.ValidationError(str(error)) from None


class HolidayForm(forms.Form):
    holidays = DatesField(label="放假日期", help_text="法定节假日及调休放假的全部日期（含其中的周末）。" + DATES_HELP)
    workdays = DatesField(label="调休上班日期", required=False, help_text="调为工作日的周六、周日。" + DATES_HELP)
    source = forms.CharField(label="来源", max_length=200, help_text="国务院办公厅通知的名称和文号。")


class RuleForm(forms.Form):
    code = forms.ChoiceField(choices=[(r.code, r.label) for r in DEFAULT_RULES.values()], widget=forms.HiddenInput)
    value = forms.IntegerField(label="本机关的值", min_value=0)
    note = forms.CharField(label="依据或说明", max_length=300, required=False)


class NumberingForm(forms.Form):
    case_number_pattern = forms.CharField(
        label="案件编号规则", max_length=100, initial=DEFAULT_CASE_PATTERN,
        help_text="占位符：{机关简称}{类别简称}{年}{序号}；{序号:4} 表示补零到4位。须含 {类别简称}、{年}、{序号}。")
    document_number_pattern = forms.CharField(
        label="文书编号规则", max_length=100, initial=DEFAULT_DOCUMENT_PATTERN,
        help_text="占位符：{机关简称}{文书简称}{年}{序号}。须含 {文书简称}、{年}、{序号}。")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for code, default in DEFAULT_CATEGORY_SHORT_NAMES.items():
            self.fields[f"short_{code}"] = forms.CharField(
                label=f"类别简称：{CATEGORY_LABELS.get(code, code)}", max_length=10, required=False,
                help_text=f"留空使用默认值“{default}”。", widget=forms.TextInput(attrs={"placeholder": default}))

    def short_names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"short_{code}", "") for code in DEFAULT_CATEGORY_SHORT_NAMES}

    @classmethod
    def initial_for(cls, conf: object) -> dict[str, str]:
        initial = {"case_number_pattern": conf.case_number_pattern,
                   "document_number_pattern": conf.document_number_pattern}
        initial.update({f"short_{k}": v for k, v in (conf.category_short_names or {}).items()})
        return initial


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: object) -> str:
        return f"{obj.name}（{obj.certificate_number}）"  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    """An officer's declared relationship; ``officers`` are those the user may declare for."""

    officer = OfficerChoiceField(label="执法人员", queryset=None)
    party_name = forms.CharField(label="对方姓名或名称", max_length=200)
    party_identifier = forms.CharField(label="对方身份证号码或统一社会信用代码", max_length=18, required=False,
                                       help_text="填写后按证件号码比对当事人，否则按姓名或名称比对。")
    relation = forms.CharField(label="关系", max_length=100, help_text="如“近亲属”“曾任职”“有经济往来”。")

    def __init__(self, *args: object, officers: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
