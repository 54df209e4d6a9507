"""A real Celery worker on Redis runs the eta task that a deadline schedules on commit."""

import datetime as dt
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

import dispatch.tasks  # noqa: F401  (registers the tasks with the app the worker runs)
from dispatch.choices import DeadlineKind, DeadlineState, EventType
from dispatch.deadlines import deadline_start
from dispatch.models import CaseEvent, Deadline
from dispatch.tests.factories import CaseFactory
from zhongxin.celery import app


@pytest.fixture
def redis_worker(redis_url):
    previous = app.conf.broker_url
    app.conf.broker_url = redis_url
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield app
    app.conf.broker_url = previous


@pytest.mark.django_db(transaction=True)
def test_worker_breaches_a_deadline_at_its_eta(postgres, redis_worker, center, clerk):
    # given a case whose classify clock (24 hours) started 24 hours minus 3 seconds ago
    case = CaseFactory(center=center, received_by=clerk)
    deadline = deadline_start(
        case, DeadlineKind.CLASSIFY, start=timezone.now() - dt.timedelta(hours=24) + dt.timedelta(seconds=3)
    )
    assert deadline.state == DeadlineState.PENDING
    # when the worker runs the task scheduled with eta=due_at (no sweep runs here)
    limit = time.monotonic() + 30
    while time.monotonic() < limit and Deadline.objects.get(pk=deadline.pk).state != DeadlineState.BREACHED:
        time.sleep(0.3)
    # then it was breached after its due time, exactly once
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.breached_at >= deadline.due_at
    assert CaseEvent.objects.filter(case=case, type=EventType.DEADLINE_BREACHED).count() == 1
