"""Reading and checking a centers file (code, name, phone, address) for `open_centers --file`.

Pure functions: no database access here. `grid.services.centers_open` checks the codes against the tree
and does the writing.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from grid.region_import import RegionImportError, line_problem

REQUIRED_COLUMNS = ("code",)
# Column widths of grid.models.Center.
MAX_LENGTHS = {"name": 100, "phone": 30, "address": 200}


class CenterImportError(RegionImportError):
    """The file has problems; each message names its line. Nothing has been written."""


@dataclass(frozen=True)
class CenterRow:
    line: int
    code: str
    name: str = ""
    phone: str = ""
    address: str = ""


def read_center_rows(path: Path) -> list[CenterRow]:
    """Every row of the file, each checked on its own (12-digit code, once, values within their widths)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CenterImportError([_("文件缺少列：%(columns)s") % {"columns": ", ".join(missing)}])
        rows = [
            CenterRow(
                line=line, **{field: (record.get(field) or "").strip() for field in ("code", *MAX_LENGTHS)}
            )
            for line, record in enumerate(reader, start=2)
        ]
    problems, seen = [], set()
    for row in rows:
        problem = _row_problem(row, seen)
        seen.add(row.code)
        if problem:
            problems.append(line_problem(row, problem))
    if problems:
        raise CenterImportError(problems)
    return rows


def _row_problem(row: CenterRow, seen: set[str]) -> str:
    if len(row.code) != 12 or not row.code.isdigit():
        return _("代码须为12位数字")
    if row.code in seen:
        return _("代码重复")
    for field, limit in MAX_LENGTHS.items():
        if len(getattr(row, field)) > limit:
            return _("%(field)s 超过 %(limit)s 个字符") % {"field": field, "limit": limit}
    return ""
