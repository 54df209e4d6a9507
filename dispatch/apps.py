from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("分流交办")

    def ready(self) -> None:
        from dispatch.deadlines import cases_due_times
        from dispatch.transitions import case_registered, steps_available
        from intake import hooks

        hooks.on_case_registered(case_registered)
        hooks.due_times.provide(cases_due_times)
        hooks.steps_available.provide(steps_available)
