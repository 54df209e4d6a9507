"""Which permissions each role holds. Every app declares its share in `<app>/permissions.py` as
ROLE_GRANTS = {Role.X: {"app_label.codename", ...}}; this module only collects them."""

from django.apps import apps
from django.utils.module_loading import import_string

from grid.choices import Role


def role_permission_codes(role: Role) -> set[str]:
    codes: set[str] = set()
    for config in apps.get_app_configs():
        try:
            grants = import_string(f"{config.name}.permissions.ROLE_GRANTS")
        except ImportError:
            continue
        codes |= set(grants.get(role, ()))
    return codes
