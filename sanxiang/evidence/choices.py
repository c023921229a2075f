"""Choice lists of evidence (证据) and audio-visual records (音像记录)."""

from django.db import models


class EvidenceCategory(models.TextChoices):
    """证据种类 (行政处罚法 art. 46)."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIO_VISUAL = "audio_visual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    PARTY_STATEMENT = "party_statement", "当事人的陈述"
    EXPERT_OPINION = "expert_opinion", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


# The 音像记录事项清单 covers case steps (CaseState values) and, outside any case, the on-site
# inspection of a 双随机 task (the seeds list 随机抽查 among the steps that need an A/V record).
RANDOM_INSPECTION = "random_inspection"
RANDOM_INSPECTION_LABEL = "双随机抽查现场检查"


class MediaKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    DOCUMENT = "document", "文档"


# Years each category is kept after the case is archived (a default; 案卷 of penalty cases are
# commonly kept long-term — an agency sets its own archive rules).
RETENTION_YEARS = {c: 30 for c in EvidenceCategory.values}

# Photo types a thumbnail is made of: what Pillow reads without plug-ins (HEIC needs one).
THUMBNAIL_MIMES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
