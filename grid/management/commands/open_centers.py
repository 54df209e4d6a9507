import argparse
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grid.center_import import CenterImportError, read_center_rows
from grid.choices import RegionLevel
from grid.services import centers_open, load_report

LEVELS = {level.name.lower(): level for level in RegionLevel}


def level_names(value: str) -> list[RegionLevel]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in LEVELS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            _("层级须为 %(allowed)s，实为 %(given)s")
            % {"allowed": ", ".join(LEVELS), "given": ", ".join(unknown) or _("（空）")}
        )
    return [LEVELS[name] for name in names]


class Command(BaseCommand):
    help = (
        "Open the 综治中心 of every region of a subtree at the chosen levels, or of each row of a CSV file "
        "(code,name,phone,address); checked first, idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within", default="", help="12-digit code of the subtree's root")
        parser.add_argument(
            "--levels", type=level_names, default=[], help=f"comma-separated: {','.join(LEVELS)}"
        )
        parser.add_argument("--file", type=Path, help="CSV with columns code,name,phone,address")

    def handle(self, *args, within: str, levels: list[RegionLevel], file: Path | None, **options):
        if not file and not levels:
            raise CommandError(_("请给出 --within 和 --levels，或 --file"))
        if file and not file.exists():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        started = time.perf_counter()
        try:
            rows = read_center_rows(file) if file else []
            result = centers_open(within=within, levels=levels, rows=rows)
        except CenterImportError as error:
            raise CommandError(_("开设失败，未写入任何数据：\n%(problems)s") % {"problems": error}) from None
        self.stdout.write(load_report(result, started))
