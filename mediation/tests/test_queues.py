import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Deadline
from mediation.selectors import Queue, QueueFilters, case_queue, queue_counts
from mediation.tests.factories import CaseFactory, CategoryFactory
from tests.roles import NANLING, ZIQIANG, make_staff

pytestmark = pytest.mark.django_db


def _deadline(case, hours: int) -> Deadline:
    now = timezone.now()
    return Deadline.objects.create(
        case=case,
        kind="close",
        unit="working_days",
        started_at=now - dt.timedelta(days=5),
        warn_at=now,
        due_at=now + dt.timedelta(hours=hours),
    )


def test_my_queue_puts_overdue_first_then_nearest_deadline(mediator):
    # given
    later = CaseFactory(status="in_progress", assignee=mediator)
    overdue = CaseFactory(status="in_progress", assignee=mediator)
    no_clock = CaseFactory(status="in_progress", assignee=mediator)
    soon = CaseFactory(status="in_progress", assignee=mediator)
    _deadline(later, 48)
    _deadline(overdue, -3)
    _deadline(soon, 2)
    CaseFactory(status="in_progress")  # someone else's
    # when
    rows = list(case_queue(user=mediator, queue=Queue.MINE))
    # then
    assert rows == [overdue, soon, later, no_clock]
    assert rows[0].next_due < timezone.now()


def test_order_by_colour_age_and_category(mediator):
    blue = CaseFactory(
        status="in_progress", assignee=mediator, color="blue", category=CategoryFactory(code="A")
    )
    red = CaseFactory(
        status="in_progress", assignee=mediator, color="red", category=CategoryFactory(code="C")
    )
    yellow = CaseFactory(
        status="in_progress",
        assignee=mediator,
        color="yellow",
        category=CategoryFactory(code="B"),
        received_at=timezone.now() - dt.timedelta(days=30),
    )

    def order(by):
        return list(case_queue(user=mediator, queue=Queue.MINE, filters=QueueFilters(order=by)))

    assert order("color") == [red, yellow, blue]
    assert order("age")[0] == yellow
    assert order("category") == [blue, yellow, red]


def test_unclaimed_queue_holds_only_cases_without_a_handler_in_my_jurisdiction(mediator, org):
    # given
    waiting = CaseFactory(status="triaged")
    CaseFactory(status="assigned", assignee=mediator)
    CaseFactory(status="registered")
    CaseFactory(status="triaged", center=org["centers"][ZIQIANG])  # another township
    # when
    rows = list(case_queue(user=mediator, queue=Queue.UNCLAIMED))
    # then
    assert rows == [waiting]


def test_team_queue_is_my_centers_cases(mediator, org):
    colleague = make_staff("colleague", NANLING, "mediator", center_code=NANLING)
    theirs = CaseFactory(status="in_progress", assignee=colleague)
    CaseFactory(status="in_progress", center=org["centers"][ZIQIANG])

    assert list(case_queue(user=mediator, queue=Queue.TEAM)) == [theirs]


def test_filters_by_status_category_and_region(mediator, org):
    category = CategoryFactory(code="LAB", name="劳动争议")
    wanted = CaseFactory(status="resolved", assignee=mediator, category=category)
    CaseFactory(status="in_progress", assignee=mediator, category=category)
    CaseFactory(status="resolved", assignee=mediator)

    rows = case_queue(
        user=mediator,
        queue=Queue.MINE,
        filters=QueueFilters(status="resolved", category=category.pk, region=org["regions"][NANLING].pk),
    )

    assert list(rows) == [wanted]


def test_counts_per_queue_in_one_query(mediator, django_assert_num_queries):
    CaseFactory(status="in_progress", assignee=mediator)
    CaseFactory(status="triaged")
    CaseFactory(status="triaged")

    with django_assert_num_queries(1):
        counts = queue_counts(user=mediator)

    assert counts == {"mine": 1, "team": 1, "unclaimed": 2}


def test_outsider_sees_nothing(outsider, mediator):
    CaseFactory(status="triaged")

    assert queue_counts(user=outsider) == {"mine": 0, "team": 0, "unclaimed": 0}


def _page_queries(client, user, django_assert_max_num_queries, limit: int):
    client.force_login(user)
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(reverse("mediation:queue_mine"), {"order": "deadline"})
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_a_page_of_fifty_costs_as_many_queries_as_a_page_of_one(
    client, mediator, django_assert_max_num_queries
):
    # given
    first = CaseFactory(status="in_progress", assignee=mediator)
    _deadline(first, 5)
    _, with_one = _page_queries(client, mediator, django_assert_max_num_queries, 20)
    for _index in range(59):
        _deadline(CaseFactory(status="in_progress", assignee=mediator, color="red", repeat_count=1), 7)
    # when
    response, with_fifty = _page_queries(client, mediator, django_assert_max_num_queries, 20)
    # then
    assert with_fifty == with_one
    assert len(response.context["page"].object_list) == 50
    assert "第 1 / 2 页" in response.content.decode()
