"""Forms of the plan and result pages (thin: the services check every rule)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.inspections.choices import TaskResult
from sanxiang.registry.choices import RiskLevel, TargetKind
from sanxiang.registry.models import RandomInspectionItem


class PlanForm(forms.Form):
    item = forms.ModelChoiceField(RandomInspectionItem.objects.none(), label="抽查事项")
    title = forms.CharField(label="计划名称", max_length=200)
    kind = forms.MultipleChoiceField(label="对象类型（不选为不限）", choices=TargetKind.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    industry = forms.CharField(label="行业（多个用顿号或逗号分隔，空为不限）", required=False, max_length=300)
    high = forms.CharField(label="高风险：抽查比例 % 或 “n个”", required=False, initial="20")
    medium = forms.CharField(label="中风险：抽查比例 % 或 “n个”", required=False, initial="10")
    low = forms.CharField(label="低风险：抽查比例 % 或 “n个”", required=False, initial="5")
    inspectors_per_target = forms.IntegerField(label="每个对象的检查人员数", min_value=2, initial=2,
                                               help_text="不少于 2 人（行政处罚法第四十二条）")
    conflict_days = forms.IntegerField(label="回避期限（天）", min_value=0, initial=365)
    period_start = forms.DateField(label="检查开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="检查结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    joint_agencies = forms.ModelMultipleChoiceField(Agency.objects.none(), label="联合抽查部门（跨部门联合抽查）",
                                                    required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = RandomInspectionItem.objects.filter(agency_id=user.agency_id)
        self.fields["joint_agencies"].queryset = (Agency.objects.filter(jurisdiction=user.agency.jurisdiction)
                                                  .exclude(pk=user.agency_id))
        today = timezone.localdate()
        self.fields["period_start"].initial = today
        self.fields["period_end"].initial = today + dt.timedelta(days=90)

    def strata(self) -> list[dict]:
        out = []
        for key in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW):
            text = (self.cleaned_data.get(key) or "").strip().rstrip("%％")
            if not text:
                continue
            if text.endswith("个"):
                out.append({"key": key, "count": text[:-1].strip()})
            else:
                out.append({"key": key, "percent": text})
        return out

    def target_filter(self) -> dict:
        industries = [s.strip() for s in self.cleaned_data.get("industry", "").replace("，", ",").replace("、", ",")
                      .split(",") if s.strip()]
        return {"kind": self.cleaned_data.get("kind") or [], "industry": industries}


class ResultForm(forms.Form):
    result = forms.ChoiceField(label="检查结果", choices=[c for c in TaskResult.choices if c[0]])
    note = forms.CharField(label="结果说明", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="发现问题、未找到对象或不配合检查时必填。")
    legal_representative = forms.CharField(label="法定代表人或负责人（转立案时必填）", required=False, max_length=50)
    recording_missing_reason = forms.CharField(
        label="未能音像记录的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="本次检查没有上传录音或录像时必填（如执法记录仪故障），记入全过程记录。")


class RecordingForm(forms.Form):
    file = forms.FileField(label="文件", help_text="录音、录像或照片；类型按文件内容识别。")
    recorded_at = forms.DateTimeField(label="记录时间", initial=timezone.localtime,
                                      widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M",
                                                                 attrs={"type": "datetime-local"}))
    place = forms.CharField(label="记录地点", max_length=200)
    device = forms.CharField(label="记录设备", max_length=100, required=False, help_text="如执法记录仪编号。")


class RandomnessForm(forms.Form):
    beacon = forms.CharField(label="公共信标值（可选，仅司法局监督人员）", required=False, max_length=200)
