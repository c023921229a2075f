"""Shared bits of the Excel management commands: finding the agency and user, progress bars."""

from collections.abc import Callable

from django.core.management.base import CommandError
from django.db.models import Q
from tqdm import tqdm

from sanxiang.accounts.models import Agency, User
from sanxiang.registry.excel.specs import SPECS

REGISTRY_HELP = "基础库：" + "、".join(SPECS)
STAGE_LABELS = {"validate": "校验", "write": "写入", "export": "导出"}


def registry_key(key: str) -> str:
    if key not in SPECS:
        raise CommandError(f"未知的基础库“{key}”，可选：{'、'.join(SPECS)}")
    return key


def find_agency(text: str) -> Agency:
    """An agency by its full name or its 统一社会信用代码."""
    agency = Agency.objects.filter(Q(name=text) | Q(uscc=text.upper())).first()
    if agency is None:
        raise CommandError(f"未找到执法主体“{text}”（请填写机关全称或统一社会信用代码）")
    return agency


def find_user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).select_related("agency").first()
    if user is None:
        raise CommandError(f"未找到用户“{username}”")
    return user


class ProgressBars:
    """A progress callback drawing one tqdm bar per stage (校验, 写入, 导出) on ``stream``."""

    def __init__(self, stream: object, enabled: bool = True) -> None:
        self.stream, self.enabled = stream, enabled
        self.stage: str | None = None
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total or None, desc=STAGE_LABELS.get(stage, stage), unit="行",
                            file=self.stream, dynamic_ncols=True)
        assert self.bar is not None
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


Progress = Callable[[str, int, int], None]
