from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("分流交办")

    def ready(self) -> None:
        from dispatch.deadlines import cases_due_times
        from dispatch.transitions import case_registered
        from intake.hooks import due_times, on_case_registered

        on_case_registered(case_registered)
        due_times.provide(cases_due_times)
