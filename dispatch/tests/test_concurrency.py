"""Races on real PostgreSQL: each thread has its own connection, both start from the same version."""

import threading

import pytest
from django.db import connection

from dispatch import transitions
from dispatch.exceptions import InvalidTransition
from dispatch.models import CaseEvent, Escalation
from intake.models import Case
from tests.roles import make_staff

pytestmark = [pytest.mark.django_db(transaction=True)]


def race(*actions) -> list:
    """Runs the actions at the same moment in threads; returns each one's result or exception."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the race's loser is part of the result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_escalations_at_once_escalate_once(postgres, case, supervisor):
    # given two supervisors holding version 0 of the same case
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    # when
    results = race(
        lambda: transitions.case_escalate(first, actor=supervisor, reason="甲"),
        lambda: transitions.case_escalate(second, actor=supervisor, reason="乙"),
    )
    # then exactly one wins; the other is told its view is stale
    assert sum(isinstance(r, Case) for r in results) == 1
    assert sum(isinstance(r, InvalidTransition) for r in results) == 1
    assert Escalation.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, type="escalated").count() == 1


def test_two_claims_at_once_one_wins(postgres, case, supervisor, handler):
    other = make_staff("handler2", "220102000000", "mediator", center_code="220102000000")
    case = transitions.case_triage(case, actor=supervisor, color="blue")
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    # when
    results = race(
        lambda: transitions.case_claim(first, actor=handler),
        lambda: transitions.case_claim(second, actor=other),
    )
    # then
    winners = [r for r in results if isinstance(r, Case)]
    assert len(winners) == 1 and sum(isinstance(r, InvalidTransition) for r in results) == 1
    case.refresh_from_db()
    assert case.assignee == winners[0].assignee and case.status == "in_progress"
    assert CaseEvent.objects.filter(case=case, type="claimed").count() == 1
