from django import forms
from django.utils import timezone

from sanxiang.cases.models import Case
from sanxiang.evidence.choices import EvidenceCategory
from sanxiang.registry.models import Officer


class EvidenceForm(forms.Form):
    file = forms.FileField(label="文件", help_text="照片、录音、录像或文档；类型按文件内容识别。")
    category = forms.ChoiceField(label="证据种类", choices=[("", "请选择")] + EvidenceCategory.choices)
    proves = forms.CharField(label="证明对象", max_length=300, help_text="该证据用以证明的事实。")
    recorded_at = forms.DateTimeField(label="记录时间", initial=timezone.localtime,
                                      widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M",
                                                                 attrs={"type": "datetime-local"}))
    place = forms.CharField(label="记录地点", max_length=200)
    recorder = forms.ModelChoiceField(label="记录人", queryset=Officer.objects.none(), empty_label="请选择")
    device = forms.CharField(label="记录设备", max_length=100, required=False, help_text="如执法记录仪编号、相机型号。")

    def __init__(self, *args: object, case: Case, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorder"].queryset = Officer.objects.filter(agency=case.agency).enforceable()
        self.fields["recorder"].initial = case.handlers.filter(role="lead").values_list("officer", flat=True).first()
