import logging

from celery import shared_task
from django.utils import timezone

from grid.calendar import official_calendar_knows
from grid.models import CalendarOverride

logger = logging.getLogger(__name__)


@shared_task(name="grid.check_holiday_calendar")
def check_holiday_calendar_task() -> bool:
    """Warns while next year's holidays are known neither to chinese-calendar nor to the admins' table."""
    next_year = timezone.localdate().year + 1
    if official_calendar_knows(next_year) or CalendarOverride.objects.filter(day__year=next_year).exists():
        return True
    logger.warning("holiday calendar has no data for %s: deadlines fall back to weekends", next_year)
    return False
