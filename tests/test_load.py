"""A bounded load test on loopback: 20 clerks register 300 cases through the API while the case list and
the mediation queue are read, and nothing is lost. bench/load_intake.py runs the same, bigger, on gunicorn."""

import pytest
from django.db import connection

from bench.load_intake import LoadResult, check_nothing_lost, run_load, setup_people
from intake.api import CaseViewSet
from intake.categories import categories_seed
from intake.models import Case, CaseParty, Party
from mediation import api as mediation_api

CLERKS, PER_CLERK = 20, 15


@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_lose_nothing(postgres, regions, live_server, monkeypatch, capsys):
    # given 20 clerks with tokens at two centers, a supervisor and a mediator reading, no rate limit
    # (throttle classes are bound to the views when DRF is imported, so the settings fixture cannot
    # lift them; the limit protects people's accounts, not this test)
    categories_seed()
    for view in (CaseViewSet, mediation_api.QueueView):
        monkeypatch.setattr(view, "throttle_classes", [])
    tokens, readers, shared = setup_people(CLERKS)
    # when they all register at once
    result: LoadResult = run_load(
        live_server.url, tokens, readers, per_clerk=PER_CLERK, shared_respondent_code=shared
    )
    with capsys.disabled():
        print(f"\nload test ({connection.vendor}, live server): {result.summary()}")
    # then every request was accepted, every answered number is a case, and no number was given twice
    checks = check_nothing_lost(result)
    assert checks == {
        "accepted": CLERKS * PER_CLERK,
        "server_errors": 0,
        "cases_in_db": CLERKS * PER_CLERK,
        "unique_numbers_answered": CLERKS * PER_CLERK,
        "answered_not_in_db": 0,
    }
    assert set(result.read_statuses) == {200}
    # and the shared company is one party, linked to every fifth case
    assert Party.objects.filter(kind="organisation").count() == 1
    assert CaseParty.objects.count() == CLERKS * PER_CLERK + CLERKS * PER_CLERK // 5
    # and each center numbered its cases 1..n without gaps
    for center_code in ("220102000000", "220102001000"):
        numbers = sorted(Case.objects.filter(center__code=center_code).values_list("number", flat=True))
        assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, len(numbers) + 1))
