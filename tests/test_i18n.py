"""The English translation: switching the language turns the pages English, Chinese stays the default, and
locale/en/LC_MESSAGES/django.po translates every string (no empty or fuzzy entry), compiled into django.mo.

Adding a `_()` / `{% translate %}` string means: run makemessages (see the command in
test_every_source_string_is_in_the_catalog_and_translated), translate it in the .po, run compilemessages."""

import ast
import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
