"""The resident ID (GB 11643-1999), credit code (GB 32100-2015), phone and attachment checks."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from intake.tests.factories import PDF, PNG, credit_code, resident_id
from intake.validators import (
    ATTACHMENT_MAX_BYTES,
    attachment_content_type,
    resident_id_check_char,
    validate_credit_code,
    validate_phone,
    validate_resident_id,
)

# Valid numbers: the widely published sample, and others whose check characters follow from the standard's
# weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) and table "10X98765432" — weighted sum, mod 11, character.
VALID_IDS = [
    "11010519491231002X",  # the well-known sample: sum 167, 167 % 11 = 2 -> "X"
    "110101199003074477",  # sum 214, % 11 = 5 -> "7"
    "220102198503121230",  # sum 188, % 11 = 1 -> "0"
    "620102200002290014",  # born on a leap day; sum 162, % 11 = 8 -> "4"
    "11010519491231002x",  # a lower-case x is accepted (normalised to X)
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_resident_ids_pass(number):
    validate_resident_id(number)


def test_the_check_character_of_the_standard_sample_is_x():
    assert resident_id_check_char("11010519491231002") == "X"


def test_generated_ids_are_valid():
    for serial in range(0, 1000, 37):
        validate_resident_id(resident_id(serial=serial))


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # check digit should be X
        "220102198503121231",  # off by one
        "11010519491231002Y",
    ],
)
def test_a_wrong_check_digit_is_a_clear_error(number):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(number)

    assert error.value.code in ("id_check_digit", "id_format")
    assert "身份证号码" in error.value.messages[0]


def test_wrong_check_digit_message_names_the_check_digit():
    with pytest.raises(ValidationError) as error:
        validate_resident_id("110105194912310021")

    assert error.value.code == "id_check_digit"
    assert "校验位错误" in error.value.messages[0]


@pytest.mark.parametrize(
    "number,code",
    [
        ("22010219850312123", "id_format"),  # 17 characters
        ("2201021985031212361", "id_format"),  # 19 characters
        ("22010219850312123A", "id_format"),
        ("X20102198503121236", "id_format"),
        ("", "id_format"),
        ("220102198502301234", "id_birth_date"),  # 30 February
        ("220102198513011234", "id_birth_date"),  # month 13
        ("220102180001011234", "id_birth_date"),  # born 1800
        ("220102299901011234", "id_birth_date"),  # born in the future
    ],
)
def test_malformed_ids_and_impossible_birth_dates_are_refused(number, code):
    if code == "id_birth_date":  # give it the right check digit: only the date is wrong
        number = number[:17] + resident_id_check_char(number[:17])
    with pytest.raises(ValidationError) as error:
        validate_resident_id(number)

    assert error.value.code == code


def test_credit_codes():
    validate_credit_code(credit_code())
    validate_credit_code("91350100M000100Y43")  # a published sample
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100Y44")
    with pytest.raises(ValidationError):
        validate_credit_code("91350100M000100YI3")  # I is not in the alphabet


@pytest.mark.parametrize(
    "phone", ["13812345678", "0431-88881234", "043188881234", "+86 138 1234 5678", "12345"]
)
def test_phones_accepted(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "88881234", "abc", "138-1234-56789"])
def test_phones_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_attachments_of_allowed_types_pass():
    assert attachment_content_type(SimpleUploadedFile("a.png", PNG)) == "image/png"
    assert attachment_content_type(SimpleUploadedFile("协议.PDF", PDF)) == "application/pdf"
    docx = SimpleUploadedFile("b.docx", b"PK\x03\x04" + b"\x00" * 40)
    assert attachment_content_type(docx).endswith("wordprocessingml.document")
    jpg = SimpleUploadedFile("IMG_0001.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 40 + b"\xff\xd9")
    assert attachment_content_type(jpg) == "image/jpeg"


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("run.exe", b"MZ\x90\x00", "attachment_type"),
        ("page.html", b"<script>alert(1)</script>", "attachment_type"),
        ("vector.svg", b"<svg onload=alert(1)>", "attachment_type"),
        ("fake.png", b"<script>alert(1)</script>", "attachment_content"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "attachment_content"),
        ("empty.pdf", b"", "attachment_empty"),
    ],
)
def test_wrong_types_and_disguised_files_are_refused(name, content, code):
    with pytest.raises(ValidationError) as error:
        attachment_content_type(SimpleUploadedFile(name, content))

    assert error.value.code == code


def test_oversized_attachments_are_refused():
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * ATTACHMENT_MAX_BYTES)

    with pytest.raises(ValidationError) as error:
        attachment_content_type(big)

    assert error.value.code == "attachment_size"
    assert "10 MB" in error.value.messages[0]


def test_a_photo_cut_short_in_transfer_is_refused():
    truncated = SimpleUploadedFile("IMG_0002.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40)

    with pytest.raises(ValidationError, match="不完整或已损坏"):
        attachment_content_type(truncated)
