"""Forms of the accounts pages: login (with the lockout message), agency, users."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError

from sanxiang.accounts.backends import AccountLocked
from sanxiang.accounts.choices import EnforcementKind, Role
from sanxiang.accounts.models import Agency, User


class LoginForm(AuthenticationForm):
    """Django's login form, but a locked account is told so.

    ``LockoutBackend`` raises :class:`AccountLocked`; ``django.contrib.auth.authenticate`` swallows
    any PermissionDenied and reports a plain failure, so after a failure we look whether the
    account is (now) locked and show the lock message instead of "wrong password".
    """

    def clean(self) -> dict[str, object]:
        try:
            return super().clean()
        except ValidationError as error:
            locked = self._locked_user()
            if locked is None:
                raise
            raise ValidationError(str(AccountLocked(locked)), code="locked") from error

    def _locked_user(self) -> User | None:
        username = self.cleaned_data.get("username")
        user = User.objects.filter(username=username).first() if username else None
        return user if user is not None and user.is_locked() else None


def _kinds_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=False, choices=EnforcementKind.choices,
                                     widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}))


def _roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label="角色", choices=Role.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple(attrs={"class": "choices"}),
                                     help_text="一个用户可以担任多个角色。")


class AgencyForm(forms.ModelForm):
    """What an agency's own administrator may correct. The jurisdiction and the kind of body
    define the agency's place in the supervision tree and are not edited here."""

    class Meta:
        model = Agency
        fields = ["name", "short_name", "uscc", "legal_basis", "address", "phone", "enforcement_kinds"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        label = str(Agency._meta.get_field("enforcement_kinds").verbose_name)
        self.fields["enforcement_kinds"] = _kinds_field(label)


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字或 @.+-_。")
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput,
                                help_text=" ".join(password_validators_help_texts()))
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)
    roles = _roles_field()

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class UserEditForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    email = forms.EmailField(label="电子邮箱", required=False)
    is_active = forms.BooleanField(label="启用", required=False, help_text="停用的账户不能登录。")
    roles = _roles_field()
