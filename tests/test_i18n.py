"""The English translation: switching the language turns the pages English, Chinese stays the default, and
locale/en/LC_MESSAGES/django.po translates every string (no empty or fuzzy entry), compiled into django.mo.

Adding a `_()` / `{% translate %}` string means: run makemessages (see the command in
test_every_source_string_is_in_the_catalog_and_translated), translate it in the .po, run compilemessages."""

import ast
import datetime as dt
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tests.api import client_for

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
PO_PATH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
MAKEMESSAGES_IGNORE = (".venv", "staticfiles", "test-artifacts", "bench")

CLERK_NAV = {"受理登记": "Registration", "今日登记": "Registered today", "督办文书": "Supervision notices"}
SUPERVISOR_NAV = {
    "分级交办": "Triage and assignment",
    "超期清单": "Overdue list",
    "督办看板": "Supervision board",
    "督办文书": "Supervision notices",
}


# --- pages -----------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def default_language_afterwards(settings):
    """LocaleMiddleware leaves the last request's language active in the thread: the next module's tests
    would read English messages."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def switch_to_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_login_page_is_chinese_without_a_language_cookie(client, db):
    html = page(client, "/accounts/login/")

    assert 'lang="zh-hans"' in html
    assert "工作人员登录" in html and "用户名" in html and "密码" in html
    assert "Staff sign-in" not in html


def test_login_page_in_english(client, db):
    switch_to_english(client)

    html = page(client, "/accounts/login/")

    assert 'lang="en"' in html
    for english in ("Staff sign-in", "Username", "Password", "Sign in", "Comprehensive Governance Center"):
        assert english in html
    for chinese in ("工作人员登录", "用户名", "密码", "综治中心信息系统"):
        assert chinese not in html


@pytest.mark.parametrize(
    ("role", "labels", "role_label", "role_label_zh"),
    [
        ("clerk", CLERK_NAV, "Window clerk", "窗口受理员"),
        ("supervisor", SUPERVISOR_NAV, "Supervisor", "督办人员"),
    ],
)
def test_navigation_in_english(client, request, role, labels, role_label, role_label_zh):
    client.force_login(request.getfixturevalue(role))
    switch_to_english(client)

    html = page(client, "/dispatch/inbox/")

    for chinese, english in {**labels, "消息": "Messages", "退出": "Sign out"}.items():
        assert f">{english}<" in html or f">{english} <" in html, english
        assert chinese not in html, chinese
    assert role_label in html and role_label_zh not in html


@pytest.mark.parametrize(("role", "labels"), [("clerk", CLERK_NAV), ("supervisor", SUPERVISOR_NAV)])
def test_navigation_stays_chinese_by_default(client, request, role, labels):
    client.force_login(request.getfixturevalue(role))

    html = page(client, "/dispatch/inbox/")

    assert 'lang="zh-hans"' in html
    for chinese, english in labels.items():
        assert chinese in html
        assert f">{english}<" not in html


def test_english_follows_the_user_back_to_chinese(client, clerk):
    client.force_login(clerk)
    switch_to_english(client)
    assert "Registered today" in page(client, "/dispatch/inbox/")

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    html = page(client, "/dispatch/inbox/")
    assert "今日登记" in html and "Registered today" not in html


# --- the sources ---------------------------------------------------------------------------------------

APP_DIRS = ("zhongxin", "grid", "intake", "dispatch", "mediation", "analytics")
# The names makemessages' xgettext call looks for in Python files (its default keywords plus Django's).
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
EAGER_FUNCTIONS = {"gettext", "ngettext", "pgettext", "npgettext"}


def python_sources() -> list[Path]:
    return [
        path
        for folder in APP_DIRS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not {"migrations", "tests"} & set(path.relative_to(ROOT).parts)
    ]


def translation_imports(tree: ast.Module) -> list[ast.alias]:
    return [
        alias
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
    ]


def test_translation_functions_keep_names_that_makemessages_extracts():
    """`gettext_lazy as _lazy` compiles, but makemessages never sees the strings: they stay Chinese."""
    hidden = [
        f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}"
        for path in python_sources()
        for alias in translation_imports(ast.parse(path.read_text(encoding="utf-8")))
        if alias.asname and alias.name in EXTRACTED_NAMES and alias.asname not in EXTRACTED_NAMES
    ]
    assert hidden == []


def test_no_eager_gettext_at_import_time():
    """gettext() in a module or class body runs once, at import, in the default language: such a label never
    turns English. Module-level labels need gettext_lazy."""
    eager = []
    for path in python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.asname or alias.name for alias in translation_imports(tree) if alias.name in EAGER_FUNCTIONS
        }
        stack = [tree]
        while names and stack:
            for child in ast.iter_child_nodes(stack.pop()):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    continue
                if (
                    isinstance(child, ast.Call)
                    and isinstance(child.func, ast.Name)
                    and child.func.id in names
                ):
                    eager.append(f"{path.relative_to(ROOT)}:{child.lineno}: {ast.unparse(child)}")
                stack.append(child)
    assert eager == []


# --- the catalog -----------------------------------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file (header and obsolete entries left out): msgctxt, msgid, msgid_plural,
    msgstr (list: one per plural form), flags, references."""
    entries: list[dict] = []

    def new() -> dict:
        return {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": {},
            "flags": set(),
            "refs": [],
        }

    entry, field = new(), None
    for number, line in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], start=1):
        line = line.strip()
        if not line:
            if entry["msgid"] is not None:
                entries.append(entry)
            entry, field = new(), None
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            entry["refs"] += line[2:].split()
        elif line.startswith("#"):
            continue
        elif match := re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")', line):
            keyword, index, text = match.groups()
            field = (keyword, int(index or 0))
            append(entry, field, ast.literal_eval(text))
        elif line.startswith('"') and field:
            append(entry, field, ast.literal_eval(line))
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {line!r}")
    return [entry for entry in entries if entry["msgid"] != ""]


def append(entry: dict, field: tuple[str, int], text: str) -> None:
    keyword, index = field
    if keyword == "msgstr":
        entry["msgstr"][index] = entry["msgstr"].get(index, "") + text
    else:
        entry[keyword] = (entry[keyword] or "") + text


def problems(entries: list[dict]) -> list[str]:
    found = []
    for entry in entries:
        where = entry["refs"][0] if entry["refs"] else "?"
        forms = [entry["msgstr"].get(n, "") for n in range(2 if entry["msgid_plural"] is not None else 1)]
        if not all(form.strip() for form in forms):
            found.append(f"untranslated ({where}): {entry['msgid']!r}")
        if "fuzzy" in entry["flags"]:
            found.append(f"fuzzy ({where}): {entry['msgid']!r}")
        wanted = sorted(placeholders(entry["msgid"]))
        for form in forms:
            if form and sorted(placeholders(form)) != wanted:
                found.append(f"placeholders differ ({where}): {entry['msgid']!r} -> {form!r}")
    return found


def placeholders(text: str) -> list[str]:
    return re.findall(r"%\(\w+\)[sdif]|%[sdif%]", text)


def test_the_po_file_has_no_untranslated_or_fuzzy_entry():
    entries = parse_po(PO_PATH)

    assert len(entries) > 500
    assert problems(entries) == []


def test_the_mo_file_is_compiled_from_the_po_file():
    """django.mo is committed (production images and CI may lack gettext): it must match the .po."""
    with MO_PATH.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog

    stale = []
    for entry in parse_po(PO_PATH):
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            if catalog.get(key) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        elif [catalog.get((key, n)) for n in range(2)] != [entry["msgstr"][n] for n in range(2)]:
            stale.append(entry["msgid"])
    assert stale == [], "run: python manage.py compilemessages -l en --ignore=.venv"


def test_parse_po_sees_untranslated_fuzzy_and_plural_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py:1\nmsgid "受理"\nmsgstr "Received"\n\n'
        '#: a.py:2\nmsgid "新"\nmsgstr ""\n\n'
        '#: a.py:3\n#, fuzzy, python-format\nmsgid "共 %(n)s 件"\nmsgstr "%(n)s cases"\n\n'
        '#: a.py:4\n#, python-format\nmsgid "已停用 %d 个"\nmsgid_plural "已停用 %d 个"\n'
        'msgstr[0] "Deactivated %d"\nmsgstr[1] ""\n\n'
        '#: a.py:5\nmsgid ""\n"长的"\n"文本"\nmsgstr ""\n"long "\n"text"\n\n'
        '#: a.py:6\n#, python-format\nmsgid "案件 %(number)s"\nmsgstr "Case %(numbr)s"\n\n'
        '#~ msgid "旧"\n#~ msgstr ""\n',
        encoding="utf-8",
    )

    entries = parse_po(po)

    assert [entry["msgid"] for entry in entries] == [
        "受理",
        "新",
        "共 %(n)s 件",
        "已停用 %d 个",
        "长的文本",
        "案件 %(number)s",
    ]
    assert entries[4]["msgstr"] == {0: "long text"}
    assert [line.split(" (")[0] for line in problems(entries)] == [
        "untranslated",
        "fuzzy",
        "untranslated",
        "placeholders differ",
    ]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext, msgmerge)")
def test_every_source_string_is_in_the_catalog_and_translated(tmp_path):
    """Runs makemessages on a copy of the sources (the working tree is left untouched) against the committed
    .po: a new `_()` or `{% translate %}` string shows up as an untranslated entry here."""
    copy = tmp_path / "src"

    def skip(directory: str, names: list[str]) -> list[str]:
        if Path(directory) == ROOT:
            return [
                name for name in names if name in MAKEMESSAGES_IGNORE or name in {".git", "var", "static"}
            ]
        return [
            name
            for name in names
            if name == "__pycache__"
            or (Path(directory, name).is_file() and Path(name).suffix not in {".py", ".html", ".txt", ".po"})
        ]

    shutil.copytree(ROOT, copy, ignore=skip)
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    command += [f"--ignore={name}" for name in MAKEMESSAGES_IGNORE]
    result = subprocess.run(command, cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr

    assert problems(parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")) == []


# --- no bilingual literals ------------------------------------------------------------------------------

# "中文 / English" in one literal: English readers saw both halves. A message is a Chinese msgid through
# gettext instead, with its English in the .po.
BILINGUAL_PAIR = re.compile(r"[\u4e00-\u9fff][^\n]*\s/\s*[A-Za-z]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def bilingual_literals(source: str) -> list[str]:
    """String literals (an f-string's text parts joined) holding a "中文 / English" pair; docstrings are
    for developers and left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    f_string_parts = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in f_string_parts:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "{}".join(part.value for part in node.values if isinstance(part, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
        else:
            continue
        if BILINGUAL_PAIR.search(text):
            found.append(f"{node.lineno}: {text}")
    return found


def test_bilingual_literals_are_found_in_plain_and_f_strings():
    source = (
        '"""模块 / module docstring"""\n'
        'a = "代码重复 / duplicate code"\n'
        'b = f"{label}无效 / invalid {field}"\n'
        'c = _("代码重复")\n'
        'd = "常驻 / 轮驻"\n'
    )

    assert [line.split(":")[0] for line in bilingual_literals(source)] == ["2", "3"]


def test_no_python_source_holds_a_bilingual_literal():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_sources()
        for line in bilingual_literals(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_template_holds_a_bilingual_text():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"[\u4e00-\u9fff][^<>{}\n]*\s/\s*[A-Za-z]", line)
    ]
    assert found == []


# --- messages in each language ----------------------------------------------------------------------------

# Words a Chinese message may carry: codes the API accepts, file formats, options of a command.
ENGLISH_IN_CHINESE = {
    "person", "organisation", "applicant", "respondent", "other",
    "ASCII", "PDF", "Word", "Excel", "PPT", "WPS", "MB", "Idempotency", "Key", "X",
}  # fmt: skip


def without_quoted_data(message: str) -> str:
    """What the user typed or a record's name is quoted “…” in a message: data, not the message's language."""
    return re.sub(r"“[^”]*”", "“”", message)


def strings_in(value) -> list[str]:
    """The messages of an API error body; its `code` and `field` are stable identifiers, not messages."""
    if isinstance(value, dict):
        return [
            text for key, item in value.items() if key not in ("code", "field") for text in strings_in(item)
        ]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return [str(value)]


def assert_english(messages: list[str]) -> None:
    assert messages
    assert [m for m in messages if HAN.search(without_quoted_data(m))] == []


def assert_chinese(messages: list[str], *, codes: frozenset[str] = frozenset()) -> None:
    assert messages
    for message in messages:
        assert HAN.search(message), message
        words = set(re.findall(r"[A-Za-z]+", without_quoted_data(message)))
        assert words <= ENGLISH_IN_CHINESE | codes, message


# Well-formed for the API's serializer, refused by intake.services: the service's own messages come back.
BAD_REGISTRATION = {
    "channel": "walk_in",
    "category": "9999",
    "region": "999999999999",
    "grid_cell": "nope",
    "summary": "Leak",
    "description": "Water from upstairs",
    "latitude": "91",
    "longitude": "0",
    "parties": [
        {"kind": "person", "name": "Zhang Wei", "role": "applicant"},
        {"kind": "person", "name": "Li Qiang", "phone": "13998765432", "role": "respondent"},
        {"kind": "person", "name": "Li Qiang", "phone": "13998765432", "role": "respondent"},
    ],
}


def registration_errors(client, language: str) -> list[str]:
    response = client.post("/api/v1/cases/", BAD_REGISTRATION, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400, response.content
    return strings_in(response.json())


def test_intake_api_errors_in_english(clerk, center):
    messages = registration_errors(client_for(clerk), "en")

    assert_english(messages)
    assert "Unknown region code 999999999999" in messages
    assert (
        "An applicant needs a phone number or an ID number, so they can be contacted and followed up"
        in messages
    )


def test_intake_api_errors_in_chinese(clerk, center):
    messages = registration_errors(client_for(clerk), "zh-hans")

    assert_chinese(messages)
    assert "区划代码 999999999999 不存在" in messages


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_registration_check_speaks_the_active_language(clerk, center, language):
    from django.core.exceptions import ValidationError

    from intake.services import case_register

    bad = {
        "channel": "carrier_pigeon",
        "matter_type": "",
        "category": "nope",
        "region": "12345",
        "summary": "",
        "description": "x" * 10_001,
        "amount": "lots",
        "involved_people": "many",
        "received_at": "yesterday",
        "latitude": "north",
        "longitude": "1",
        "parties": [
            {"kind": "robot", "name": "", "role": "judge", "id_number": "110105194912310022", "phone": "12"},
            {"kind": "organisation", "name": "Acme", "id_number": "91220102MA0Y3K5L2A", "role": "respondent"},
            "not a party",
        ],
    }
    with translation.override(language), pytest.raises(ValidationError) as refused:
        case_register(actor=clerk, center=center, **bad)

    messages = [m for field in refused.value.message_dict.values() for m in field]
    assert len(messages) >= 15
    # the invalid-choice messages list the codes the API accepts, with their labels
    messages = [re.sub(r"(可选|choose from) .*", "", m) for m in messages]
    (assert_english if language == "en" else assert_chinese)(messages)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_intake_api_refusals_in_each_language(clerk, mediator, center, language):
    check = assert_english if language == "en" else assert_chinese
    bad_key = client_for(clerk).post(
        "/api/v1/cases/", {}, format="json", HTTP_IDEMPOTENCY_KEY="键", HTTP_ACCEPT_LANGUAGE=language
    )
    forbidden = client_for(mediator).post("/api/v1/cases/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert (bad_key.status_code, forbidden.status_code) == (400, 403)
    assert bad_key.json()["field"] == "Idempotency-Key"
    check(strings_in(bad_key.json()) + [forbidden.json()["detail"]])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_grid_analytics_and_mediation_api_errors_in_each_language(supervisor, org, language):
    check = assert_english if language == "en" else assert_chinese
    client = client_for(supervisor)
    notice = {
        "kind": "supervision_letter",
        "title": "Urging",
        "body": "Report back.",
        "reply_days": 5,
        "recipient_center": org["centers"]["220102001000"].pk,
    }

    responses = [
        client.get("/api/v1/regions/", {"parent": "abc"}, HTTP_ACCEPT_LANGUAGE=language),
        client.get("/api/v1/analytics/summary", {"region": "abc"}, HTTP_ACCEPT_LANGUAGE=language),
        client.get("/api/v1/analytics/trend", {"months": "5"}, HTTP_ACCEPT_LANGUAGE=language),
        client.post(
            "/api/v1/mediation/notices/",
            notice | {"cases": ["X-1"]},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        ),
        client.post(
            "/api/v1/mediation/notices/",
            notice | {"recipient_department": 999_999},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        ),
    ]

    assert [response.status_code for response in responses] == [400] * 5
    check([message for response in responses for message in strings_in(response.json())])


def test_dispatch_api_refusal_in_english(clerk, supervisor, center):
    from intake.tests.factories import register

    case = register(actor=clerk, center=center)

    response = client_for(supervisor).post(
        f"/api/v1/cases/{case.number}/triage/", {"color": "red"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert_english(strings_in(response.json()))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_validators_speak_the_active_language(language):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intake.validators import (
        attachment_content_type,
        validate_credit_code,
        validate_phone,
        validate_resident_id,
    )

    checks = [
        lambda: validate_resident_id("1101051949123100"),
        lambda: validate_resident_id("110105194913310021"),
        lambda: validate_resident_id("110105194912310022"),
        lambda: validate_credit_code("91220102MA0Y3K5L2A"),
        lambda: validate_phone("12"),
        lambda: attachment_content_type(SimpleUploadedFile("a.exe", b"MZ")),
        lambda: attachment_content_type(SimpleUploadedFile("a.png", b"")),
        lambda: attachment_content_type(SimpleUploadedFile("a.png", b"GIF89a")),
    ]
    messages = []
    with translation.override(language):
        for check in checks:
            with pytest.raises(ValidationError) as refused:
                check()
            messages += refused.value.messages

    (assert_english if language == "en" else assert_chinese)(messages)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_and_region_files_are_refused_in_the_active_language(org, tmp_path, language):
    from django.core.exceptions import ValidationError

    from grid.center_import import read_center_rows
    from grid.region_import import RegionImportError, parse_rows
    from grid.services import regions_import, staff_import

    regions = tmp_path / "regions.csv"
    regions.write_text(
        "code,name,level,parent_code\n9,Bad,1,\n110000000000,Beijing,1,990000000000\n"
        "110100000000,,7,\n110100000000,Dup,2,110000000000\n",
        encoding="utf-8",
    )
    centers = tmp_path / "centers.csv"
    centers.write_text("code,name\n12,A\n220102000000,B\n220102000000,C\n", encoding="utf-8")
    staff = b"username,region_code,roles,center,department,window,grid_cell\n,999,wizard,1,D,W,777\n"
    messages = []
    with translation.override(language):
        for load in (
            lambda: regions_import(path=regions),
            lambda: list(parse_rows(["code,name\n"])),
            lambda: read_center_rows(centers),
        ):
            with pytest.raises(RegionImportError) as refused:
                load()
            messages += refused.value.problems
        with pytest.raises(ValidationError) as refused:
            staff_import(filename="staff.csv", content=staff)
        messages += refused.value.messages

    # echoed back: the bad role, and the role codes the command accepts
    messages = [re.sub(r"wizard|(可选|choose from) [\w, ]+", "", message) for message in messages]
    if language == "en":
        assert_english(messages)
    else:  # a missing column is named as the file names it
        assert_chinese(messages, codes=frozenset({"code", "name", "level", "parent"}))


# --- the main pages in English ---------------------------------------------------------------------------

# Shown in Chinese on purpose: the logo's character and the language's own name in the switcher.
ALLOWED_CHINESE = ('<span class="brand-mark">综</span>', ">简体中文<")
DATA_APPS = {"grid", "intake", "dispatch", "mediation", "analytics", "auth"}


def chinese_data() -> list[str]:
    """Every Chinese text stored in the database (region, center and people's names, categories...): data,
    shown as entered whatever the language. Longest first, so a name is removed before a part of it."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if model._meta.app_label not in DATA_APPS or not fields:
            continue
        for row in model.objects.values_list(*fields):
            found.update(text for value in row for text in strings_in(value) if HAN.search(text))
    return sorted(found, key=len, reverse=True)


def chinese_outside_data(html: str, data: list[str]) -> list[str]:
    from django.utils.html import escape

    for text in (*ALLOWED_CHINESE, *data):
        html = html.replace(escape(text), " ").replace(text, " ")
    return [html[max(0, m.start() - 50) : m.end() + 20] for m in HAN.finditer(html)]


@pytest.fixture
def cases_with_english_data(clerk, mediator, center, time_machine):
    """A case registered at the 南关区 desk and one in the mediator's hands, entered in English."""
    time_machine.move_to(dt.datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    from dispatch.transitions import case_claim
    from intake.tests.factories import register
    from mediation.tests.factories import CaseFactory

    registered = register(
        actor=clerk,
        center=center,
        summary="Water leak",
        description="Water from the flat upstairs",
        amount="8600",
        parties=[
            {"kind": "person", "name": "Zhang Wei", "phone": "13812345678", "role": "applicant"},
            {"kind": "person", "name": "Li Qiang", "phone": "13998765432", "role": "respondent"},
        ],
    )
    handled = CaseFactory(status="triaged", color="yellow", summary="Parking", description="A parking space")
    return registered, case_claim(handled, actor=mediator)


@pytest.fixture
def assigned_case(cases_with_english_data, clerk, supervisor, org):
    """A case with a timeline: registered, triaged as proposed and assigned to the 南关区 department."""
    from dispatch.transitions import case_assign, case_triage
    from dispatch.triage import propose_color

    registered, _handled = cases_with_english_data
    case = case_triage(registered, actor=supervisor, color=propose_color(registered)[0])
    return case_assign(case, actor=supervisor, department=org["department"])


def test_main_pages_in_english_show_no_chinese_outside_data(
    client, clerk, grid_worker, mediator, supervisor, cases_with_english_data, assigned_case
):
    registered, handled = cases_with_english_data
    pages = {
        None: ["/accounts/login/", "/track/"],
        clerk: [
            "/intake/register/",
            "/intake/today/",
            f"/intake/cases/{registered.number}/",
            f"/intake/cases/{registered.number}/receipt/",
            f"/dispatch/cases/{registered.number}/",
            "/dispatch/inbox/",
        ],
        grid_worker: ["/intake/grid/report/"],
        supervisor: [
            "/dispatch/triage/",
            "/dispatch/overdue/",
            f"/dispatch/cases/{assigned_case.number}/",
            "/mediation/board/",
            "/mediation/notices/",
            "/analytics/",
            "/analytics/report/",
        ],
        mediator: ["/mediation/mine/", f"/mediation/cases/{handled.number}/"],
    }
    data = chinese_data()

    found = {}
    for user, paths in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        switch_to_english(client)
        for path in paths:
            html = page(client, path)
            assert 'lang="en"' in html, path
            if leftovers := chinese_outside_data(html, data):
                found[path] = leftovers
    assert found == {}


def test_scripts_hold_no_user_facing_chinese():
    """Our scripts take their words from data attributes the templates translate (#countdown-labels)."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "static").rglob("*.js"))
        if "vendor" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAN.search(line.split("//")[0])
    ]
    assert found == []


FULL_WIDTH_PUNCTUATION = re.compile(r"[\u3001-\u303f\uff00-\uffef]")


def test_the_receipt_todays_list_and_case_page_in_english_use_english_punctuation(
    client, clerk, cases_with_english_data
):
    registered, _handled = cases_with_english_data
    client.force_login(clerk)
    switch_to_english(client)
    data = chinese_data()

    found = {}
    paths = (
        f"/intake/cases/{registered.number}/receipt/",
        "/intake/today/",
        f"/dispatch/cases/{registered.number}/",
    )
    for path in paths:
        html = page(client, path)
        for text in data:
            html = html.replace(text, " ")
        found[path] = [
            html[max(0, m.start() - 30) : m.end() + 10] for m in FULL_WIDTH_PUNCTUATION.finditer(html)
        ]

    assert found == {path: [] for path in found}
    assert "No.: <strong>" in page(client, f"/intake/cases/{registered.number}/receipt/")


def chinese_outside_translation(source: str) -> list[str]:
    """Chinese in a template's text or variables that no {% translate %} / {% blocktranslate %} covers."""
    from django.template.base import Lexer, TokenType

    found, translating = [], False
    for token in Lexer(source).tokenize():
        words = token.split_contents() if token.token_type == TokenType.BLOCK else []
        if words[:1] in (["blocktranslate"], ["blocktrans"]):
            translating = True
        elif words[:1] in (["endblocktranslate"], ["endblocktrans"]):
            translating = False
        elif token.token_type == TokenType.TEXT and not translating:
            text = token.contents.replace('<span class="brand-mark">综</span>', "")  # the logo
            found += [f"{token.lineno}: {line.strip()}" for line in text.splitlines() if HAN.search(line)]
        elif token.token_type == TokenType.VAR and HAN.search(re.sub(r'_\("[^"]*"\)', "", token.contents)):
            found.append(f"{token.lineno}: {{{{ {token.contents} }}}}")
    return found


def test_chinese_in_templates_is_found_outside_translation_only():
    source = (
        '{% load i18n %}<h1>{% translate "受理" %}</h1>'
        "<p>{% blocktranslate %}共 {{ n }} 件{% endblocktranslate %}</p>\n"
        '<p>{{ day|date:_("Y年n月j日") }} 元</p>\n{{ day|date:"Y年" }}'
    )

    assert [line.split(":")[0] for line in chinese_outside_translation(source)] == ["2", "3"]


def test_templates_hold_no_chinese_outside_translation():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for line in chinese_outside_translation(path.read_text(encoding="utf-8"))
    ]
    assert found == []
