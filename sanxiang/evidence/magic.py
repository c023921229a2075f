"""What a file is, from its first bytes (never from its name). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 64


@dataclass(frozen=True)
class FileType:
    mime: str
    kind: str  # photo / audio / video / document
    label: str


def _ftyp(head: bytes) -> FileType | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    if brand in (b"M4A ", b"M4B "):
        return FileType("audio/mp4", "audio", "M4A 音频")
    if brand == b"qt  ":
        return FileType("video/quicktime", "video", "QuickTime 视频")
    if brand in (b"heic", b"heix", b"mif1"):
        return FileType("image/heic", "photo", "HEIC 照片")
    return FileType("video/mp4", "video", "MP4 视频")


_SIGNATURES: list[tuple[int, bytes, FileType]] = [
    (0, b"\xff\xd8\xff", FileType("image/jpeg", "photo", "JPEG 照片")),
    (0, b"\x89PNG\r\n\x1a\n", FileType("image/png", "photo", "PNG 图片")),
    (0, b"GIF87a", FileType("image/gif", "photo", "GIF 图片")),
    (0, b"GIF89a", FileType("image/gif", "photo", "GIF 图片")),
    (0, b"%PDF-", FileType("application/pdf", "document", "PDF 文档")),
    (0, b"ID3", FileType("audio/mpeg", "audio", "MP3 音频")),
    (0, b"\xff\xfb", FileType("audio/mpeg", "audio", "MP3 音频")),
    (0, b"\xff\xf3", FileType("audio/mpeg", "audio", "MP3 音频")),
    (0, b"OggS", FileType("audio/ogg", "audio", "Ogg 音频")),
    (0, b"fLaC", FileType("audio/flac", "audio", "FLAC 音频")),
    (0, b"\x1a\x45\xdf\xa3", FileType("video/webm", "video", "WebM/MKV 视频")),
    (0, b"PK\x03\x04", FileType("application/zip", "document", "Office 文档或压缩包")),
]


def detect(head: bytes) -> FileType | None:
    """The type of a file starting with ``head`` (at least :data:`HEAD_BYTES` bytes when the file
    is that long), or None when it is not one of the accepted types."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return FileType("audio/wav", "audio", "WAV 音频")
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return FileType("video/x-msvideo", "video", "AVI 视频")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType("image/webp", "photo", "WebP 图片")
    found = _ftyp(head)
    if found:
        return found
    for offset, signature, filetype in _SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            return filetype
    return None


ACCEPTED = "JPEG、PNG、GIF、WebP、HEIC 照片，WAV、MP3、M4A、Ogg、FLAC 音频，MP4、MOV、AVI、WebM 视频，PDF 与 Office 文档"
