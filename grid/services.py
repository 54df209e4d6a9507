"""Writes for the tier tree and the organisation on it. Tree writes happen here, inside transactions."""

import csv
import io
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from grid.center_import import CenterImportError, CenterRow
from grid.choices import Role
from grid.models import Center, Department, GridCell, Region, StaffProfile, Window
from grid.region_import import TreeNode, layout_tree, line_problem, read_rows, select_rows, validate_rows
from grid.roles import role_permission_codes

TREE_FIELDS = ("name", "level", "parent_id", "tree_id", "lft", "rght", "depth")
BATCH_SIZE = 5000


@dataclass(frozen=True)
class LoadCounts:
    """What a bulk load did: rows created, updated in place, and found as they were."""

    created: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return gettext("新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def load_report(counts: LoadCounts, started: float) -> str:
    """What a load command prints: its counts and how long it took since `started` (perf_counter)."""
    return gettext("%(summary)s，用时 %(seconds)s 秒") % {
        "summary": counts.summary(),
        "seconds": f"{time.perf_counter() - started:.1f}",
    }


def regions_import(*, path: Path, provinces: list[str] = (), within: list[str] = ()) -> LoadCounts:
    """Loads official regions into the tree: validate everything first, then upsert in one transaction.

    Idempotent: the tree layout is computed from the file merged with what the database holds, and only
    rows whose values differ are written (a renamed region is updated in place, never duplicated).
    """
    rows = select_rows(read_rows(path), provinces=list(provinces), within=list(within))
    known_levels = dict(Region.objects.values_list("code", "level"))
    nodes = validate_rows(rows, known_levels=known_levels)
    with transaction.atomic():
        existing = _existing_nodes(tree_ids={int(code[:2]) for code in nodes})
        merged = existing | nodes
        layout_tree(merged)
        changed = [
            merged[code]
            for code in sorted(merged)
            if _node_values(merged[code]) != existing_values(existing, code)
        ]
        for start in range(0, len(changed), BATCH_SIZE):
            Region.objects.bulk_create(
                [_region_from_node(node) for node in changed[start : start + BATCH_SIZE]],
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=list(TREE_FIELDS),
            )
    created = sum(1 for node in changed if node.code not in existing)
    return LoadCounts(created=created, updated=len(changed) - created, unchanged=len(nodes) - len(changed))


def _existing_nodes(*, tree_ids: set[int]) -> dict[str, TreeNode]:
    fields = ("code", "name", "level", "parent__code", "tree_id", "lft", "rght", "depth")
    return {
        code: TreeNode(code, name, level, parent or "", tree_id, lft, rght, depth)
        for code, name, level, parent, tree_id, lft, rght, depth in Region.objects.filter(
            tree_id__in=tree_ids
        ).values_list(*fields)
    }


def existing_values(existing: dict[str, TreeNode], code: str) -> tuple | None:
    return _node_values(existing[code]) if code in existing else None


def _node_values(node: TreeNode) -> tuple:
    return (node.name, node.level, node.parent_code, node.tree_id, node.lft, node.rght, node.depth)


def _region_from_node(node: TreeNode) -> Region:
    return Region(
        id=int(node.code),
        code=node.code,
        name=node.name,
        level=node.level,
        parent_id=int(node.parent_code) if node.parent_code else None,
        tree_id=node.tree_id,
        lft=node.lft,
        rght=node.rght,
        depth=node.depth,
    )


def center_create(*, region: Region, name: str = "", phone: str = "", address: str = "") -> Center:
    """Opens the 综治中心 of a region; its code (the region code) prefixes its case numbers."""
    return Center.objects.create(
        region=region, name=name or f"{region.name}综治中心", code=region.code, phone=phone, address=address
    )


def centers_open(
    *, within: str = "", levels: Iterable[int] = (), rows: Iterable[CenterRow] = ()
) -> LoadCounts:
    """Opens the 综治中心 of every region of `within`'s subtree at `levels`, and of each row of a centers
    file (whose name, phone and address are also set on a center already open). Everything is checked
    before anything is written; a second run writes nothing. Saved one by one so each is audited."""
    rows = list(rows)
    regions = _regions_to_open(within, set(levels), rows)
    given = {row.code: row for row in rows}
    opened = {center.region_id: center for center in Center.objects.filter(region__in=regions)}
    created = updated = 0
    with transaction.atomic():
        for region in regions:
            row = given.get(region.code, CenterRow(line=0, code=region.code))
            center = opened.get(region.pk)
            if center is None:
                center_create(region=region, name=row.name, phone=row.phone, address=row.address)
                created += 1
            elif _center_details_set(center, row):
                updated += 1
    return LoadCounts(created=created, updated=updated, unchanged=len(regions) - created - updated)


def _regions_to_open(within: str, levels: set[int], rows: list[CenterRow]) -> list[Region]:
    problems: list[str] = []
    root = Region.objects.filter(code=within).first() if within else None
    if within and root is None:
        problems.append(gettext("--within %(code)s：区划代码不存在") % {"code": within})
    if levels and not within:
        problems.append(gettext("--levels 需要 --within"))
    known = {region.code: region for region in Region.objects.filter(code__in=[row.code for row in rows])}
    for row in rows:
        region = known.get(row.code)
        if region is None:
            problems.append(line_problem(row, gettext("区划代码不存在")))
        elif root is not None and not root.is_ancestor_of(region, include_self=True):
            problems.append(line_problem(row, gettext("不在 %(code)s 之内") % {"code": within}))
    if problems:
        raise CenterImportError(problems)
    picked = list(known.values())
    if root is not None and levels:
        picked += root.get_descendants(include_self=True).filter(level__in=levels)
    return sorted({region.pk: region for region in picked}.values(), key=lambda region: region.code)


def _center_details_set(center: Center, row: CenterRow) -> bool:
    """Sets the file's non-empty values on an open center; True when something changed."""
    changed = {
        field: value
        for field in ("name", "phone", "address")
        if (value := getattr(row, field)) and getattr(center, field) != value
    }
    for field, value in changed.items():
        setattr(center, field, value)
    if changed:
        center.save(update_fields=list(changed))
    return bool(changed)


def roles_sync() -> None:
    """Makes one group per role holding exactly that role's permissions (run after migrations)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = role_permission_codes(role)
        permissions = [
            p
            for p in Permission.objects.select_related("content_type")
            if f"{p.content_type.app_label}.{p.codename}" in wanted
        ]
        group.permissions.set(permissions)


@dataclass(frozen=True)
class StaffSpec:
    username: str
    region_code: str
    roles: tuple[str, ...]
    full_name: str = ""
    phone: str = ""
    password: str | None = None
    center_code: str = ""
    department: str = ""
    grid_cell_code: str = ""
    window: str = ""


def staff_create(*, spec: StaffSpec) -> AbstractUser:
    """Creates (or updates) a staff user with their jurisdiction, unit and roles; validated first."""
    region, center, department, grid_cell, window, groups = _resolve_staff_spec(spec)
    with transaction.atomic():
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=spec.username)
        user.first_name = spec.full_name[:150]
        user.is_staff = Role.ADMIN.value in spec.roles
        if spec.password:
            user.set_password(spec.password)
        elif not user.has_usable_password():
            user.set_unusable_password()
        user.save()
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={
                "region": region,
                "center": center,
                "department": department,
                "grid_cell": grid_cell,
                "window": window,
                "phone": spec.phone,
            },
        )
        user.groups.set(groups)
    return user


def _resolve_staff_spec(spec: StaffSpec):
    errors: dict[str, str] = {}
    if not spec.username:
        errors["username"] = gettext("用户名不能为空")
    region = Region.objects.filter(code=spec.region_code).first()
    if region is None:
        errors["region"] = gettext("区划代码 %(code)s 不存在") % {"code": spec.region_code}
    bad_roles = [r for r in spec.roles if r not in Role.values]
    if bad_roles or not spec.roles:
        errors["roles"] = gettext("角色无效：%(roles)s；可选 %(allowed)s") % {
            "roles": ", ".join(bad_roles) or gettext("（空）"),
            "allowed": ", ".join(Role.values),
        }
    if spec.center_code:
        center = Center.objects.filter(code=spec.center_code).first()
        if center is None:
            errors["center"] = gettext("中心 %(code)s 不存在") % {"code": spec.center_code}
    else:  # staff work at their own region's center when it has one
        center = Center.objects.filter(region=region).first() if region else None
    department = _lookup(Department, center, spec.department, errors, "department", gettext("部门"))
    window = _lookup(Window, center, spec.window, errors, "window", gettext("窗口"))
    grid_cell = GridCell.objects.filter(code=spec.grid_cell_code).first() if spec.grid_cell_code else None
    if spec.grid_cell_code and grid_cell is None:
        errors["grid_cell"] = gettext("网格 %(code)s 不存在") % {"code": spec.grid_cell_code}
    if errors:
        raise ValidationError(errors)
    groups = list(Group.objects.filter(name__in=spec.roles))
    return region, center, department, grid_cell, window, groups


def _lookup(model, center: Center | None, name: str, errors: dict[str, str], field: str, label: str):
    if not name:
        return None
    found = model.objects.filter(center=center, name=name).first() if center else None
    if found is None:
        errors[field] = gettext("%(label)s“%(name)s”不在所选中心") % {"label": label, "name": name}
    return found


STAFF_COLUMNS = (
    "username",
    "name",
    "phone",
    "region_code",
    "roles",
    "center",
    "department",
    "grid_cell",
    "window",
)


def staff_import(*, filename: str, content: bytes) -> int:
    """Imports staff from CSV or Excel, all or nothing: every bad row is reported by line number."""
    records = _staff_records(filename, content)
    specs, problems = [], []
    for line, record in records:
        spec = StaffSpec(
            username=(record.get("username") or "").strip(),
            full_name=(record.get("name") or "").strip(),
            phone=(record.get("phone") or "").strip(),
            region_code=(record.get("region_code") or "").strip(),
            roles=tuple(
                r.strip() for r in (record.get("roles") or "").replace("，", ",").split(",") if r.strip()
            ),
            center_code=(record.get("center") or "").strip(),
            department=(record.get("department") or "").strip(),
            grid_cell_code=(record.get("grid_cell") or "").strip(),
            window=(record.get("window") or "").strip(),
        )
        try:
            _resolve_staff_spec(spec)
        except ValidationError as error:
            problems.append(
                gettext("第 %(line)s 行：%(problems)s")
                % {
                    "line": line,
                    "problems": gettext("；").join(m for ms in error.message_dict.values() for m in ms),
                }
            )
        specs.append(spec)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for spec in specs:
            staff_create(spec=spec)
    return len(specs)


def _staff_records(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        rows = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    if not rows or "username" not in rows[0]:
        raise ValidationError([gettext("首行须为列名：%(columns)s") % {"columns": ", ".join(STAFF_COLUMNS)}])
    header = [h.strip() for h in rows[0]]
    return [
        (line, dict(zip(header, row, strict=False))) for line, row in enumerate(rows[1:], start=2) if any(row)
    ]
