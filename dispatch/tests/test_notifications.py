import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dispatch import timers, transitions
from dispatch.choices import DeadlineKind, DeadlineState
from dispatch.models import Deadline, Notification
from dispatch.selectors import notification_unread_count
from dispatch.services import NotificationChannel, center_supervisors, notifications_mark_read, notify
from dispatch.tests.factories import registered_case
from tests.roles import NANLING

pytestmark = pytest.mark.django_db
SENT: list = []


class RecordingChannel(NotificationChannel):
    """Stands in for an SMS gateway."""

    def send(self, notification: Notification) -> None:
        SENT.append((notification.recipient_id, notification.kind))


def test_inbox_row_and_extra_channel_after_commit(
    settings, supervisor, case, django_capture_on_commit_callbacks
):
    settings.ZHONGXIN_NOTIFICATION_CHANNELS = ["dispatch.tests.test_notifications.RecordingChannel"]
    SENT.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(supervisor, "urge", case=case, payload={"kind": "close"})
        assert SENT == []  # nothing leaves before the commit
    # then
    assert SENT == [(supervisor.pk, "urge")]
    assert notification.payload == {"kind": "close"} and notification_unread_count(user=supervisor) == 1


def test_mark_read_only_touches_the_users_own(supervisor, handler, case):
    mine = notify(supervisor, "assigned", case=case)
    notify(supervisor, "assigned", case=case)
    theirs = notify(handler, "assigned", case=case)
    # when
    assert notifications_mark_read(user=supervisor, ids=[mine.pk, theirs.pk]) == 1
    # then
    assert notification_unread_count(user=supervisor) == 1 and notification_unread_count(user=handler) == 1
    assert notifications_mark_read(user=supervisor) == 1


def test_a_township_without_supervisors_is_overseen_by_the_county(org, supervisor, township_supervisor):
    nanling, ziqiang = org["centers"][NANLING], org["centers"]["220102002000"]
    assert list(center_supervisors(nanling)) == [township_supervisor]
    assert list(center_supervisors(ziqiang)) == [supervisor]


def test_one_failing_deadline_does_not_stop_the_sweep(case, monkeypatch):
    respond = Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND)
    real = timers.deadline_breach

    def breach(*, deadline_id: int) -> bool:
        if deadline_id == respond.pk:
            raise RuntimeError("broken row")
        return real(deadline_id=deadline_id)

    monkeypatch.setattr(timers, "deadline_breach", breach)
    # when
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        with pytest.raises(timers.SweepError):
            timers.deadlines_sweep()
    # then the other clock was handled and the broken one waits for the next sweep
    assert Deadline.objects.get(case=case, kind=DeadlineKind.CLASSIFY).state == DeadlineState.BREACHED
    assert Deadline.objects.get(pk=respond.pk).state == DeadlineState.PENDING


def test_sweep_command(case, capsys):
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        call_command("sweep_deadlines")
    assert "breached 2" in capsys.readouterr().out


def test_nobody_is_told_what_they_did_themselves(center, clerk, supervisor, org):
    # given a supervisor who escalates a case of their own center, and one the deadline sweep escalates
    own = registered_case(center=center, received_by=clerk)
    swept = registered_case(center=center, received_by=clerk)
    # when
    transitions.case_escalate(own, actor=supervisor, reason="跨区县")
    transitions.case_escalate(swept, actor=None, reason="超期自动提级", automatic=True)
    # then only the step nobody in the county took tells the county
    told = Notification.objects.filter(recipient=supervisor, kind="escalated_out")
    assert list(told.values_list("case", flat=True)) == [swept.pk]


def test_the_inbox_merges_one_cases_messages_of_one_kind(client, center, clerk, supervisor):
    # given three urges about one case and one about another
    first = registered_case(center=center, received_by=clerk)
    second = registered_case(center=center, received_by=clerk)
    urges = [notify(supervisor, "urge", case=first) for _ in range(3)]
    notify(supervisor, "urge", case=second)
    client.force_login(supervisor)
    # when the inbox is read
    page = client.get(reverse("dispatch:inbox"))
    # then it shows one row per case, the first counting its three
    groups = page.context["groups"]
    assert [(g.latest.case, g.count) for g in groups] == [(second, 1), (first, 3)]
    assert "3 条" in page.content.decode()
    # and marking that row read marks all three
    client.post(reverse("dispatch:inbox"), {"ids": groups[1].unread_ids})
    assert not Notification.objects.filter(pk__in=[u.pk for u in urges], read_at__isnull=True).exists()
    assert Notification.objects.filter(case=second, read_at__isnull=True).count() == 1
