from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("研判分析")

    def ready(self) -> None:
        from analytics.rollup import (
            rollup_case_registered,
            rollup_case_transitioned,
            rollup_follow_up_recorded,
            rollup_repeat_visit_added,
        )
        from dispatch.hooks import on_transition
        from intake.hooks import on_case_registered, on_repeat_visit_added
        from mediation.hooks import on_follow_up_recorded

        # Counts change in the transaction that registers, transitions or records itself: the dashboards
        # lag by nothing, and a rolled-back step takes its counts back with it.
        on_case_registered(rollup_case_registered)
        on_transition(rollup_case_transitioned)
        on_repeat_visit_added(rollup_repeat_visit_added)
        on_follow_up_recorded(rollup_follow_up_recorded)
