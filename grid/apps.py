from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = _("组织架构与网格")

    def ready(self) -> None:
        # Role groups follow the permissions the apps grant (grid/roles.py).
        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(*, using: str, **kwargs) -> None:
    """Django creates each app's permissions in that app's own post_migrate, and grid's comes before the
    apps after it: create them all first, so one `migrate` leaves every role complete."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from grid.services import roles_sync

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    roles_sync()
