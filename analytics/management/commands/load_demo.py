"""Loads the demo for `make run`. It lives in analytics, the last app in the dependency chain,
because the demo spans every app and only the downstream-most app may import them all."""

import os
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from analytics import demo as analytics_demo
from analytics.rollup import rollups_deferred
from dispatch import demo as dispatch_demo
from grid.demo import DEMO_PASSWORD, load_grid_demo
from intake import demo as intake_demo
from mediation import demo as mediation_demo

# Each app's demo after the organisation, in dependency order; each is idempotent. The cases' history
# is played without counting each step; the analytics step then rebuilds the rollup from it.
CASE_STEPS = (intake_demo.load_demo, dispatch_demo.load_demo, mediation_demo.load_demo)


class Command(BaseCommand):
    help = "Load demo regions (长春市, 兰州市), centers, staff for every role, and demo cases; idempotent."

    def handle(self, *args, **options):
        staff = self._step("organisation", load_grid_demo)
        with rollups_deferred():
            for step in CASE_STEPS:
                self._report(self._step(step.__module__, step))
        self._report(self._step(analytics_demo.__name__, analytics_demo.load_demo))
        self.stdout.write("\n" + _("演示账号（密码：%(password)s）") % {"password": DEMO_PASSWORD})
        self.stdout.write(f"  {'root':<20} superuser")
        for spec in staff:
            self.stdout.write(
                f"  {spec.username:<20} {', '.join(spec.roles):<12} {spec.full_name} · {spec.region_code}"
            )
        self.stdout.write(
            "\n" + _("打开 %(url)s") % {"url": f"http://127.0.0.1:{os.getenv('PORT', '8000')}/"}
        )

    def _step(self, name: str, step: Callable):
        """Runs one step, saying when it starts and how long it took (make run shows it as it goes)."""
        self._report(f"… {name}")
        started = time.perf_counter()
        result = step()
        self._report(f"  {name}: {time.perf_counter() - started:.1f} s")
        return result

    def _report(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
