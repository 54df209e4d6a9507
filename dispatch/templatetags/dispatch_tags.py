"""Labels for the codes stored on cases and events, and deadline countdowns, in the reader's language."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.choices import (
    CaseStatus,
    DeadlineKind,
    DeadlineState,
    EventType,
    NotificationKind,
    TransferTarget,
    TriageColor,
)
from grid.models import Center

register = template.Library()


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> str:
    return _label(CaseStatus, value)


@register.filter
def color_label(value: str) -> str:
    return _label(TriageColor, value) if value else _("未分级")


@register.filter
def event_label(value: str) -> str:
    return _label(EventType, value)


@register.filter
def deadline_kind_label(value: str) -> str:
    return _label(DeadlineKind, value)


@register.filter
def deadline_state_label(value: str) -> str:
    return _label(DeadlineState, value)


@register.filter
def notification_label(value: str) -> str:
    return _label(NotificationKind, value)


@register.filter
def transfer_label(value: str) -> str:
    return _label(TransferTarget, value)


@register.filter
def center_name(code: str) -> str:
    """An event's payload names centers by code; the timeline shows the name (the code if it is gone)."""
    return Center.objects.filter(code=code).values_list("name", flat=True).first() or code


@register.filter
def iso_datetime(value: str) -> dt.datetime | None:
    """A time stored in an event's payload as ISO text, for the `date` filter."""
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def countdown(due: dt.datetime) -> str:
    """剩余 2天3小时 / 已超期 5小时10分: the same wording static/dispatch/countdown.js keeps current."""
    delta = due - timezone.now()
    span = abs(delta)
    days, rest = divmod(int(span.total_seconds()), 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = (f"{days}{_('天')}" if days else "") + (f"{hours}{_('小时')}" if hours or days else "")
    text = parts + f"{minutes}{_('分')}"
    return f"{_('剩余')} {text}" if delta.total_seconds() >= 0 else f"{_('已超期')} {text}"
