"""Evidence (证据) and audio-visual records (音像记录) of a case.

An Evidence row describes one stored file (see :mod:`sanxiang.evidence.storage`): what it proves,
when, where and by whom it was recorded, and what the file is (type by content, size, hashes,
technical metadata). Rows are created only by :func:`sanxiang.evidence.services.ingest`, which
writes the ledger entry with the file's hash; there is no way to replace or delete one.
"""

from django.db import models

from sanxiang.accounts.models import User
from sanxiang.cases.choices import CaseState
from sanxiang.cases.models import Case
from sanxiang.evidence.choices import (
    RANDOM_INSPECTION,
    RANDOM_INSPECTION_LABEL,
    THUMBNAIL_MIMES,
    EvidenceCategory,
    MediaKind,
)
from sanxiang.registry.models import Officer


class Evidence(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="evidence")
    step = models.CharField("办理环节", max_length=20, choices=CaseState.choices,
                            help_text="上传时案件所处的环节。")
    category = models.CharField("证据种类", max_length=20, choices=EvidenceCategory.choices,
                                help_text="行政处罚法第四十六条所列证据种类。")
    media_kind = models.CharField("载体", max_length=10, choices=MediaKind.choices)
    proves = models.CharField("证明对象", max_length=300, help_text="该证据用以证明的事实。")
    recorded_at = models.DateTimeField("记录时间", help_text="拍摄、录音、录像或取得证据的时间。")
    place = models.CharField("记录地点", max_length=200)
    recorder = models.ForeignKey(Officer, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    device = models.CharField("记录设备", max_length=100, blank=True, help_text="如执法记录仪编号、相机型号。")
    original_name = models.CharField("原文件名", max_length=255)
    mime = models.CharField("文件类型", max_length=100, help_text="按文件内容识别，不按文件名。")
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    sm3 = models.CharField("SM3", max_length=64, blank=True, help_text="账本使用国密算法时记录。")
    storage = models.CharField("存储", max_length=20, default="local")
    metadata = models.JSONField("技术信息", default=dict, blank=True,
                                help_text="从文件读取：时长、编码、分辨率、照片的拍摄时间与GPS位置等。")
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    retention_years = models.PositiveSmallIntegerField("保存年限", default=30,
                                                       help_text="结案归档后至少保存的年数，按证据种类设定。")

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["case_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.proves}"

    @property
    def has_thumbnail(self) -> bool:
        """Whether the pages show this evidence as a thumbnail (see :mod:`sanxiang.evidence.thumbnails`)."""
        return self.mime in THUMBNAIL_MIMES


class UploadSession(models.Model):
    """A resumable upload (断点续传): the client sends the file in chunks, each at the offset the
    server reports, and may resume after a dropped connection. The evidence exists only once the
    last byte arrived and the whole file passed ingest; until then nothing is recorded."""

    class Status(models.TextChoices):
        OPEN = "open", "上传中"
        COMPLETE = "complete", "已完成"
        FAILED = "failed", "失败"

    id = models.UUIDField(primary_key=True, editable=False)
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, verbose_name="上传人", on_delete=models.CASCADE, related_name="+")
    original_name = models.CharField("原文件名", max_length=255)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    received = models.PositiveBigIntegerField("已接收（字节）", default=0)
    description = models.JSONField("证据说明", help_text="种类、证明对象、时间、地点、记录人、设备。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    error = models.CharField("失败原因", max_length=300, blank=True)
    evidence = models.ForeignKey(Evidence, verbose_name="证据", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        verbose_name = "断点续传"
        verbose_name_plural = "断点续传"

    def __str__(self) -> str:
        return f"{self.original_name}（{self.received}/{self.size}）"


class ManualFinding(models.Model):
    """A supervisor's own finding on a case file (案卷评查), beside the automatic ones."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="manual_findings")
    author = models.ForeignKey(User, verbose_name="评查人", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("评查意见")
    deduction = models.PositiveSmallIntegerField("扣分", default=0, help_text="从自动评分中扣除的分数（0–100）。")
    created_at = models.DateTimeField("评查时间", auto_now_add=True)

    class Meta:
        verbose_name = "人工评查意见"
        verbose_name_plural = "人工评查意见"
        ordering = ["case_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}：{self.text[:30]}"


class RecordingRequirement(models.Model):
    """One line of an agency's 音像记录事项清单: which step needs an audio-visual record (av) or a
    full-process video (full), or none. An agency without any line uses the seeds' defaults
    (:data:`sanxiang.evidence.recording.DEFAULTS`)."""

    class Level(models.TextChoices):
        NONE = "none", "不要求"
        AV = "av", "音像记录"
        FULL = "full", "全过程录像"

    agency = models.ForeignKey("accounts.Agency", verbose_name="执法主体", on_delete=models.CASCADE,
                               related_name="recording_requirements")
    step = models.CharField("办理环节", max_length=20,
                            choices=[*CaseState.choices, (RANDOM_INSPECTION, RANDOM_INSPECTION_LABEL)])
    level = models.CharField("要求", max_length=10, choices=Level.choices)
    note = models.CharField("依据或说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "音像记录事项"
        verbose_name_plural = "音像记录事项清单"
        constraints = [models.UniqueConstraint(fields=["agency", "step"], name="unique_recording_step")]

    def __str__(self) -> str:
        return f"{self.get_step_display()}：{self.get_level_display()}"


class RecordingWaiver(models.Model):
    """The unit head's record that a required recording could not be made (equipment failure …);
    ledgered and shown to supervisors."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="recording_waivers")
    step = models.CharField("办理环节", max_length=20, choices=CaseState.choices)
    reason = models.TextField("未能记录的理由")
    approved_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "音像记录缺失说明"
        verbose_name_plural = "音像记录缺失说明"
        ordering = ["case_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}：{self.reason[:30]}"
