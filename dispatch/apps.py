from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("分流交办")

    def ready(self) -> None:
        from dispatch.transitions import case_registered
        from intake.hooks import on_case_registered

        on_case_registered(case_registered)
