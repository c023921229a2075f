"""Technical metadata read from a stored file: photo size, EXIF time, GPS and camera; audio and
video duration, codec and resolution. Reads only what it needs (headers, boxes), never the whole
file. Every reader is best-effort: a file it cannot read yields what could be read."""

from __future__ import annotations

import datetime as dt
import struct
import wave
from pathlib import Path
from typing import BinaryIO


def read_metadata(path: Path, mime: str) -> dict[str, object]:
    try:
        if mime.startswith("image/"):
            return _image(path)
        if mime == "audio/wav":
            return _wav(path)
        if mime in ("video/mp4", "video/quicktime", "audio/mp4"):
            with path.open("rb") as handle:
                return _mp4(handle, path.stat().st_size)
    except Exception as exc:  # noqa: BLE001 - a damaged header must not stop the upload
        return {"error": f"无法读取技术信息：{type(exc).__name__}"}
    return {}


def _image(path: Path) -> dict[str, object]:
    from PIL import ExifTags, Image

    with Image.open(path) as image:
        found: dict[str, object] = {"width": image.width, "height": image.height}
        exif = image.getexif()
        base = {ExifTags.TAGS.get(k, k): v for k, v in exif.items()}
        detail = {ExifTags.TAGS.get(k, k): v for k, v in exif.get_ifd(ExifTags.IFD.Exif).items()}
        taken = detail.get("DateTimeOriginal") or base.get("DateTime")
        if taken:
            found["taken_at"] = _exif_time(str(taken))
        camera = " ".join(str(base[k]).strip() for k in ("Make", "Model") if base.get(k))
        if camera:
            found["camera"] = camera
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position = _gps(gps) if gps else None
        if position:
            found["gps"] = position
        return found


def _exif_time(value: str) -> str:
    try:
        return dt.datetime.strptime(value.strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return value


def _gps(gps: dict) -> dict[str, float] | None:
    def degrees(values: tuple, ref: str, negative: str) -> float:
        d, m, s = (float(v) for v in values)
        value = d + m / 60 + s / 3600
        return round(-value if ref == negative else value, 6)

    try:
        return {"lat": degrees(gps[2], gps.get(1, "N"), "S"), "lon": degrees(gps[4], gps.get(3, "E"), "W")}
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _wav(path: Path) -> dict[str, object]:
    with wave.open(str(path), "rb") as audio:
        frames, rate = audio.getnframes(), audio.getframerate()
        return {"duration": round(frames / rate, 3) if rate else 0, "codec": "pcm",
                "channels": audio.getnchannels(), "sample_rate": rate}


_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl"}


def _boxes(handle: BinaryIO, start: int, end: int):
    """(type, payload offset, payload size) of the ISO-BMFF boxes between start and end."""
    offset = start
    while offset + 8 <= end:
        handle.seek(offset)
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header:
            return
        yield kind, offset + header, size - header
        offset += size


def _mp4(handle: BinaryIO, length: int) -> dict[str, object]:
    found: dict[str, object] = {}

    def walk(start: int, end: int) -> None:
        for kind, payload, size in _boxes(handle, start, end):
            if kind in _CONTAINERS:
                walk(payload, payload + size)
            elif kind == b"mvhd":
                handle.seek(payload)
                version = handle.read(1)[0]
                handle.seek(payload + (20 if version == 1 else 12))
                if version == 1:
                    scale, duration = struct.unpack(">IQ", handle.read(12))
                else:
                    scale, duration = struct.unpack(">II", handle.read(8))
                if scale:
                    found["duration"] = round(duration / scale, 3)
            elif kind == b"tkhd":
                handle.seek(payload + size - 8)
                width, height = struct.unpack(">II", handle.read(8))
                if width and height:
                    found["width"], found["height"] = width >> 16, height >> 16
            elif kind == b"stsd":
                handle.seek(payload + 12)
                codec = handle.read(4).decode("ascii", "replace").strip()
                found.setdefault("codecs", [])
                found["codecs"].append(codec)  # type: ignore[union-attr]

    walk(0, length)
    return found
