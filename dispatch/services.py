"""Notifications: the in-app inbox is the record; further channels (SMS, a messaging app) plug in by
naming a class in settings.ZHONGXIN_NOTIFICATION_CHANNELS, without touching dispatch."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from dispatch.models import Notification
from grid.choices import Role
from grid.models import Center
from intake.models import Case


class NotificationChannel:
    """Delivers an inbox notification somewhere else. Called after commit; must not change state."""

    def send(self, notification: Notification) -> None:
        raise NotImplementedError


def notification_channels() -> list[NotificationChannel]:
    return [import_string(path)() for path in getattr(settings, "ZHONGXIN_NOTIFICATION_CHANNELS", ())]


def notify(
    user: AbstractBaseUser, kind: str, case: Case | None = None, payload: dict | None = None
) -> Notification:
    """Puts a message in `user`'s inbox and hands it to the extra channels once the transaction commits."""
    notification = Notification.objects.create(recipient=user, kind=kind, case=case, payload=payload or {})
    for channel in notification_channels():
        transaction.on_commit(lambda channel=channel: channel.send(notification))
    return notification


def notify_all(
    users: Iterable[AbstractBaseUser],
    kind: str,
    case: Case | None = None,
    payload: dict | None = None,
    *,
    actor: AbstractBaseUser | None = None,
) -> int:
    """One message per distinct user, except the `actor` whose step it reports (nobody is told what they
    did themselves); returns how many were sent."""
    seen: set[int] = {actor.pk} if actor is not None else set()
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            notify(user, kind, case=case, payload=payload)
    return len(seen) - (actor is not None)


def notifications_mark_read(*, user: AbstractBaseUser, ids: list[int] | None = None) -> int:
    """Marks the user's unread messages (or just `ids` of them) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def center_supervisors(center: Center) -> QuerySet:
    """Supervisors responsible for `center`: those whose jurisdiction is its region, else the nearest tier
    above that has any (a township without its own supervisor is overseen by the county's)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR.value)
    for region in center.region.get_ancestors(ascending=True, include_self=True):
        found = users.filter(staff_profile__region=region)
        if found.exists():
            return found
    return users.none()


def case_responsible_users(case: Case) -> list[AbstractBaseUser]:
    """Who must act on the case now: the responsible person, else the responsible unit's staff, else the
    handling center's supervisors."""
    if case.assignee_id:
        return [case.assignee]
    if case.assigned_department_id:
        staff = list(
            get_user_model().objects.filter(
                is_active=True, staff_profile__department=case.assigned_department
            )
        )
        if staff:
            return staff
    return list(center_supervisors(case.handling_center))
