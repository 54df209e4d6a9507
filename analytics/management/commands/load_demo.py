"""Loads the demo for `make run`. It lives in analytics, the last app in the dependency chain,
because the demo spans every app and only the downstream-most app may import them all."""

from django.core.management.base import BaseCommand

from analytics import demo as analytics_demo
from dispatch import demo as dispatch_demo
from grid.demo import DEMO_PASSWORD, load_grid_demo
from intake import demo as intake_demo
from mediation import demo as mediation_demo


class Command(BaseCommand):
    help = "Load demo regions (长春市, 兰州市), centers, staff for every role, and demo cases; idempotent."

    def handle(self, *args, **options):
        staff = load_grid_demo()
        for step in DEMO_STEPS:
            self.stdout.write(step())
        self.stdout.write(f"\n演示账号 / demo logins (password 密码: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'root':<20} superuser")
        for spec in staff:
            self.stdout.write(
                f"  {spec.username:<20} {', '.join(spec.roles):<12} {spec.full_name} · {spec.region_code}"
            )
        self.stdout.write("\n打开 / open http://127.0.0.1:8000/")


# Each app's demo after the organisation, in dependency order; each is idempotent.
DEMO_STEPS = (
    intake_demo.load_demo,
    dispatch_demo.load_demo,
    mediation_demo.load_demo,
    analytics_demo.load_demo,
)
