"""Helpers for intake tests: valid identity numbers computed with the real algorithms, and a registration
with sensible defaults going through the real service."""

import itertools
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from grid.models import Center
from intake.choices import Channel, PartyRole
from intake.models import Case
from intake.services import case_register
from intake.validators import credit_code_check_char, resident_id_check_char

_serial = itertools.count(101)
_phones = itertools.count(10_000_001)


def _png_one_pixel() -> bytes:
    """A complete 1×1 grey PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png_one_pixel()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def resident_id(area: str = "220102", birth: str = "19850312", serial: int | None = None) -> str:
    """A valid 18-character resident ID (GB 11643-1999 check character computed)."""
    first17 = f"{area}{birth}{(next(_serial) if serial is None else serial) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def credit_code(body: str = "91220102MA0Y3K5L2") -> str:
    return body + credit_code_check_char(body)


def mobile() -> str:
    return f"138{next(_phones):08d}"


def party(name: str = "张伟", role: str = PartyRole.APPLICANT, **extra) -> dict:
    return {
        "kind": "person",
        "name": name,
        "id_number": resident_id(),
        "phone": mobile(),
        "role": role,
    } | extra


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def register(*, actor, center: Center, **overrides) -> Case:
    """A walk-in neighbour dispute in 华阳社区 with two parties, unless overridden."""
    fields = {
        "channel": Channel.WALK_IN,
        "category": "0104",
        "region": "220102001001",
        "summary": "楼上漏水致楼下天花板受损",
        "description": "申请人称楼上住户卫生间漏水两月未修，协商未果，请求调解。",
        "parties": [party("张伟"), party("李强", PartyRole.RESPONDENT)],
    } | overrides
    return case_register(actor=actor, center=center, **fields)


def desk_form(**extra) -> dict:
    """The desk form as a clerk posts it: a walk-in dispute in 华阳社区 with one applicant."""
    return {
        "channel": "walk_in",
        "matter_type": "dispute",
        "category": "0104",
        "region": "220102001001",
        "summary": "楼上漏水致楼下天花板受损",
        "description": "申请人称楼上住户卫生间漏水两月未修。",
        "involved_people": "2",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-kind": "person",
        "parties-0-role": "applicant",
        "parties-0-name": "张伟",
        "parties-0-phone": "13812345678",
    } | extra
