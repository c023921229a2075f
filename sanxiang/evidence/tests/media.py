"""Real media files made in the test: a JPEG with EXIF (time, GPS, camera), a WAV, an MP4 header."""

import io
import struct
import wave


def jpeg_with_exif() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SanxiangCam"  # Make
    exif[0x0110] = "ZF-100"  # Model
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 09:15:30"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (28.0, 51.0, 30.0)
    gps[3], gps[4] = "E", (121.0, 7.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def wav(seconds: float = 1.5, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x01" * int(seconds * rate))
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(seconds: int = 12, width: int = 1280, height: int = 720) -> bytes:
    """An ISO-BMFF file with the boxes a player reads first (ftyp, moov/mvhd, a video track)."""
    mvhd = b"\x00" * 4 + struct.pack(">III", 0, 0, 1000) + struct.pack(">I", seconds * 1000) + b"\x00" * 80
    tkhd = b"\x00" * 76 + struct.pack(">II", width << 16, height << 16)
    stsd = b"\x00" * 8 + struct.pack(">I4s", 16, b"avc1") + b"\x00" * 8
    stbl = _box(b"stbl", _box(b"stsd", stsd))
    trak = _box(b"trak", _box(b"tkhd", tkhd) + _box(b"mdia", _box(b"minf", stbl)))
    moov = _box(b"moov", _box(b"mvhd", mvhd) + trak)
    return _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + moov + _box(b"mdat", b"\x00" * 2048)
