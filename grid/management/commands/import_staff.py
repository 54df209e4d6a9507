from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grid.services import staff_import


class Command(BaseCommand):
    help = (
        "Import staff from CSV or Excel (username,name,phone,region_code,roles,center,department,grid_cell)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        try:
            count = staff_import(filename=file.name, content=file.read_bytes())
        except ValidationError as error:
            raise CommandError(
                _("导入失败，未写入任何数据：\n%(problems)s") % {"problems": "\n".join(error.messages)}
            ) from None
        self.stdout.write(_("已导入 %(count)s 人") % {"count": count})
