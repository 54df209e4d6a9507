from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("研判分析")

    def ready(self) -> None:
        from analytics.rollup import rollup_listeners

        # Counts change in the transaction that registers, transitions or records itself: the dashboards
        # lag by nothing, and a rolled-back step takes its counts back with it.
        for hook, listener in rollup_listeners():
            hook.connect(listener)
