"""What happens when a clock warns or runs out. Both the per-deadline Celery tasks and the minute sweep
come here; a compare-and-set UPDATE decides which of them acts, so each warning and breach is handled
exactly once however many race ("another worker got there first" is a normal outcome)."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dispatch import hooks
from dispatch.choices import DeadlineState, EventType, NotificationKind
from dispatch.events import event_write
from dispatch.exceptions import InvalidTransition
from dispatch.models import OPEN_DEADLINE_STATES, Deadline
from dispatch.services import case_responsible_users, center_supervisors, notify_all
from dispatch.transitions import ESCALATABLE, case_escalate

logger = logging.getLogger(__name__)
SWEEP_BATCH = 500


def deadline_warn(*, deadline_id: int) -> bool:
    """Pending and past its warning time → warned, and the responsible person is told; False when the
    clock moved on (met, breached, extended) or another worker already warned."""
    with transaction.atomic():
        now = timezone.now()
        won = Deadline.objects.filter(
            pk=deadline_id, state=DeadlineState.PENDING, warn_at__lte=now, due_at__gt=now
        ).update(state=DeadlineState.WARNED, warned_at=now)
        if not won:
            return False
        deadline = Deadline.objects.select_related("case", "owner").get(pk=deadline_id)
        payload = {"deadline": deadline.pk, "kind": deadline.kind, "due_at": deadline.due_at.isoformat()}
        if deadline.case_id:
            event_write(deadline.case, EventType.DEADLINE_WARNED, actor=None, payload=payload)
        notify_all(_owners(deadline), NotificationKind.DEADLINE_WARNING, case=deadline.case, payload=payload)
    return True


def deadline_breach(*, deadline_id: int) -> bool:
    """Open and past due → breached, once. A case's clock writes the event, sends the urging notice (催办)
    to the responsible person or unit, tells the handling center's supervisors when the case has breached
    before, and escalates when the deadline's policy says so; another object's clock goes to its app's
    hook. False when there was nothing to do."""
    with transaction.atomic():
        now = timezone.now()
        won = Deadline.objects.filter(pk=deadline_id, state__in=OPEN_DEADLINE_STATES, due_at__lte=now).update(
            state=DeadlineState.BREACHED, breached_at=now
        )
        if not won:
            return False
        deadline = Deadline.objects.select_related("case__handling_center__region", "owner").get(
            pk=deadline_id
        )
        if deadline.case_id:
            payload = {"deadline": deadline.pk, "kind": deadline.kind, "due_at": deadline.due_at.isoformat()}
            notify_all(_owners(deadline), NotificationKind.URGE, case=deadline.case, payload=payload)
            _case_breached(deadline, payload)
        else:
            # The app owning the target (a notice's issuer is told) decides what running out means.
            hooks.target_deadline_breached(deadline)
    return True


@dataclass(frozen=True)
class SweepResult:
    warned: int
    breached: int


def deadlines_sweep(*, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """The safety net under the tasks: handles every due breach and warning, batch by batch. Rows another
    sweep holds are skipped (skip_locked); each row goes through the same service as the task."""
    breached = _sweep(
        lambda now: Deadline.objects.filter(state__in=OPEN_DEADLINE_STATES, due_at__lte=now).order_by(
            "due_at"
        ),
        deadline_breach,
        batch_size,
    )
    warned = _sweep(
        lambda now: Deadline.objects.filter(
            state=DeadlineState.PENDING, warn_at__lte=now, due_at__gt=now
        ).order_by("warn_at"),
        deadline_warn,
        batch_size,
    )
    return SweepResult(warned=warned, breached=breached)


class SweepError(Exception):
    """Some deadlines could not be handled; the others were. They stay due and are retried next sweep."""


def _sweep(due_rows, handle, batch_size: int) -> int:
    handled, failed = 0, []
    while True:
        acted = 0
        with transaction.atomic():
            ids = list(
                due_rows(timezone.now())
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            for pk in ids:
                try:
                    # A savepoint per row: one broken deadline must not hold back every later one.
                    with transaction.atomic():
                        acted += handle(deadline_id=pk)
                except Exception:
                    logger.exception("deadline %s could not be handled", pk)
                    failed.append(pk)
        handled += acted
        # Stop on a short batch, or when a full batch made no progress (only failures left).
        if len(ids) < batch_size or not acted:
            break
    if failed:
        raise SweepError(f"deadlines not handled: {failed}")
    return handled


def _case_breached(deadline: Deadline, payload: dict) -> None:
    case = deadline.case
    event_write(case, EventType.DEADLINE_BREACHED, actor=None, payload=payload)
    earlier = Deadline.objects.filter(case=case, state=DeadlineState.BREACHED).exclude(pk=deadline.pk)
    if earlier.exists():
        notify_all(
            center_supervisors(case.handling_center), NotificationKind.SUPERVISE, case=case, payload=payload
        )
    if deadline.escalate_on_breach and case.status in ESCALATABLE:
        try:
            # A savepoint: a case with no center above stays where it is, and the breach still counts.
            with transaction.atomic():
                case_escalate(case, actor=None, reason="deadline_breached", automatic=True)
        except InvalidTransition as error:
            logger.info("case %s not escalated after breach: %s", case.pk, error.code)


def _owners(deadline: Deadline) -> list:
    if deadline.owner_id:
        return [deadline.owner]
    return case_responsible_users(deadline.case) if deadline.case_id else []
