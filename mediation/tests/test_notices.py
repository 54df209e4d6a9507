import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dispatch.choices import DeadlineKind, DeadlineState
from dispatch.tasks import breach_deadline_task
from dispatch.timers import deadline_breach, deadlines_sweep
from mediation.choices import NoticeKind, NoticeState
from mediation.exceptions import MediationError, NoticeForbidden
from mediation.models import SupervisionNotice
from mediation.notices import (
    notice_acknowledge,
    notice_issue,
    notice_respond,
)
from mediation.tests.factories import CaseFactory
from tests.roles import NANLING, make_staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in an ordinary working week (no public holiday around it).
MONDAY_MORNING = dt.datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI)


def _issue(supervisor, org, **extra):
    return notice_issue(
        issuer=supervisor,
        kind=NoticeKind.SUPERVISION_LETTER,
        title="关于加快化解华阳社区漏水纠纷的督办函",
        body="请于收文后5个工作日内书面报告办理情况。",
        reply_days=5,
        recipient_center=org["centers"][NANLING],
        **extra,
    )


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_issue_numbers_the_notice_and_sets_a_working_day_deadline(supervisor, org):
    # given
    case = CaseFactory()
    # when
    notice = _issue(supervisor, org, cases=[case])
    # then
    assert notice.number == "南关综治督〔2026〕1号"
    assert notice.due_at == dt.datetime(2026, 3, 23, 9, 0, tzinfo=SHANGHAI)
    assert list(notice.cases.all()) == [case]
    assert _issue(supervisor, org).number == "南关综治督〔2026〕2号"


@time_machine.travel(dt.datetime(2026, 9, 30, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_deadline_skips_the_national_day_holiday(supervisor, org):
    notice = _issue(supervisor, org)

    assert notice.due_at.astimezone(SHANGHAI).date() > dt.date(2026, 10, 8)


def test_a_township_supervisor_may_not_issue(org):
    township = make_staff("sup_nanling", NANLING, "supervisor", center_code=NANLING)

    with pytest.raises(NoticeForbidden):
        _issue(township, org)

    assert not SupervisionNotice.objects.exists()


def test_a_mediator_may_not_issue(mediator, org):
    with pytest.raises(NoticeForbidden):
        _issue(mediator, org)


def test_recipient_outside_the_jurisdiction_is_refused(supervisor, org):
    with pytest.raises(MediationError) as refused:
        notice_issue(
            issuer=supervisor,
            kind=NoticeKind.RISK_ALERT,
            title="风险提示",
            body="正文",
            reply_days=3,
            recipient_center=org["centers"]["620102000000"],
        )

    assert refused.value.field == "recipient_center"


def test_recipient_center_must_be_lower(supervisor, org):
    with pytest.raises(MediationError):
        notice_issue(
            issuer=supervisor,
            kind=NoticeKind.CIRCULAR,
            title="通报",
            body="正文",
            reply_days=3,
            recipient_center=org["centers"]["220102000000"],
        )


def test_reply_days_must_be_sensible(supervisor, org):
    with pytest.raises(MediationError) as refused:
        notice_issue(
            issuer=supervisor,
            kind=NoticeKind.SUMMONS,
            title="约谈",
            body="正文",
            reply_days=0,
            recipient_center=org["centers"][NANLING],
        )

    assert refused.value.field == "reply_days"


def test_the_township_acknowledges_then_responds(supervisor, township_clerk, org):
    # given
    notice = _issue(supervisor, org)
    # when
    notice_acknowledge(notice=notice, actor=township_clerk)
    notice_respond(notice=notice, actor=township_clerk, response="已组织双方调解，达成协议。")
    # then
    notice.refresh_from_db()
    assert notice.state == NoticeState.RESPONDED
    assert notice.acknowledged_by == township_clerk and notice.responded_by == township_clerk


def test_someone_else_may_not_acknowledge(supervisor, clerk, org):
    notice = _issue(supervisor, org)

    with pytest.raises(NoticeForbidden):
        notice_acknowledge(notice=notice, actor=clerk)

    notice.refresh_from_db()
    assert notice.state == NoticeState.ISSUED


def test_unanswered_notice_escalates_to_the_issuer_once(supervisor, org, django_capture_on_commit_callbacks):
    # given
    with time_machine.travel(MONDAY_MORNING, tick=False):
        notice = _issue(supervisor, org)
    # when: one working day before the deadline nothing runs out; after it the one sweep breaches it once
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert deadlines_sweep().breached == 0
    with time_machine.travel(dt.datetime(2026, 3, 23, 9, 1, tzinfo=SHANGHAI), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            swept = deadlines_sweep()
        again = deadline_breach(deadline_id=notice.reply_clock.pk)
    # then
    notice = SupervisionNotice.objects.get(pk=notice.pk)
    assert swept.breached == 1 and again is False
    assert notice.overdue_at == dt.datetime(2026, 3, 23, 9, 1, tzinfo=SHANGHAI)
    assert supervisor.notifications.filter(kind="notice_overdue", payload__notice=notice.pk).count() == 1


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_reply_clock_is_a_deadline_row_pointing_at_the_notice(supervisor, township_clerk, org):
    # when
    notice = _issue(supervisor, org)
    # then: one clock, of the notice kind, on the dispatch table every sweep and page reads
    clock = notice.reply_clock
    assert clock.kind == DeadlineKind.NOTICE_REPLY and clock.case_id is None and clock.target == notice
    assert clock.due_at == notice.due_at and clock.state == DeadlineState.PENDING
    # and the reply meets it
    notice_respond(notice=notice, actor=township_clerk, response="已办结。")
    clock.refresh_from_db()
    assert clock.state == DeadlineState.MET


def test_responded_notice_never_escalates(supervisor, township_clerk, org):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        notice = _issue(supervisor, org)
        notice_respond(notice=notice, actor=township_clerk, response="已办结。")

    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert deadlines_sweep().breached == 0
    assert SupervisionNotice.objects.get(pk=notice.pk).overdue_at is None


def test_issuing_notifies_the_recipients_inbox(
    supervisor, township_clerk, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notice = _issue(supervisor, org)

    assert township_clerk.notifications.filter(kind="notice_issued", payload__number=notice.number).exists()


def test_the_eta_task_escalates_only_when_due(supervisor, org):
    # given
    with time_machine.travel(MONDAY_MORNING, tick=False):
        clock_id = _issue(supervisor, org).reply_clock.pk
    # when / then: the same breach task as every clock's
    with time_machine.travel(dt.datetime(2026, 3, 23, 8, 59, tzinfo=SHANGHAI), tick=False):
        assert breach_deadline_task(clock_id) is False
    with time_machine.travel(dt.datetime(2026, 3, 23, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert breach_deadline_task(clock_id) is True
        assert breach_deadline_task(clock_id) is False
