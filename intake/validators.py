"""Checks on identity numbers, phones and uploaded files. Messages go through gettext: Chinese (the desk's
language) by default, English for an English page or API request."""

import datetime as dt
import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

from intake.choices import PartyKind

# GB 11643-1999: weights for the first 17 digits; the check character indexed by (weighted sum mod 11).
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE_NUMBER = re.compile(r"^(95\d{3,6}|400-?\d{3}-?\d{4}|12\d{3})$")


def normalize_id_number(value: str) -> str:
    """Spaces removed, a lower-case x raised: what residents type and what the card says are the same."""
    return re.sub(r"\s+", "", value or "").upper()


def resident_id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """An 18-character 居民身份证号码 with a valid birth date and GB 11643-1999 check character."""
    number = normalize_id_number(value)
    if not _RESIDENT_ID.match(number):
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X"),
            code="id_format",
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期（第7–14位）不是有效日期"),
            code="id_birth_date",
        ) from None
    if birth.year < 1900 or birth > dt.date.today():
        raise ValidationError(
            _("身份证号码中的出生日期超出合理范围"),
            code="id_birth_date",
        )
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("身份证号码校验位错误，请核对后重新输入"),
            code="id_check_digit",
        )


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """An 18-character 统一社会信用代码 with its GB 32100-2015 check character."""
    code = normalize_id_number(value)
    if len(code) != 18 or any(char not in CREDIT_CODE_ALPHABET for char in code):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母"),
            code="credit_code_format",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验位错误"),
            code="credit_code_check",
        )


def validate_party_id_number(kind: str, value: str) -> None:
    """A person's resident ID or an organisation's unified social credit code, as the kind says."""
    (validate_credit_code if kind == PartyKind.ORGANISATION else validate_resident_id)(value)


def normalize_phone(value: str) -> str:
    value = re.sub(r"[\s()（）]", "", value or "").replace("—", "-").replace("－", "-")
    return value[3:] if value.startswith("+86") else value


def validate_phone(value: str) -> None:
    """A mainland mobile (11 digits from 13–19), a landline with its area code, or a service number."""
    phone = normalize_phone(value)
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone) or _SERVICE_NUMBER.match(phone)):
        raise ValidationError(
            _("联系电话格式不正确：手机号为11位数字，固定电话须带区号（如0431-88881234）"),
            code="phone_format",
        )


# What the desk accepts: photos, PDF and common office files. Each extension names the leading bytes
# its content must start with, so a renamed executable or script is refused.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 10
_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".heic": ("image/heic", ()),  # ISO-BMFF: checked by its "ftyp" box below
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".ppt": ("application/vnd.ms-powerpoint", _OLE),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".wps": ("application/vnd.ms-works", _OLE),
    ".et": ("application/vnd.ms-excel", _OLE),
    ".ofd": ("application/ofd", _ZIP),
}
ATTACHMENT_ACCEPT = ",".join(sorted(ATTACHMENT_TYPES)) + ",image/*"
# Photos must also end as their format ends: a picture cut short in transfer is refused, not stored.
# (JPEG writers may pad after the end marker, so its last bytes are searched rather than matched.)
ATTACHMENT_TRAILERS: dict[str, bytes] = {
    ".png": b"IEND\xaeB`\x82",
    ".jpg": b"\xff\xd9",
    ".jpeg": b"\xff\xd9",
}
TRAILER_WINDOW = 64


def attachment_content_type(upload: File) -> str:
    """Validates an upload (size, extension, leading bytes) and returns the content type to store."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name.lower()).suffix
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("“%(name)s”的文件类型不支持，仅限图片、PDF、Word/Excel/PPT/WPS 文件"),
            code="attachment_type",
            params={"name": name},
        )
    size = upload.size or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”超过 %(limit)s MB"),
            code="attachment_size",
            params={"name": name, "limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件"), code="attachment_empty", params={"name": name})
    content_type, signatures = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if extension == ".heic":
        ok = head[4:8] == b"ftyp"
    else:
        ok = any(head.startswith(signature) for signature in signatures)
    if extension == ".webp":
        ok = ok and head[8:12] == b"WEBP"
    if not ok:
        raise ValidationError(
            _("“%(name)s”的内容与扩展名不符"),
            code="attachment_content",
            params={"name": name},
        )
    if extension in ATTACHMENT_TRAILERS and ATTACHMENT_TRAILERS[extension] not in _tail(upload):
        raise ValidationError(
            _("“%(name)s”不完整或已损坏，请重新拍摄或上传"),
            code="attachment_truncated",
            params={"name": name},
        )
    return content_type


def _tail(upload: File) -> bytes:
    upload.seek(max((upload.size or 0) - TRAILER_WINDOW, 0))
    tail = upload.read(TRAILER_WINDOW)
    upload.seek(0)
    return tail.encode() if isinstance(tail, str) else tail
