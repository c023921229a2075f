"""Jurisdictions, agencies (执法主体), users and their roles, API tokens."""

import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from sanxiang.accounts.choices import AgencyKind, EnforcementKind, JurisdictionLevel, Role
from sanxiang.accounts.validators import validate_phone, validate_uscc


class Jurisdiction(models.Model):
    """A node of the administrative tree 省 → 市 → 区县 → 乡镇/街道.

    ``path`` is a materialised path of primary keys ("/1/4/9/") so a subtree is one indexed
    prefix query; it is maintained by :func:`sanxiang.accounts.services.create_jurisdiction`.
    """

    name = models.CharField("名称", max_length=100, help_text="行政区划名称，如“临海市”。")
    code = models.CharField(
        "行政区划代码", max_length=12, unique=True, help_text="GB/T 2260 六位代码，乡镇/街道为九位或十二位。"
    )
    level = models.CharField("层级", max_length=10, choices=JurisdictionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children", help_text="上级行政区划；省级为空。",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def subtree(self) -> models.QuerySet["Jurisdiction"]:
        return Jurisdiction.objects.filter(path__startswith=self.path)


class Agency(models.Model):
    """执法主体: a body that holds enforcement powers in a jurisdiction."""

    name = models.CharField("机关名称", max_length=100, unique=True, help_text="执法主体全称。")
    short_name = models.CharField(
        "简称", max_length=20, blank=True, help_text="用于案件编号等场合的机关简称，如“临市监”。"
    )
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc],
        help_text="18位，按GB 32100校验。",
    )
    kind = models.CharField("主体性质", max_length=20, choices=AgencyKind.choices,
                            help_text="行政机关、法律法规授权组织、受委托组织，或负责监督的司法行政机关。")
    legal_basis = models.TextField("职权依据", blank=True, help_text="设定该主体执法职权的法律、法规、规章及三定方案。")
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name="管辖区域", on_delete=models.PROTECT, related_name="agencies",
        help_text="主体所在及管辖的行政区划；监督人员可查看该区划及其下级区划内的全部主体。",
    )
    address = models.CharField("地址", max_length=200, blank=True, help_text="办公地址。")
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone],
                             help_text="对外公布的联系电话。")
    enforcement_kinds = models.JSONField(
        "执法类别", default=list, blank=True,
        help_text="该主体依法享有的执法类别代码列表：" + "、".join(str(k.label) for k in EnforcementKind),
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["jurisdiction__path", "name"]

    def __str__(self) -> str:
        return self.name

    def enforcement_kind_labels(self) -> list[str]:
        labels = dict(EnforcementKind.choices)
        return [str(labels.get(k, k)) for k in self.enforcement_kinds]


class SanxiangUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """An account. Belongs to exactly one agency; roles come from :class:`UserRole`."""

    agency = models.ForeignKey(
        Agency, verbose_name="所属机关", on_delete=models.PROTECT, related_name="users",
        null=True, help_text="账户所属执法主体；只有该主体（监督人员：其辖区）的数据对其可见。",
    )
    full_name = models.CharField("姓名", max_length=50, blank=True, help_text="真实姓名，显示在页面和记录中。")
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0, editable=False)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True, editable=False,
                                        help_text="连续登录失败达到上限后锁定到此时间。")

    objects = SanxiangUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[r]) for r in Role.values if r in self.role_codes]

    def is_locked(self, now: "timezone.datetime | None" = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))


class UserRole(models.Model):
    """A role held by a user (a user may hold several)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name="用户")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100, default="API", help_text="便于识别令牌用途的名称。")
    prefix = models.CharField("前缀", max_length=8, help_text="令牌前8位，用于在列表中辨认。")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间", help_text="过期后令牌失效。")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.user} · {self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "sx_" + secrets.token_urlsafe(32)
