"""Celery tasks for supervision notices: each takes an id and calls the service, whose compare-and-set
makes a late, duplicated or re-delivered message harmless."""

from celery import shared_task
from django.db import OperationalError

from mediation.notices import notice_mark_overdue, notices_sweep

TRANSIENT = (OperationalError,)


@shared_task(
    name="mediation.escalate_notice",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def escalate_notice_task(notice_id: int) -> bool:
    """At the notice's due time (eta): overdue and unanswered → the issuer is told."""
    return notice_mark_overdue(notice_id=notice_id)


@shared_task(name="mediation.sweep_notices", acks_late=True)
def sweep_notices_task() -> int:
    """Every minute (settings.CELERY_BEAT_SCHEDULE): catches whatever the eta tasks missed."""
    return notices_sweep()
