"""Celery tasks of analytics: the minute sweep that counts cases overdue once their close limit passes."""

from celery import shared_task

from analytics.rollup import facts_overdue_mark


@shared_task(name="analytics.mark_overdue", acks_late=True)
def mark_overdue_task() -> int:
    """Every minute (settings.CELERY_BEAT_SCHEDULE); a missed run is covered by the next, and dashboards
    add the cases due since the last run themselves."""
    return facts_overdue_mark()
