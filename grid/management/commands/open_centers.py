import argparse
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grid.center_import import CenterImportError, read_center_rows
from grid.choices import RegionLevel
from grid.services import centers_open

LEVELS = {level.name.lower(): level for level in RegionLevel}


def level_names(value: str) -> list[RegionLevel]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in LEVELS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"层级须为 / levels are {', '.join(LEVELS)}; got {', '.join(unknown) or '（空）'}"
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
            raise CommandError(
                "请给出 --within 和 --levels，或 --file / give --within and --levels, or --file"
            )
        if file and not file.exists():
            raise CommandError(f"找不到文件 / no such file: {file}")
        started = time.perf_counter()
        try:
            rows = read_center_rows(file) if file else []
            result = centers_open(within=within, levels=levels, rows=rows)
        except CenterImportError as error:
            raise CommandError(
                "开设失败，未写入任何数据 / refused, nothing written:\n" + str(error)
            ) from None
        self.stdout.write(f"{result.summary()} in {time.perf_counter() - started:.1f}s")
