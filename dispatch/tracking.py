"""办理进度查询: a resident looks a case up by its receipt number and the applicant's phone, without logging
in. The answer holds the stages with their dates, the handling center and its phone — no names, no other
party, no description. A wrong phone and an unknown number look the same; lookups are limited per address
and per number in the shared cache (django-ratelimit), misses lock the caller out, and every attempt
leaves a `TrackLookup` row."""

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from dispatch.choices import CaseStatus, EventType
from dispatch.models import CaseEvent, TrackLookup
from intake.choices import PartyRole
from intake.models import Case
from intake.validators import normalize_phone

# Per hour. Lookups count on every attempt, misses only on a miss: ten wrong guesses from one address
# lock it for the hour, five on one number lock that number.
LOOKUPS_PER_ADDRESS, LOOKUPS_PER_NUMBER = 30, 20
MISSES_PER_ADDRESS, MISSES_PER_NUMBER = 10, 5

# The stages a resident is shown, each reached by the first of its events after the last reopening.
STAGES: tuple[tuple[str, object, frozenset[str]], ...] = (
    ("received", _("受理"), frozenset({EventType.REGISTERED})),
    ("triaged", _("分流"), frozenset({EventType.TRIAGED})),
    ("handling", _("办理"), frozenset({EventType.SIGNED, EventType.CLAIMED})),
    ("closed", _("办结"), frozenset({EventType.CLOSED})),
    ("followed_up", _("回访"), frozenset({EventType.FOLLOWED_UP})),
)


class LookupRefused(Exception):
    """Too many lookups or misses from this address or on this number."""


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    at: dt.datetime | None


@dataclass(frozen=True)
class Progress:
    number: str
    status: str
    status_label: str
    stages: list[Stage]
    center_name: str
    center_phone: str


def progress_lookup(*, request: HttpRequest, number: str, phone: str) -> Progress | None:
    """The case's progress when `number` and the applicant's `phone` match, else None (the same for an
    unknown number and a wrong phone). Raises LookupRefused past the limits; records every attempt."""
    number = number.strip().upper()[:32]
    if _refused(request, number):
        _record(request, number, found=False, refused=True)
        raise LookupRefused
    case = _matching_case(number, phone)
    _record(request, number, found=case is not None, refused=False)
    if case is None:
        _count_miss(request, number)
        return None
    return _progress(case)


def _over(request: HttpRequest, group: str, per_hour: int, key, *, increment: bool) -> bool:
    """Counts this attempt in `group` (when `increment`) and says whether the hour's allowance is used
    up. A miss counter is read before a lookup and counted after a miss, so its allowance means "this
    many misses, then locked"."""
    usage = get_usage(request, group=group, key=key, rate=f"{per_hour}/h", increment=increment)
    return usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]


def _address(group: str, request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _by_number(number: str):
    return lambda group, request: number


def _refused(request: HttpRequest, number: str) -> bool:
    over = [
        _over(request, "track-miss-ip", MISSES_PER_ADDRESS, _address, increment=False),
        _over(request, "track-miss-number", MISSES_PER_NUMBER, _by_number(number), increment=False),
        _over(request, "track-ip", LOOKUPS_PER_ADDRESS, _address, increment=True),
        _over(request, "track-number", LOOKUPS_PER_NUMBER, _by_number(number), increment=True),
    ]
    return any(over)


def _count_miss(request: HttpRequest, number: str) -> None:
    _over(request, "track-miss-ip", MISSES_PER_ADDRESS, _address, increment=True)
    _over(request, "track-miss-number", MISSES_PER_NUMBER, _by_number(number), increment=True)


def _matching_case(number: str, phone: str) -> Case | None:
    phone = normalize_phone(phone)
    if not number or not phone:
        return None
    case = Case.objects.select_related("handling_center").filter(number=number).first()
    if case is None:
        return None
    applicants = case.case_parties.filter(role=PartyRole.APPLICANT).values_list("party__phone", flat=True)
    return case if phone in {normalize_phone(p) for p in applicants} else None


def _progress(case: Case) -> Progress:
    events = list(CaseEvent.objects.filter(case=case).order_by("at", "pk").values_list("type", "at"))
    reopened = [at for type_, at in events if type_ == EventType.REOPENED]
    # After a reopening, handling starts over: only the later events count (receipt stays).
    since = reopened[-1] if reopened else dt.datetime.min.replace(tzinfo=dt.UTC)
    stages = []
    for code, label, types in STAGES:
        times = [at for type_, at in events if type_ in types and (code == "received" or at >= since)]
        stages.append(Stage(code=code, label=str(label), at=times[0] if times else None))
    center = case.handling_center
    return Progress(
        number=case.number,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        stages=stages,
        center_name=center.name,
        center_phone=center.phone,
    )


def _record(request: HttpRequest, number: str, *, found: bool, refused: bool) -> None:
    address = _address("", request) or None
    TrackLookup.objects.create(ip=address, number=number, found=found, refused=refused)
