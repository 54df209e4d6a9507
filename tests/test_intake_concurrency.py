"""Races on real PostgreSQL connections: case numbers, idempotency keys and shared parties."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from intake.categories import categories_seed
from intake.models import Case, CaseNumberSequence, IdempotencyRecord, Party
from intake.services import case_register_once
from intake.tests.factories import party, register, resident_id
from tests.roles import HUAYANG, NANGUAN, make_staff

THREADS = 20


@pytest.fixture(autouse=True)
def categories(db):
    """Transactional tests flush the database after each test, data migrations included."""
    categories_seed()


def run_at_once(count: int, work) -> list:
    """Runs work(i) in `count` threads released together; each thread has (and closes) its own connection."""
    barrier = threading.Barrier(count)

    def start(i):
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(start, range(count)))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_registering_at_once_get_twenty_distinct_numbers(postgres, org, center):
    # given twenty clerks at one center that has not numbered a case this year (no sequence row yet)
    clerks = [
        make_staff(f"clerk{i:02d}", NANGUAN, "clerk", full_name=f"窗口{i}", center_code=NANGUAN)
        for i in range(THREADS)
    ]
    assert not CaseNumberSequence.objects.exists()

    # when they all press "save" at the same moment
    numbers = run_at_once(
        THREADS, lambda i: register(actor=clerks[i], center=center, parties=[party(f"申请人{i}")]).number
    )

    # then every case has its own number and the sequence has no gap
    assert len(set(numbers)) == THREADS
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, THREADS + 1))
    assert Case.objects.count() == THREADS
    assert CaseNumberSequence.objects.get(center=center).last == THREADS


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_retried_request_racing_itself_creates_one_case(postgres, clerk, center):
    fields = {
        "center": center,
        "channel": "online",
        "category": "0501",
        "region": HUAYANG,
        "summary": "欠薪",
        "description": "工地拖欠三个月工资",
        "parties": [party("刘洋")],
    }

    results = run_at_once(
        10, lambda i: case_register_once(actor=clerk, key="retry-1", fingerprint="f", **fields)
    )

    assert len({case.number for case, _created in results}) == 1
    assert sum(created for _case, created in results) == 1
    assert Case.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    # the losers' numbers were given back: the next registration continues without a gap
    assert register(actor=clerk, center=center).number.endswith("-000002")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_resident_registering_at_two_centers_at_once_is_one_party(postgres, org, clerk, township_clerk):
    same = party("王芳", id_number=resident_id())
    actors = [(clerk, org["centers"][NANGUAN]), (township_clerk, org["centers"]["220102001000"])] * 4

    numbers = run_at_once(
        len(actors), lambda i: register(actor=actors[i][0], center=actors[i][1], parties=[same]).number
    )

    assert len(set(numbers)) == len(actors)
    assert Party.objects.filter(id_number=same["id_number"]).count() == 1
