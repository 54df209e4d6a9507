import datetime as dt

import factory
import time_machine
from django.db import transaction
from django.utils import timezone

from analytics.models import WarningThreshold
from dispatch import deadlines
from dispatch.choices import DeadlineKind
from dispatch.events import event_write
from dispatch.transitions import ESCALATION_CANCELS
from intake.hooks import repeat_visit_added
from intake.models import Case, Category, RepeatVisit
from mediation.hooks import follow_up_recorded
from mediation.models import FollowUp

TZ = dt.timezone(dt.timedelta(hours=8))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"类别{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A registered case; pass `region`, `center`, `category`, `received_by`."""

    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"T{n:08d}")
    received_at = factory.LazyFunction(timezone.now)
    channel = "walk_in"
    summary = "邻里因排水沟堵塞发生争执"
    description = "双方因院落排水问题多次争吵，请求社区调解。"
    handling_center = factory.SelfAttribute("center")
    handling_region = factory.SelfAttribute("center.region")


class WarningThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WarningThreshold

    scope = "region"
    metric = "received"
    color = "red"
    threshold = 10


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment on the centers' clock (UTC+8)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


EVENT_TYPES = {"in_progress": "signed", "unresolved": "resolved"}


def transition(case: Case, to: str, when: dt.datetime, payload: dict | None = None, **fields) -> None:
    """Plays one lifecycle step at `when` the way dispatch's `_transition` does, without its guards (so
    tests can reach any state): the row changes, the clocks change as dispatch's step to `to` changes
    them, then dispatch's event writer records the CaseEvent and calls the hooks in the same
    transaction. update() keeps status assignment inside dispatch."""
    from_status = case.status
    with transaction.atomic(), time_machine.travel(when, tick=False):
        Case.objects.filter(pk=case.pk).update(status=to, **fields)
        case.refresh_from_db()
        _clocks_follow(case, to)
        event_write(
            case, EVENT_TYPES.get(to, to), actor=None, from_status=from_status, to_status=to, payload=payload
        )


def _clocks_follow(case: Case, to: str) -> None:
    """What dispatch.transitions does to the clocks on a step to `to` (the facts read the clocks)."""
    if to in ("triaged", "in_progress"):
        deadlines.deadline_meet(case, DeadlineKind.RESPOND)
    if to == "triaged":
        deadlines.deadline_meet(case, DeadlineKind.CLASSIFY)
        deadlines.deadline_reterm(case, DeadlineKind.CLOSE)
    elif to == "escalated":
        deadlines.deadlines_cancel(case, ESCALATION_CANCELS)
        deadlines.deadline_start(case, DeadlineKind.CLOSE)
    elif to == "closed":
        deadlines.deadline_meet(case, DeadlineKind.CLOSE)
        deadlines.deadline_start(case, DeadlineKind.FOLLOW_UP)
    elif to == "reopened":
        deadlines.deadlines_cancel(case, (DeadlineKind.FOLLOW_UP,))
        deadlines.deadline_start(case, DeadlineKind.CLASSIFY)
        deadlines.deadline_start(case, DeadlineKind.CLOSE)
    elif to == "followed_up":
        deadlines.deadline_meet(case, DeadlineKind.FOLLOW_UP)


def follow_up(case: Case, when: dt.datetime, satisfaction: str, recorded_by) -> FollowUp:
    """A 回访 as mediation's follow_up_record writes it: the record, the followed_up step, the hook."""
    record = FollowUp.objects.create(
        case=case,
        method="phone",
        contacted_at=when,
        contact_person="申请人",
        satisfaction=satisfaction,
        recorded_by=recorded_by,
    )
    transition(case, "followed_up", when, payload={"follow_up": record.pk, "satisfaction": satisfaction})
    follow_up_recorded(record)
    return record


def repeat_visit(case: Case, when: dt.datetime) -> RepeatVisit:
    """A 重复来访 as intake's repeat_visit_record writes it: the row, then the hook, in one transaction."""
    visit = RepeatVisit.objects.create(
        case=case, channel="walk_in", received_by=case.received_by, received_at=when
    )
    repeat_visit_added(visit)
    return visit
