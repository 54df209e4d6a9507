"""What the page views share: running a service (zhongxin.pages, re-exported) and the read permission."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from zhongxin.pages import run_service

__all__ = ["require_perm", "run_service"]


def require_perm(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied
