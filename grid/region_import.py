"""Reading and checking the official region file, and laying out the MPTT tree in one pass.

Pure functions: no database access here. `grid.services.regions_import` does the writing.
"""

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

# How many leading digits of the 12-digit code are significant at each level; the rest are zeros.
SIGNIFICANT_DIGITS = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")


class RegionImportError(Exception):
    """The file has problems; each message names its row. Nothing has been written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class RegionRow:
    line: int
    code: str
    name: str
    level: int
    parent_code: str


@dataclass
class TreeNode:
    code: str
    name: str
    level: int
    parent_code: str
    tree_id: int = 0
    lft: int = 0
    rght: int = 0
    depth: int = 0


def read_rows(path: Path) -> Iterator[RegionRow]:
    """Yields raw rows from a .csv or .csv.gz file (or a folder holding regions.csv.gz)."""
    if path.is_dir():
        path = path / "regions.csv.gz"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        yield from parse_rows(handle)


def parse_rows(handle: io.TextIOBase | Iterable[str]) -> Iterator[RegionRow]:
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegionImportError([_("文件缺少列：%(columns)s") % {"columns": ", ".join(missing)}])
    for line, record in enumerate(reader, start=2):
        level = record["level"].strip()
        yield RegionRow(
            line=line,
            code=record["code"].strip(),
            name=record["name"].strip(),
            level=int(level) if level.isdigit() else -1,
            parent_code=(record["parent_code"] or "").strip(),
        )


def select_rows(rows: Iterable[RegionRow], *, provinces: list[str], within: list[str]) -> list[RegionRow]:
    """Keeps whole provinces (by 2-digit prefix) and/or the subtrees of `within` codes, with ancestors."""
    prefixes = tuple(code[:2] for code in provinces)
    if provinces or within:  # a subtree and its ancestors share their province's prefix
        rows = (row for row in rows if row.code.startswith(prefixes + tuple(code[:2] for code in within)))
    rows = sorted(rows, key=lambda row: row.code)  # a parent's code sorts before its children's
    if not provinces and not within:
        return rows
    keep = {row.code for row in rows if prefixes and row.code.startswith(prefixes)}
    roots = set(within)
    under: set[str] = set()
    for row in rows:
        if row.code in roots or row.parent_code in under:
            under.add(row.code)
    parents = {row.code: row.parent_code for row in rows}
    for code in roots & parents.keys():
        while code:
            keep.add(code)
            code = parents.get(code, "")
    keep |= under
    return [row for row in rows if row.code in keep]


def line_problem(row: RegionRow, problem: str) -> str:
    """A problem of one file row, named by its line and code (a CenterRow has the same two fields)."""
    return _("第 %(line)s 行（%(code)s）：%(problem)s") % {
        "line": row.line,
        "code": row.code or _("空代码"),
        "problem": problem,
    }


def validate_rows(rows: list[RegionRow], *, known_levels: dict[str, int]) -> dict[str, TreeNode]:
    """Checks every row; `known_levels` are regions already in the database (code -> level)."""
    problems: list[str] = []
    nodes: dict[str, TreeNode] = {}
    for row in rows:
        problem = _row_problem(row, nodes, known_levels)
        if problem:
            problems.append(line_problem(row, problem))
            continue
        nodes[row.code] = TreeNode(code=row.code, name=row.name, level=row.level, parent_code=row.parent_code)
    if problems:
        raise RegionImportError(problems)
    return nodes


def _row_problem(row: RegionRow, seen: dict[str, TreeNode], known_levels: dict[str, int]) -> str:
    if len(row.code) != 12 or not row.code.isdigit():
        return _("代码须为12位数字")
    if row.level not in SIGNIFICANT_DIGITS:
        return _("层级须为1–5，实为 %(level)s") % {"level": row.level}
    if set(row.code[SIGNIFICANT_DIGITS[row.level] :]) - {"0"}:
        return _("代码与层级%(level)s不符") % {"level": row.level}
    if not row.name:
        return _("名称为空")
    if row.code in seen:
        return _("代码重复")
    if row.level == 1:
        return _("省级不应有上级") if row.parent_code else ""
    parent_level = (
        seen[row.parent_code].level if row.parent_code in seen else known_levels.get(row.parent_code)
    )
    if parent_level is None:
        return _("上级 %(code)s 不存在") % {"code": row.parent_code or _("（空）")}
    if parent_level >= row.level:
        return _("上级层级%(parent_level)s不高于本级%(level)s") % {
            "parent_level": parent_level,
            "level": row.level,
        }
    if not row.code.startswith(row.parent_code[: SIGNIFICANT_DIGITS[parent_level]]):
        return _("代码不在上级之下")
    return ""


def layout_tree(nodes: dict[str, TreeNode]) -> None:
    """Assigns tree_id, lft, rght and depth to every node: one depth-first pass, children by code.

    A province's tree_id is its 2-digit code, so importing provinces one at a time gives the same layout.
    """
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for code in sorted(nodes):
        parent = nodes[code].parent_code
        if parent and parent in nodes:
            children.setdefault(parent, []).append(code)
        else:
            roots.append(code)
    for root in roots:
        _number_subtree(root, nodes, children, tree_id=int(root[:2]))


def _number_subtree(
    root: str, nodes: dict[str, TreeNode], children: dict[str, list[str]], *, tree_id: int
) -> None:
    counter = 1
    stack: list[tuple[str, int, bool]] = [(root, 0, False)]
    while stack:
        code, depth, closing = stack.pop()
        node = nodes[code]
        if closing:
            node.rght = counter
            counter += 1
            continue
        node.tree_id, node.lft, node.depth = tree_id, counter, depth
        counter += 1
        stack.append((code, depth, True))
        for child in reversed(children.get(code, [])):
            stack.append((child, depth + 1, False))
