"""Warnings and breaches happen exactly once, whoever gets there first: the eta task, a duplicate of it,
or the minute sweep."""

import datetime as dt
import threading

import pytest
import redis
import time_machine
from django.db import connection
from django.utils import timezone

from dispatch import transitions
from dispatch.choices import CaseStatus, DeadlineKind, DeadlineState, EventType
from dispatch.models import CaseEvent, Deadline, DeadlinePolicy, Escalation, Notification
from dispatch.tasks import breach_deadline_task, sweep_deadlines_task
from dispatch.tests.factories import registered_case
from dispatch.timers import deadline_breach, deadline_warn, deadlines_sweep
from tests.roles import HUAYANG

LATER = dt.timedelta(days=3)


def events(case, kind: str) -> int:
    return CaseEvent.objects.filter(case=case, type=kind).count()


@pytest.mark.django_db
def test_breach_is_handled_once_by_task_duplicate_and_sweep(case, supervisor):
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    # when the due time passes and everything fires
    with time_machine.travel(timezone.now() + LATER):
        results = [
            breach_deadline_task(classify.pk),
            breach_deadline_task(classify.pk),
            deadlines_sweep().breached,
            sweep_deadlines_task()["breached"],
        ]
    # then: one winner per clock (respond and classify both ran out), one event each
    assert results[:2] == [True, False]
    assert results[2] == 1 and results[3] == 0
    classify.refresh_from_db()
    assert classify.state == DeadlineState.BREACHED and classify.breached_at is not None
    assert events(case, EventType.DEADLINE_BREACHED) == 2


@pytest.mark.django_db
def test_task_before_the_due_time_does_nothing(case):
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    assert breach_deadline_task(classify.pk) is False
    assert breach_deadline_task(999999) is False
    classify.refresh_from_db()
    assert classify.state == DeadlineState.PENDING


@pytest.mark.django_db
def test_met_deadline_never_breaches(case, supervisor):
    transitions.case_triage(case, actor=supervisor, color="blue")
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    with time_machine.travel(timezone.now() + LATER):
        assert deadline_breach(deadline_id=classify.pk) is False


@pytest.mark.django_db
def test_warning_once_then_breach(case, supervisor):
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    # when the warning time passes
    with time_machine.travel(classify.warn_at + dt.timedelta(minutes=1)):
        first, second = deadline_warn(deadline_id=classify.pk), deadline_warn(deadline_id=classify.pk)
        deadlines_sweep()
    # then the sweep does not warn again (it may warn the case's other clocks, depending on today's date)
    classify.refresh_from_db()
    assert (first, second, classify.state) == (True, False, DeadlineState.WARNED)
    warnings = Notification.objects.filter(kind="deadline_warning", recipient=supervisor)
    assert warnings.filter(payload__deadline=classify.pk).count() == 1
    # and a warned clock still breaches
    with time_machine.travel(classify.due_at + dt.timedelta(minutes=1)):
        assert deadline_breach(deadline_id=classify.pk) is True


@pytest.mark.django_db
def test_first_breach_urges_the_responsible_second_goes_to_the_supervisor(case, supervisor, handler):
    # given a close clock that does not escalate, held by the handler who signed for the case
    DeadlinePolicy.objects.update_or_create(
        kind=DeadlineKind.CLOSE,
        color="",
        level=None,
        defaults={"amount": 5, "unit": "working_days", "escalate_on_breach": False},
    )
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    case = transitions.case_assign(case, actor=supervisor, assignee=handler)
    case = transitions.case_sign(case, actor=handler)
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    # when the close clock runs out
    with time_machine.travel(close.due_at + dt.timedelta(minutes=1)):
        deadline_breach(deadline_id=close.pk)
        # then the responsible person gets an urging notice, the supervisor nothing yet
        assert Notification.objects.filter(recipient=handler, kind="urge").count() == 1
        assert not Notification.objects.filter(recipient=supervisor, kind="supervise").exists()
        # when the case, closed late, breaches a second clock (its follow-up)
        case = transitions.case_resolve(case, actor=handler, resolved=True, outcome="agreement")
        case = transitions.case_close(case, actor=handler, report_back={"channel": "phone", "note": "已告知"})
    follow_up = Deadline.objects.get(case=case, kind=DeadlineKind.FOLLOW_UP)
    with time_machine.travel(follow_up.due_at + dt.timedelta(minutes=1)):
        deadlines_sweep()
    # then the handling center's supervisor is told
    assert Notification.objects.filter(recipient=supervisor, kind="supervise").count() == 1


@pytest.mark.django_db
def test_close_breach_escalates_automatically(org, township_supervisor, supervisor, clerk, handler):
    # given a township case being handled
    case = registered_case(
        center=org["centers"]["220102001000"], received_by=clerk, region=org["regions"][HUAYANG]
    )
    case = transitions.case_triage(case, actor=township_supervisor, color="blue")
    case = transitions.case_claim(case, actor=handler)
    close = Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE)
    # when it runs out
    with time_machine.travel(close.due_at + dt.timedelta(minutes=1)):
        deadlines_sweep()
    # then the county center takes it over, recorded as automatic
    case.refresh_from_db()
    assert case.status == CaseStatus.ESCALATED and case.handling_center == org["centers"]["220102000000"]
    escalation = Escalation.objects.get(case=case)
    assert escalation.automatic and escalation.actor is None
    assert Notification.objects.filter(recipient=supervisor, kind="escalated_in").exists()


@pytest.mark.django_db(transaction=True)
def test_task_and_sweep_racing_on_postgres_act_once(postgres, case):
    classify = Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY)
    barrier = threading.Barrier(3)
    results: list = []

    def run(action):
        try:
            barrier.wait()
            results.append(action())
        finally:
            connection.close()

    # when the task, a re-delivered copy and the sweep all run at once
    with time_machine.travel(timezone.now() + LATER):
        threads = [
            threading.Thread(target=run, args=(lambda: breach_deadline_task(classify.pk),)),
            threading.Thread(target=run, args=(lambda: breach_deadline_task(classify.pk),)),
            threading.Thread(target=run, args=(lambda: deadlines_sweep().breached,)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # then the classify breach happened once
    assert (
        CaseEvent.objects.filter(case=case, type="deadline_breached", payload__kind="classify").count() == 1
    )
    assert Deadline.objects.get(pk=classify.pk).state == DeadlineState.BREACHED


@pytest.mark.django_db(transaction=True)
def test_sweep_recovers_deadlines_after_the_broker_is_flushed(postgres, redis_url, center, clerk, regions):
    # given deadlines whose eta tasks went to Redis on commit, and then Redis lost everything
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    redis.Redis.from_url(redis_url).flushdb()
    # when the sweep runs after the due time
    with time_machine.travel(timezone.now() + LATER):
        first = deadlines_sweep()
        second = deadlines_sweep()
    # then both clocks were handled, once
    assert (first.breached, second.breached) == (2, 0)
    assert events(case, EventType.DEADLINE_BREACHED) == 2
