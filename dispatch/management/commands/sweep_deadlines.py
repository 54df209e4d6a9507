from django.core.management.base import BaseCommand

from dispatch.timers import deadlines_sweep


class Command(BaseCommand):
    help = "Handles every due deadline warning and breach now (what the beat task does every minute)."

    def handle(self, *args, **options) -> None:
        result = deadlines_sweep()
        self.stdout.write(f"warned {result.warned}, breached {result.breached}")
