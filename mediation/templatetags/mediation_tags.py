import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.choices import CaseStatus, TriageColor

register = template.Library()


@register.filter
def countdown(due: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "剩余 2天3小时" or "超期 5小时": what a handler reads next to a deadline."""
    if due is None:
        return ""
    left = due - (now or timezone.now())
    overdue = left.total_seconds() < 0
    left = abs(left)
    days, hours, minutes = left.days, left.seconds // 3600, left.seconds % 3600 // 60
    if days:
        span = _("%(d)s天%(h)s小时") % {"d": days, "h": hours}
    elif hours:
        span = _("%(h)s小时%(m)s分") % {"h": hours, "m": minutes}
    else:
        span = _("%(m)s分钟") % {"m": minutes}
    return (_("超期 %(span)s") if overdue else _("剩余 %(span)s")) % {"span": span}


@register.filter
def is_past(moment: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    return moment is not None and moment <= (now or timezone.now())


@register.filter
def color_badge(color: str) -> str:
    return color if color in {"red", "yellow", "blue"} else ""


@register.filter
def status_label(status: str) -> str:
    return str(CaseStatus(status).label) if status in CaseStatus.values else status


@register.filter
def color_label(color: str) -> str:
    return str(TriageColor(color).label) if color in TriageColor.values else ""
