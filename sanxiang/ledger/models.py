"""Storage of the tamper-evident ledger (执法全过程记录).

Every table here is append-only: database triggers (migration 0002) refuse UPDATE and DELETE on
entries, subtree hashes, checkpoints and cosignatures. The only row that changes is the log head
(:class:`Log`, its size), which is a cache: ``verify_ledger`` recomputes everything from entries.
"""

from django.db import models

from sanxiang.accounts.models import Agency, User


class Log(models.Model):
    """One Merkle log. Its ``name`` is the origin line of its checkpoints."""

    name = models.CharField("日志名称", max_length=100, unique=True,
                            help_text="检查点的 origin 行，如“sanxiang.example/ledger”。")
    algorithm = models.CharField("哈希算法", max_length=10, choices=[("sha256", "SHA-256"), ("sm3", "SM3（国密）")],
                                 default="sha256", help_text="建立日志时选定，之后不可更改。")
    size = models.PositiveBigIntegerField("条目数", default=0, help_text="当前树大小（缓存，可由条目重算）。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "记录日志"
        verbose_name_plural = "记录日志"

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """One recorded event: a leaf of the Merkle tree.

    ``body`` is the canonical JSON that is hashed into the tree; it carries hashes and ids, no
    personal data, so it can be handed out in receipts. ``detail`` holds the human-readable part
    (summary, actor's name), bound to the body by ``detail_hash`` inside it. The other columns
    repeat fields of the body for queries; ``verify_ledger`` checks they agree.
    """

    log = models.ForeignKey(Log, verbose_name="日志", on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveBigIntegerField("序号", help_text="在日志中的位置，从0起连续无空缺。")
    body = models.BinaryField("条目（规范JSON）")
    leaf_hash = models.BinaryField("叶子哈希", max_length=32)
    detail = models.JSONField("详情", default=dict, help_text="摘要、操作人姓名等可读内容；其哈希写在条目中。")
    event_type = models.CharField("事件类型", max_length=60, db_index=True)
    agency = models.ForeignKey(Agency, verbose_name="机关", null=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField("操作人角色", max_length=20, blank=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象标识", max_length=64, blank=True)
    object_label = models.CharField("对象名称", max_length=200, blank=True)
    snapshot_hash = models.CharField("对象快照哈希", max_length=64, blank=True,
                                     help_text="变更后对象规范快照的哈希；读取类事件为空。")
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "记录条目"
        verbose_name_plural = "记录条目"
        ordering = ["log_id", "index"]
        constraints = [models.UniqueConstraint(fields=["log", "index"], name="ledger_entry_unique_index")]
        indexes = [models.Index(fields=["object_type", "object_id", "index"], name="ledger_entry_object")]

    def __str__(self) -> str:
        return f"#{self.index} {self.event_type}"


class Subtree(models.Model):
    """Hash of a perfect aligned subtree: 2**level leaves from index * 2**level (level 0: a leaf)."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="subtrees")
    level = models.PositiveSmallIntegerField("层")
    index = models.PositiveBigIntegerField("序号")
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = "子树哈希"
        verbose_name_plural = "子树哈希"
        constraints = [models.UniqueConstraint(fields=["log", "level", "index"], name="ledger_subtree_unique")]

    def __str__(self) -> str:
        return f"{self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed statement of the log's size and root (C2SP tlog-checkpoint as a signed note)."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.PositiveBigIntegerField("树大小")
    root = models.BinaryField("根哈希", max_length=32)
    note = models.TextField("签名文本", help_text="检查点正文及平台签名。")
    created_at = models.DateTimeField("签署时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["log_id", "size", "id"]

    def __str__(self) -> str:
        return f"{self.log.name} @ {self.size}"


class Cosignature(models.Model):
    """A witness's (司法局's) signature on a checkpoint, given after checking consistency."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.CharField("见证方", max_length=100)
    signature_line = models.TextField("签名行", help_text="signed-note 格式的签名行。")
    created_at = models.DateTimeField("签署时间", auto_now_add=True)

    class Meta:
        verbose_name = "见证签名"
        verbose_name_plural = "见证签名"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_cosig_unique")]

    def __str__(self) -> str:
        return f"{self.witness} → {self.checkpoint}"
