"""The close clock now starts when a case is accepted (registered or reopened), no longer at sign-for: an
open case waiting for a unit has no close clock yet, so it would never be overdue. Start one for each,
from its receipt (or its latest reopening), under the policy for its colour and tier, as
`dispatch.deadlines.deadline_start` does; the minute sweep breaches those already past due."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Max

from dispatch.worktime import due_after

# Frozen copies (a migration must not follow later code): the statuses that had no close clock before
# sign-for, the running states, and the default close policy.
WAITING = ("registered", "triaged", "assigned", "escalated", "reopened")
RUNNING = ("pending", "warned", "paused")
DEFAULT = (5, "working_days", Decimal("0.80"), True)


def _terms(policies, color: str, level: int | None) -> tuple[int, str, Decimal, bool]:
    rows = [p for p in policies if p.color in (color, "") and p.level in (level, None)]
    best = max(rows, key=lambda p: (p.color != "", p.level is not None), default=None)
    return DEFAULT if best is None else (best.amount, best.unit, best.warn_ratio, best.escalate_on_breach)


def close_clocks_start(apps, schema_editor) -> None:
    Case = apps.get_model("intake", "Case")
    Deadline = apps.get_model("dispatch", "Deadline")
    CaseEvent = apps.get_model("dispatch", "CaseEvent")
    overrides = dict(apps.get_model("grid", "CalendarOverride").objects.values_list("day", "is_workday"))
    policies = list(apps.get_model("dispatch", "DeadlinePolicy").objects.filter(kind="close"))
    running = Deadline.objects.filter(kind="close", state__in=RUNNING).values("case_id")
    waiting = Case.objects.filter(status__in=WAITING).exclude(pk__in=running).select_related("handling_region")
    reopened = dict(
        CaseEvent.objects.filter(type="reopened", case__in=waiting)
        .values("case_id")
        .annotate(at=Max("at"))
        .values_list("case_id", "at")
    )
    clocks = []
    for case in waiting.iterator():
        amount, unit, ratio, escalate = _terms(policies, case.color, case.handling_region.level)
        start = reopened.get(case.pk, case.received_at)
        due = due_after(start, amount, unit, overrides)
        clocks.append(
            Deadline(
                case=case,
                kind="close",
                unit=unit,
                started_at=start,
                warn_at=start + (due - start) * float(ratio),
                due_at=due,
                escalate_on_breach=escalate,
            )
        )
    Deadline.objects.bulk_create(clocks, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0006_track_lookup"),
        ("intake", "0005_case_vocabulary"),
        ("grid", "0003_cache_table"),
    ]

    operations = [migrations.RunPython(close_clocks_start, migrations.RunPython.noop)]
