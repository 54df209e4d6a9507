"""Celery tasks: each takes an id, re-reads the row and calls the timer service (compare-and-set inside),
so a late, duplicated or re-delivered message is harmless."""

from celery import shared_task
from django.db import OperationalError

from dispatch.timers import deadline_breach, deadline_warn, deadlines_sweep

TRANSIENT = (OperationalError,)


@shared_task(
    name="dispatch.breach_deadline",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def breach_deadline_task(deadline_id: int) -> bool:
    return deadline_breach(deadline_id=deadline_id)


@shared_task(
    name="dispatch.warn_deadline", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5
)
def warn_deadline_task(deadline_id: int) -> bool:
    return deadline_warn(deadline_id=deadline_id)


@shared_task(name="dispatch.sweep_deadlines", acks_late=True)
def sweep_deadlines_task() -> dict[str, int]:
    """Every minute (settings.CELERY_BEAT_SCHEDULE); a missed run is simply covered by the next."""
    result = deadlines_sweep()
    return {"warned": result.warned, "breached": result.breached}
