from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "mediation"
    verbose_name = _("调解与督办")

    def ready(self) -> None:
        from dispatch.hooks import on_target_deadline_breached
        from mediation.notices import notice_reply_breached

        on_target_deadline_breached(notice_reply_breached)
