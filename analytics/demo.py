"""Demo data for analytics: a 三色预警 threshold set like the ones county centers publish, and the rollup
rebuilt from the demo cases the other apps registered."""

from decimal import Decimal

from django.utils.translation import gettext as _

from analytics.choices import WarningColor, WarningMetric, WarningScope
from analytics.models import CaseCount, WarningThreshold
from analytics.rollup import facts_overdue_mark, rollups_rebuild

R, Y, B = WarningColor.RED, WarningColor.YELLOW, WarningColor.BLUE
DEMO_THRESHOLDS = [
    # A region whose intake jumps against last period, or which lets cases run past the limit.
    (WarningScope.REGION, WarningMetric.RECEIVED_GROWTH, R, "50"),
    (WarningScope.REGION, WarningMetric.RECEIVED_GROWTH, Y, "30"),
    (WarningScope.REGION, WarningMetric.RECEIVED_GROWTH, B, "15"),
    (WarningScope.REGION, WarningMetric.OVERDUE_SHARE, R, "20"),
    (WarningScope.REGION, WarningMetric.OVERDUE_SHARE, Y, "10"),
    (WarningScope.REGION, WarningMetric.OVERDUE, B, "1"),
    # A kind of dispute that surges (e.g. wage arrears before the Spring Festival).
    (WarningScope.CATEGORY, WarningMetric.RECEIVED_GROWTH, R, "100"),
    (WarningScope.CATEGORY, WarningMetric.RECEIVED_GROWTH, Y, "50"),
    (WarningScope.CATEGORY, WarningMetric.RECEIVED, B, "10"),
    (WarningScope.CATEGORY, WarningMetric.OVERDUE, R, "3"),
]


def load_demo() -> str:
    """Idempotent: thresholds are created once (an admin's later edits are kept); the rebuild recounts
    the same cases to the same numbers (the other demos load theirs with the rollup deferred)."""
    created = 0
    for scope, metric, color, threshold in DEMO_THRESHOLDS:
        _threshold, was_created = WarningThreshold.objects.get_or_create(
            scope=scope, metric=metric, color=color, defaults={"threshold": Decimal(threshold)}
        )
        created += was_created
    rows = rollups_rebuild()
    facts_overdue_mark()  # what the minute sweep would mark of the cases just counted
    counted = sum(
        CaseCount.objects.filter(dimension="total", measure="received", region__level=1).values_list(
            "n", flat=True
        )
    )
    return _(
        "研判分析：预警阈值新增 %(thresholds)s 条，统计汇总 %(rows)s 行（各省合计受理 %(received)s 件）"
    ) % {
        "thresholds": created,
        "rows": rows,
        "received": counted,
    }
