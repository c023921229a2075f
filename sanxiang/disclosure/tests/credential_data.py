"""Officers for the credential card tests: one per certificate status, in three agencies."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer
from sanxiang.testing import World


@dataclass
class Officers:
    valid: Officer  # linked to the "officer" persona's account
    expired: Officer
    suspended: Officer
    revoked: Officer
    colleague: Officer  # same agency, valid, no account
    other: Officer  # the other agency of the same city
    far: Officer


def make_officer(world: World, agency, name: str, number: str, *, days: int = 400,
                 status: str = CredentialStatus.VALID, user=None) -> Officer:
    today = timezone.localdate()
    return Officer.objects.create(
        name=name, agency=agency, position="执法队员", certificate_number=number,
        categories=["penalty", "inspection"], issued_on=today - datetime.timedelta(days=700),
        expires_on=today + datetime.timedelta(days=days), status=status, user=user,
    )


def seed(world: World) -> Officers:
    """Saving an Officer fills its PublicOfficer row (sanxiang.disclosure.sync)."""
    return Officers(
        valid=make_officer(world, world.agency, "张三", "33108200001", user=world.personas["officer"]),
        expired=make_officer(world, world.agency, "李四", "33108200002", days=-3),
        suspended=make_officer(world, world.agency, "王五", "33108200003", status=CredentialStatus.SUSPENDED),
        revoked=make_officer(world, world.agency, "赵六", "33108200004", status=CredentialStatus.REVOKED),
        colleague=make_officer(world, world.agency, "钱七", "33108200005"),
        other=make_officer(world, world.other_agency, "孙八", "33108200006"),
        far=make_officer(world, world.far_agency, "周九", "33108200007"),
    )


def pdf_cards(pdf: bytes) -> tuple[list[str], list[list[list[bool]]]]:
    """(link URLs, QR module matrices) of a card PDF, read back from the PDF itself: the link
    annotation over each QR code, and each embedded image's modules sampled at their centres.
    (WeasyPrint shares one resource dictionary between pages, so images are collected per document.)"""
    from pypdf import PdfReader

    urls: list[str] = []
    images: dict[object, list[list[bool]]] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        links: dict[tuple, str] = {}  # WeasyPrint writes a link twice with the same rectangle
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                rect = tuple(round(float(v), 1) for v in annotation["/Rect"])
                links[(number, rect)] = str(annotation["/A"]["/URI"])
        urls += links.values()
        for image in page.images:
            key = image.indirect_reference.idnum if image.indirect_reference else image.name
            images.setdefault(key, modules(image.image))
    return urls, list(images.values())


def modules(image, box_size: int = 8, border: int = 4) -> list[list[bool]]:
    """The dark/light modules of a QR image drawn with :func:`credentials.qr_png`'s geometry."""
    gray = image.convert("L")
    size = gray.width // box_size - 2 * border
    assert gray.width == gray.height == (size + 2 * border) * box_size, gray.size
    return [[gray.getpixel(((border + x) * box_size + box_size // 2, (border + y) * box_size + box_size // 2)) < 128
             for x in range(size)] for y in range(size)]
