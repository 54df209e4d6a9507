from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from grid.choices import Role
from grid.services import StaffSpec, staff_create


class Command(BaseCommand):
    help = "Create or update a staff user with a jurisdiction (region code) and roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="12-digit region code of the jurisdiction")
        parser.add_argument("--role", action="append", required=True, choices=Role.values)
        parser.add_argument("--password")
        parser.add_argument("--name", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--center", default="", help="center code (default: the center of --region)")
        parser.add_argument("--department", default="", help="department name at that center")
        parser.add_argument("--grid-cell", default="", help="grid cell code")

    def handle(self, *args, **o):
        spec = StaffSpec(
            username=o["username"],
            region_code=o["region"],
            roles=tuple(o["role"]),
            full_name=o["name"],
            phone=o["phone"],
            password=o["password"],
            center_code=o["center"],
            department=o["department"],
            grid_cell_code=o["grid_cell"],
        )
        try:
            user = staff_create(spec=spec)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{user.username}: {', '.join(spec.roles)} @ {spec.region_code}")
