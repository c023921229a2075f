"""Forms of the case pages. They only parse and check input; the services decide and record.

Choice lists are narrowed to what the user may use: the own agency's enforcement items and the
own agency's officers whose certificates are valid today.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from sanxiang.accounts.access import restrict
from sanxiang.accounts.models import User
from sanxiang.cases.choices import PartyKind, PauseKind, PenaltyKind, Procedure, ServiceMethod
from sanxiang.cases.lifecycle import Transition
from sanxiang.cases.models import Case, Party
from sanxiang.disclosure.choices import WithdrawalKind
from sanxiang.registry.forms import ArticleChoiceField, DateInput
from sanxiang.registry.models import Article, DiscretionBenchmark, EnforcementItem, Officer

ARTICLE_SEARCH_LIMIT = 50

# 登记决定变更 (record_decision_change): what became of the decision (行政处罚法第四十八条第二款).
DECISION_CHANGES = [(k.value, k.label) for k in WithdrawalKind if k != WithdrawalKind.ERROR]


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return f"{obj.name}（执法证 {obj.certificate_number}）"


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Officer) -> str:
        return obj.name


def own_items(user: User) -> QuerySet[EnforcementItem]:
    return restrict(EnforcementItem.objects.filter(agency_id=user.agency_id), user)


def assignable_officers(user: User) -> QuerySet[Officer]:
    """Officers of the user's agency who may enforce today (行政处罚法 art. 42)."""
    return restrict(Officer.objects.enforceable().filter(agency_id=user.agency_id), user).order_by("name", "id")


# ---------------------------------------------------------------- parties


class PartyForm(forms.ModelForm):
    """当事人. A natural person needs a 身份证 number; a legal person or other organisation needs a
    USCC and a legal representative (checked by :meth:`Party.clean`, with Chinese messages)."""

    class Meta:
        model = Party
        fields = ["kind", "name", "id_number", "uscc", "legal_representative", "address", "phone"]
        widgets = {"kind": forms.RadioSelect(attrs={"class": "choices"})}
        help_texts = {"id_number": "自然人填写，18位。", "uscc": "法人或其他组织填写，18位。",
                      "legal_representative": "法人或其他组织填写。"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PartyKind.choices  # no empty radio button

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()

    def clean_uscc(self) -> str:
        return self.cleaned_data["uscc"].strip().upper()

    def clean(self) -> dict:
        data = super().clean()
        # Keep only the identifier that fits the kind, so a switched kind leaves no stray number.
        if data.get("kind") == PartyKind.NATURAL_PERSON:
            data["uscc"], data["legal_representative"] = "", ""
        elif data.get("kind"):
            data["id_number"] = ""
        return data

    def party_data(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# ---------------------------------------------------------------- registering a case


class OfficersMixin(forms.Form):
    """Handling officers (at least two) and the lead among them."""

    officers = OfficerChoiceField(queryset=Officer.objects.none(), label="承办人",
                                  widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
                                  help_text="本机关执法证有效的执法人员，不少于两人（行政处罚法第四十二条）。")
    lead = LeadChoiceField(queryset=Officer.objects.none(), label="主办人", empty_label="请选择")

    def set_officers(self, user: User) -> None:
        self.fields["officers"].queryset = assignable_officers(user)
        self.fields["lead"].queryset = assignable_officers(user)
        own = Officer.objects.filter(user=user).first()
        if own is not None and not self.is_bound:
            self.initial.setdefault("officers", [own.pk])
            self.initial.setdefault("lead", own.pk)

    def clean(self) -> dict:
        data = super().clean()
        officers, lead = list(data.get("officers") or []), data.get("lead")
        if "officers" in data and len(officers) < 2:
            self.add_error("officers", "承办人不得少于两人（行政处罚法第四十二条）")
        if lead is not None and officers and lead not in officers:
            self.add_error("lead", "主办人须在所选承办人之中")
        return data


class CaseForm(OfficersMixin, forms.ModelForm):
    """线索登记: the case's own data plus its handling officers."""

    class Meta:
        model = Case
        fields = ["title", "source", "source_note", "item", "procedure", "received_on", "facts"]
        widgets = {"received_on": DateInput(), "procedure": forms.RadioSelect(attrs={"class": "choices"}),
                   "facts": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = own_items(user)
        self.fields["item"].empty_label = "请选择本机关的执法事项"
        self.fields["procedure"].initial = Procedure.NORMAL
        self.fields["received_on"].initial = timezone.localdate
        self.set_officers(user)

    def case_data(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class HandlersForm(OfficersMixin):
    def __init__(self, *args: object, user: User, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.set_officers(user)
        if not self.is_bound:
            handlers = list(case.handlers.all())
            self.initial["officers"] = [h.officer_id for h in handlers]
            lead = next((h.officer_id for h in handlers if h.role == "lead"), None)
            self.initial["lead"] = lead


# ---------------------------------------------------------------- recusal (回避)


class RecusalRequestForm(forms.Form):
    officer = LeadChoiceField(queryset=Officer.objects.none(), label="申请回避的承办人", empty_label="请选择")
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="当事人提出的理由，如与承办人有亲属关系。")

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(handled__case=case).order_by("name")


class RecusalDecisionForm(forms.Form):
    granted = forms.TypedChoiceField(label="决定", choices=[("1", "决定回避"), ("0", "驳回申请")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect(attrs={"class": "choices"}))
    note = forms.CharField(label="决定说明", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 3}))


# ---------------------------------------------------------------- lifecycle steps

# The date a step happened, named for each step ("on"; today when left empty).
ON_LABELS = {
    "approve_filing": "立案日期（批准之日）", "issue_notice": "告知书送达日期", "request_hearing": "当事人要求听证日期", "schedule_hearing": "听证通知送达日期",
    "request_filing": "提请立案日期", "reject_filing": "决定不予立案日期", "end_investigation": "调查终结日期",
    "revoke_filing": "撤销立案日期", "transfer": "移送日期", "submit_legal_review": "送审日期",
    "pass_legal_review": "审核日期", "return_legal_review": "退回日期", "conclude_notice": "告知期满日期",
    "request_collective": "提交集体讨论日期",
    "conclude_hearing": "听证结束日期", "conclude_collective": "集体讨论日期", "decide": "决定日期",
    "decide_no_penalty": "决定日期", "serve": "送达日期", "record_execution": "执行完毕日期", "close": "结案日期",
    "archive": "归档日期", "record_preservation": "采取先行登记保存措施的日期",
    "resolve_preservation": "作出处理决定的日期", "pause_clock": "中止开始日期", "resume_clock": "恢复计算日期",
    "decide_on_the_spot": "当场处罚日期",
}
NOTE_LABELS = {"record_execution": "执行情况", "approve_filing": "审批意见"}


def _step_field(name: str, transition: Transition) -> forms.Field:
    """The input of ``name`` for ``transition``. Nothing is required here: the service checks
    each step's preconditions and names what is missing."""
    textarea = forms.Textarea(attrs={"rows": 4})
    fields = {
        "on": lambda: forms.DateField(label=ON_LABELS.get(transition.name, "办理日期"), required=False,
                                      widget=DateInput(), help_text="不填为今天；补录纸质办理环节时填写实际日期。"),
        "reason": lambda: forms.CharField(label="理由", required=False, widget=textarea),
        "method": lambda: forms.ChoiceField(label="送达方式", required=False,
                                            choices=[("", "请选择")] + ServiceMethod.choices),
        "electronic_consent": lambda: forms.BooleanField(label="当事人已书面同意电子送达", required=False),
        "waived": lambda: forms.BooleanField(label="当事人明确放弃陈述、申辩和听证", required=False,
                                             help_text="未放弃的，须待陈述申辩（及要求听证）期限届满。"),
        "hearing_date": lambda: forms.DateField(label="举行听证日期", required=False, widget=DateInput(),
                                                help_text="须在通知送达之日七个工作日以后（行政处罚法第六十四条）。"),
        "hearing_place": lambda: forms.CharField(label="听证地点", required=False, max_length=200,
                                                 help_text="不填为本机关地址。"),
        "hearing_host": lambda: forms.CharField(label="听证主持人", required=False, max_length=50,
                                                help_text="须为本机关指定的非本案调查人员（行政处罚法第六十四条第四项）。"),
        "minutes": lambda: forms.CharField(label="集体讨论记录", required=False, widget=textarea),
        "days": lambda: forms.IntegerField(label="延长天数", required=False, min_value=1),
        "kind": lambda: forms.ChoiceField(label="中止类型", required=False, choices=[("", "请选择")] + PauseKind.choices),
        "change_kind": lambda: forms.ChoiceField(label="决定变化的情形", required=False,
                                                 choices=[("", "请选择"), *DECISION_CHANGES]),
        "note": lambda: forms.CharField(label=NOTE_LABELS.get(transition.name, "说明"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3})),
    }
    if name not in fields:  # a field new to the lifecycle still gets an input until it gets its own
        return forms.CharField(label=name, required=False)
    return fields[name]()


class TransitionForm(forms.Form):
    """The inputs of one lifecycle step (``transition.fields``)."""

    def __init__(self, *args: object, transition: Transition, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.transition = transition
        for name in transition.fields:
            self.fields[name] = _step_field(name, transition)

    def step_data(self) -> dict[str, object]:
        """The values to hand to ``services.perform`` (empty inputs left out)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


# ---------------------------------------------------------------- editing the case data


def article_choices(case: Case, user: User, selected: Iterable[int | str], query: str) -> QuerySet[Article]:
    """Articles offered as legal basis: every article of the laws cited by the case's item, the
    ones already chosen, and up to 50 found by ``query`` (law title, article label, text or number)."""
    condition = Q(pk__in=[int(v) for v in selected if str(v).isdigit()])
    if case.item_id:
        condition |= Q(law__in=case.item.legal_basis.values("law"))
    query = query.strip()
    if query:
        found = Q(law__title__icontains=query) | Q(label__icontains=query) | Q(text__icontains=query)
        if query.isdigit():
            found |= Q(number=int(query))
        ids = list(restrict(Article.objects.filter(found), user).order_by("law__title", "number")
                   .values_list("pk", flat=True)[:ARTICLE_SEARCH_LIMIT])
        condition |= Q(pk__in=ids)
    return restrict(Article.objects.filter(condition), user).select_related("law").order_by("law__title", "number")


class CaseEditForm(forms.ModelForm):
    """The case fields editable in the case's current step; built per case by :func:`edit_form_class`."""

    def __init__(self, *args: object, user: User, article_query: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        case = self.instance
        for name, field in list(self.fields.items()):
            if name.endswith("_penalties"):
                self.fields[name] = forms.MultipleChoiceField(
                    label=field.label, required=False, choices=PenaltyKind.choices,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}))
            elif name.endswith("_basis"):
                selected = self.data.getlist(self.add_prefix(name)) if self.is_bound else [
                    a.pk for a in getattr(case, name).all()]
                self.fields[name] = ArticleChoiceField(
                    queryset=article_choices(case, user, selected, article_query), required=False,
                    label=field.label, widget=forms.SelectMultiple(attrs={"size": 10, "class": "article-picker"}),
                    help_text="列出本案执法事项所依据法规的全部条款；其他条款请用上方的“查找条款”搜索后选择。"
                              "电脑上按住 Ctrl 可多选。")
        for name in ("proposed_type", "decision_type", "source"):
            if name in self.fields:
                self.fields[name].choices = [("", "请选择")] + list(self.fields[name].choices)[1:]
        if "item" in self.fields:
            self.fields["item"].queryset = own_items(user)
            self.fields["item"].empty_label = "请选择本机关的执法事项"
        if "benchmark" in self.fields:
            self.fields["benchmark"].empty_label = "未适用裁量基准"
            self.fields["benchmark"].queryset = restrict(
                DiscretionBenchmark.objects.filter(item_id=case.item_id), user)
        if "is_major" in self.fields and case.is_major:
            self.fields["is_major"].disabled = True
            self.fields["is_major"].help_text = "已认定为重大执法决定，不能改回。"

    def changes(self) -> dict[str, object]:
        """The changed fields as ``services.update_case`` takes them (articles by id)."""
        found: dict[str, object] = {}
        for name in self.changed_data:
            if self.fields[name].disabled:
                continue
            value = self.cleaned_data[name]
            found[name] = [a.pk for a in value] if name.endswith("_basis") else value
        return found


def edit_form_class(names: list[str]) -> type[CaseEditForm]:
    widgets = {name: DateInput() for name in ("received_on",)}
    widgets.update({name: forms.Textarea(attrs={"rows": 4})
                    for name in ("facts", "proposal_text", "decision_text")})
    return forms.modelform_factory(Case, form=CaseEditForm, fields=names, widgets=widgets)
