"""Faults that must lose nothing: the broker losing its messages, a worker killed in the middle of a breach,
and the database connection dropped in the middle of a registration."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import time_machine
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from dispatch.choices import DeadlineKind, DeadlineState, EventType
from dispatch.deadlines import deadline_start
from dispatch.models import CaseEvent, Deadline
from dispatch.tasks import breach_deadline_task, sweep_deadlines_task
from dispatch.tests.factories import registered_case
from intake import services as intake_services
from intake.categories import categories_seed
from intake.models import Case, CaseNumberSequence, CaseParty, Party
from intake.tests.factories import desk_form, party
from tests.roles import HUAYANG
from zhongxin.celery import app

ROOT = Path(__file__).resolve().parents[1]
CELERY = ROOT / ".venv" / "bin" / "celery"
LATER = dt.timedelta(days=3)
# Under ZHONGXIN_TEST_NOW (the far-date run) the worker process keeps this process's clock: it starts where
# this clock is now and ticks on with it.
WORKER_ON_OUR_CLOCK = (
    "import sys, datetime, time_machine; "
    "time_machine.travel(datetime.datetime.fromisoformat(sys.argv.pop(1)), tick=True).start(); "
    "from celery.__main__ import main; sys.exit(main())"
)
VISIBILITY_TIMEOUT = 5  # seconds before Redis hands an unacknowledged message to another worker
BOUND = 90  # seconds any single wait may take: a worker process starts slowly on a loaded 2-core machine


def _conninfo() -> str:
    """The test database (pytest-django's test_… name), for connections outside Django's."""
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"],
        port=s["PORT"] or None,
    )


def _wait_for(condition, what: str, timeout: float = BOUND) -> None:
    limit = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > limit:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def _broker_messages(client: redis.Redis) -> list[dict]:
    """Headers of every task message Redis holds: waiting in a queue or delivered but not yet acked."""
    raw = [
        item for key in client.keys("*") if client.type(key) == b"list" for item in client.lrange(key, 0, -1)
    ]
    raw += [json.loads(item)[0] for item in client.hvals("unacked")] if client.exists("unacked") else []
    return [(json.loads(item) if isinstance(item, bytes) else item)["headers"] for item in raw]


def _breach_events(deadline: Deadline) -> int:
    return CaseEvent.objects.filter(
        case_id=deadline.case_id, type=EventType.DEADLINE_BREACHED, payload__deadline=deadline.pk
    ).count()


@pytest.mark.django_db(transaction=True)
def test_deadlines_fire_once_after_the_broker_lost_its_messages(postgres, redis_url, center, clerk, regions):
    # given three cases whose respond and classify clocks each scheduled eta tasks on Redis at commit
    # (their close clocks run 5 working days, past this test's horizon)
    cases = [registered_case(center=center, received_by=clerk, region=regions[HUAYANG]) for _ in range(3)]
    short = (DeadlineKind.RESPOND, DeadlineKind.CLASSIFY)
    deadlines = list(Deadline.objects.filter(case__in=cases, kind__in=short))
    assert len(deadlines) == 6
    broker = redis.Redis.from_url(redis_url)
    scheduled = {
        int(headers["argsrepr"].strip("[]()"))
        for headers in _broker_messages(broker)
        if headers["task"] == "dispatch.breach_deadline"
    }
    assert {d.pk for d in deadlines} <= scheduled
    # when Redis restarts empty. FLUSHDB on our own database number is what a restart without persistence
    # leaves behind (every queued and unacknowledged message gone); the shared server itself is never
    # stopped, since other test runs use their own database numbers on it.
    broker.flushdb()
    assert _broker_messages(broker) == []
    # and after the due times two beat ticks run the sweep, then the original eta tasks arrive anyway
    # (a Redis restored from an older snapshot re-delivers them)
    with time_machine.travel(timezone.now() + LATER):
        first, second = sweep_deadlines_task.apply().get(), sweep_deadlines_task.apply().get()
        late = [breach_deadline_task.apply(args=[d.pk]).get() for d in deadlines]
    # then every deadline breached exactly once, with one event each
    assert (first["breached"], second["breached"]) == (6, 0)
    assert late == [False] * 6
    for deadline in deadlines:
        deadline.refresh_from_db()
        assert deadline.state == DeadlineState.BREACHED
        assert _breach_events(deadline) == 1


def _start_worker(queue: str, redis_url: str, log: Path) -> subprocess.Popen:
    """A real `celery worker` process on the test database, consuming only `queue` (so it never takes
    messages meant for another test's worker on the same Redis database)."""
    s = connection.settings_dict
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "zhongxin.settings",
        "DATABASE_URL": (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    command = [str(CELERY)]
    if os.getenv("ZHONGXIN_TEST_NOW"):
        command = [sys.executable, "-c", WORKER_ON_OUR_CLOCK, timezone.now().isoformat()]
    command += ["-A", "zhongxin", "worker", "-Q", queue, "-P", "solo", "-l", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h"]
    with log.open("ab") as out:
        # Its own session, so kill -9 reaches the worker and anything it started.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=BOUND)


@pytest.fixture
def workers(tmp_path) -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        _kill(process)
    log = tmp_path / "worker.log"
    if log.exists():
        sys.stdout.write(log.read_text(errors="replace")[-4000:])


def _waiting_on_lock(conninfo: str) -> bool:
    with psycopg.connect(conninfo, autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            ("%dispatch_deadline%",),
        ).fetchone()
    return row[0] > 0


@pytest.mark.django_db(transaction=True)
def test_breach_is_applied_once_when_the_worker_dies_inside_it(
    postgres, redis_url, center, clerk, regions, workers, tmp_path
):
    # given a case whose classify clock ran out a minute ago
    case = registered_case(center=center, received_by=clerk, region=regions[HUAYANG])
    # The registration's own clocks are not due yet and the worker process cannot travel in time: start
    # one in the past instead (deadline_start would return the running classify clock).
    Deadline.objects.filter(case=case).delete()
    deadline = deadline_start(
        case, DeadlineKind.CLASSIFY, start=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    assert deadline.due_at < timezone.now()
    queue, log, conninfo = f"faults-{uuid.uuid4().hex[:8]}", tmp_path / "worker.log", _conninfo()
    previous = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        # and another transaction holding the deadline's row, so the breach blocks inside its transaction
        with psycopg.connect(conninfo) as holder:
            holder.execute("SELECT id FROM dispatch_deadline WHERE id = %s FOR UPDATE", (deadline.pk,))
            breach_deadline_task.apply_async(args=[deadline.pk], queue=queue)
            delivered_at = time.monotonic()
            workers.append(_start_worker(queue, redis_url, log))
            _wait_for(lambda: _waiting_on_lock(conninfo), "the worker to block inside the breach")
            # when the worker is killed mid-task (kill -9: no chance to ack, reject or roll back cleanly)
            _kill(workers[-1])
            holder.rollback()
        assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.PENDING
        # and a new worker starts once the unacknowledged message is visible again
        time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
        workers.append(_start_worker(queue, redis_url, log))
        _wait_for(
            lambda: Deadline.objects.get(pk=deadline.pk).state == DeadlineState.BREACHED,
            "the re-delivered breach task",
        )
        # then the breach was applied exactly once, by the re-delivered message (no sweep ran)
        time.sleep(1)
        deadline.refresh_from_db()
        assert deadline.state == DeadlineState.BREACHED and deadline.breached_at >= deadline.due_at
        assert _breach_events(deadline) == 1
    finally:
        app.conf.broker_url = previous


def _counts() -> tuple[int, int, int, int]:
    """Rows seen by a brand-new connection: only what was committed."""
    with psycopg.connect(_conninfo(), autocommit=True) as fresh:
        return tuple(
            fresh.execute(sql).fetchone()[0]
            for sql in (
                "SELECT count(*) FROM intake_case",
                "SELECT count(*) FROM intake_caseparty",
                "SELECT count(*) FROM intake_party",
                "SELECT coalesce(sum(last), 0) FROM intake_casenumbersequence",
            )
        )


def _payload() -> dict:
    return {
        "channel": "walk_in",
        "category": "0104",
        "region": HUAYANG,
        "summary": "楼上漏水致楼下天花板受损",
        "description": "申请人称楼上住户卫生间漏水两月未修，协商未果。",
        "parties": [party("张伟"), party("李强", "respondent")],
    }


@pytest.mark.django_db(transaction=True)
def test_dropped_database_connection_during_api_intake_saves_nothing(postgres, clerk, monkeypatch):
    # given a clerk on the API and a database that will drop the connection while parties are saved
    categories_seed()  # transactional tests start from empty tables, without the seeded taxonomy
    api = APIClient()
    api.force_authenticate(clerk)
    before = _counts()
    monkeypatch.setattr(intake_services, "_link_parties", _terminating(intake_services._link_parties))
    # when the clerk registers a case
    response = api.post("/api/v1/cases/", _payload(), format="json")
    # then a clean 503 that says nothing was saved, and nothing half-saved remains
    assert response.status_code == 503
    assert "未保存" in response.json()["detail"]
    assert _counts() == before
    assert not Case.objects.exists() and not CaseParty.objects.exists() and not Party.objects.exists()
    assert not CaseNumberSequence.objects.filter(last__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_dropped_database_connection_during_desk_intake_shows_an_error_page(
    postgres, clerk, client, monkeypatch
):
    # given a clerk at the desk and a database that drops the connection as the registration is announced
    categories_seed()
    client.force_login(clerk)
    data = desk_form()
    before = _counts()
    monkeypatch.setattr(
        intake_services.hooks, "case_registered", _terminating(intake_services.hooks.case_registered)
    )
    # when the clerk submits the form
    response = client.post("/intake/register/", data)
    # then an error page (not a server error) telling the clerk to submit again, and nothing saved
    assert response.status_code == 503
    assert "未保存" in response.content.decode()
    assert _counts() == before


def _terminating(step):
    """`step` that first terminates the registration's own database session (as a restarted server or a
    cut network would) and then carries on into the dead connection."""

    def cut(*args, **kwargs):
        pid = connection.connection.info.backend_pid
        with psycopg.connect(_conninfo(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return step(*args, **kwargs)

    return cut
