"""Create/edit forms of the registries, built from the model of each registry entry.

The agency is never a form field: the services put new rows in the user's own agency. Choice
lists of related rows are narrowed to what the user may use, through the access layer.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from sanxiang.accounts.access import Action, restrict
from sanxiang.accounts.models import Jurisdiction, User
from sanxiang.pages import KIND_LIST_FIELDS
from sanxiang.registry.choices import EnforcementKind
from sanxiang.registry.models import Article, EnforcementItem
from sanxiang.registry.registries import RegistryEntry


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ArticleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Article) -> str:
        return f"《{obj.law.title}》{obj.label}"


def kind_list_field(model_field: models.Field) -> forms.MultipleChoiceField:
    """A check-box list of :class:`EnforcementKind` for a JSON list field."""
    return forms.MultipleChoiceField(
        label=model_field.verbose_name, help_text="可多选。", required=False,
        choices=EnforcementKind.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
    )


class RegistryForm(forms.ModelForm):
    """Base of every registry form; ``user`` narrows the choices of related rows."""

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in list(self.fields.items()):
            model_field = self._meta.model._meta.get_field(name)
            if name in KIND_LIST_FIELDS:
                self.fields[name] = kind_list_field(model_field)
            elif isinstance(model_field, models.DateField):
                field.widget = DateInput()
        self._narrow_related()

    def _narrow_related(self) -> None:
        narrowed = {
            "user": restrict(User.objects.all(), self.user, Action.CHANGE),
            "item": restrict(EnforcementItem.objects.all(), self.user, Action.CHANGE),
            "region": self._regions(),
        }
        for name, queryset in narrowed.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
        if "legal_basis" in self.fields:
            old = self.fields["legal_basis"]
            self.fields["legal_basis"] = ArticleChoiceField(
                queryset=restrict(Article.objects.select_related("law"), self.user),
                required=False, label=old.label,
                help_text="按住 Ctrl（手机上直接点选）可选择多条。",
                widget=forms.SelectMultiple(attrs={"size": 12}),
            )

    def _regions(self) -> models.QuerySet[Jurisdiction]:
        # Targets lie in the area the agency is responsible for.
        agency = self.user.agency
        return agency.jurisdiction.subtree() if agency else Jurisdiction.objects.none()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        low, high = data.get("fine_min"), data.get("fine_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("罚款下限不得高于罚款上限。")
        return data


def form_class_for(entry: RegistryEntry) -> type[RegistryForm]:
    """The ModelForm class for ``entry`` (all editable fields except the agency)."""
    return forms.modelform_factory(entry.model, form=RegistryForm, exclude=["agency"])


def split_cleaned_data(form: forms.ModelForm) -> tuple[dict[str, object], dict[str, list]]:
    """Split ``form.cleaned_data`` into plain field values and many-to-many lists for the services."""
    opts = form._meta.model._meta
    fields = {f.name: form.cleaned_data[f.name] for f in opts.fields if f.name in form.cleaned_data}
    m2m = {f.name: list(form.cleaned_data[f.name]) for f in opts.many_to_many if f.name in form.cleaned_data}
    return fields, m2m


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a ValidationError raised by a service on ``form``; errors of fields the form lacks
    (such as the agency) go to the top of the form, prefixed by the field's label."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    opts = form._meta.model._meta if hasattr(form, "_meta") else None
    for name, errors in error.error_dict.items():
        if name in form.fields:
            form.add_error(name, errors)
            continue
        prefix = _label(opts, name)
        for message in ValidationError(errors).messages:
            form.add_error(None, f"{prefix}{message}")


def _label(opts: object, name: str) -> str:
    if opts is None or name == "__all__":
        return ""
    try:
        return f"{opts.get_field(name).verbose_name}："
    except FieldDoesNotExist:  # an unknown key only loses its prefix
        return ""
