"""The navigation bar by role: one table, so every page shows the same menu for the same person."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dispatch.selectors import notification_unread_count
from grid.choices import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]


ALL_ROLES = frozenset(Role)
NAV_ITEMS = (
    NavItem(_("受理登记"), "intake:register", frozenset({Role.CLERK})),
    NavItem(_("网格上报"), "intake:grid_report", frozenset({Role.GRID_WORKER})),
    NavItem(_("今日登记"), "intake:today", frozenset({Role.CLERK, Role.SUPERVISOR})),
    NavItem(_("我的案件"), "mediation:queue_mine", frozenset({Role.MEDIATOR, Role.GRID_WORKER})),
    NavItem(_("待认领"), "mediation:queue_unclaimed", frozenset({Role.MEDIATOR})),
    NavItem(_("分级交办"), "dispatch:triage_board", frozenset({Role.SUPERVISOR})),
    NavItem(_("超期清单"), "dispatch:overdue", frozenset({Role.SUPERVISOR})),
    NavItem(_("待审批延期"), "dispatch:extensions", frozenset({Role.SUPERVISOR})),
    NavItem(_("督办看板"), "mediation:supervisor_board", frozenset({Role.SUPERVISOR})),
    NavItem(_("督办文书"), "mediation:notice_list", frozenset({Role.CLERK, Role.MEDIATOR, Role.SUPERVISOR})),
    NavItem(_("研判分析"), "analytics:dashboard", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    NavItem(_("消息"), "dispatch:inbox", ALL_ROLES),
    NavItem(_("系统管理"), "admin:index", frozenset({Role.ADMIN})),
)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    names = {group.name for group in user.groups.all()}
    return frozenset(role for role in Role if role.value in names)


def nav_for(user: AbstractBaseUser | AnonymousUser) -> list[dict[str, str]]:
    roles = user_roles(user)
    items = []
    for item in NAV_ITEMS:
        if not roles & item.roles:
            continue
        try:
            items.append({"label": item.label, "url": reverse(item.url_name), "name": item.url_name})
        except NoReverseMatch:  # the page belongs to an app that has not built it yet
            continue
    return items


def first_page_for(user: AbstractBaseUser | AnonymousUser) -> str | None:
    items = [item for item in nav_for(user) if item["name"] != "dispatch:inbox"]
    return items[0]["url"] if items else None


def navigation(request: HttpRequest) -> dict:
    """Template context: the menu, the signed-in person's roles and their unread messages."""
    if not request.user.is_authenticated:
        return {"nav_items": [], "user_roles": [], "unread_count": 0}
    roles = user_roles(request.user)
    return {
        "nav_items": nav_for(request.user),
        "user_roles": sorted(role.label for role in roles),
        "unread_count": notification_unread_count(user=request.user),
    }
