"""Synthetic media made on the spot (tests, demo data, benchmark): a JPEG with EXIF (time, GPS,
camera), a WAV, an MP4 header, a one-page PDF. Nothing is downloaded."""

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


def photo(width: int = 1200, height: int = 600, orientation: int = 1) -> bytes:
    """A JPEG whose left half is red and right half blue, with the EXIF orientation given (6: the
    camera was turned, the viewer rotates the picture 90° clockwise, so red ends up on top)."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (220, 20, 20))
    image.paste((20, 20, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SanxiangCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
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


def pdf(text: str = "Sanxiang demo") -> bytes:
    """A one-page PDF with ``text`` (ASCII), assembled by hand with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
