from django.core.management.base import BaseCommand

from grid.services import roles_sync


class Command(BaseCommand):
    help = "Create one group per role with exactly the permissions the apps grant it."

    def handle(self, *args, **options):
        roles_sync()
        self.stdout.write("roles synced")
