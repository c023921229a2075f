"""The publisher's form for a service guide."""

from __future__ import annotations

from django import forms

from sanxiang.accounts.models import User
from sanxiang.disclosure.models import ServiceGuide
from sanxiang.registry.models import EnforcementItem

GUIDE_FIELDS = ["name", "item", "basis", "accepting_office", "approving_office", "conditions", "materials",
                "process", "time_limit", "fees", "supervision", "accountability", "remedies", "hours",
                "address", "phone", "is_public"]


class GuideForm(forms.ModelForm):
    class Meta:
        model = ServiceGuide
        fields = GUIDE_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("basis", "conditions", "materials", "process", "supervision", "accountability", "remedies")}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only the publisher's own agency's items may be chosen.
        self.fields["item"].queryset = EnforcementItem.objects.filter(agency_id=user.agency_id)
