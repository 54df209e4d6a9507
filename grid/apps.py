from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = _("组织架构与网格")

    def ready(self) -> None:
        # Role groups follow the permissions the apps grant; Django creates permissions after migrating.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(**kwargs) -> None:
    from grid.services import roles_sync

    roles_sync()
