import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grid.region_import import RegionImportError
from grid.services import load_report, regions_import


class Command(BaseCommand):
    help = "Load official region codes (../shared/data/regions.csv.gz) into the tier tree; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="regions.csv(.gz) or the folder holding it")
        parser.add_argument("--province", action="append", default=[], help="2- or 12-digit province code")
        parser.add_argument(
            "--within", action="append", default=[], help="a region's subtree and its ancestors"
        )

    def handle(self, *args, path: Path, province: list[str], within: list[str], **options):
        if not path.exists():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        started = time.perf_counter()
        try:
            result = regions_import(path=path, provinces=province, within=within)
        except RegionImportError as error:
            raise CommandError(_("导入失败，未写入任何数据：\n%(problems)s") % {"problems": error}) from None
        self.stdout.write(load_report(result, started))
