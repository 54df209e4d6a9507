"""How downstream apps (mediation, analytics) react to every case event without dispatch importing them;
see grid.hooks. Dispatch calls every callback with `(case, event)` inside the transaction that wrote the
event, so a failing listener rolls the step back."""

from dispatch.models import CaseEvent, Deadline
from grid.hooks import Hook
from intake.models import Case

transitions: Hook[[Case, CaseEvent]] = Hook()

on_transition, transition_happened = transitions.connect, transitions.send

# A clock that belongs to another app's object (a supervision notice's reply clock) ran out: called once,
# inside the breach's transaction, by whichever of the eta task and the sweep won the compare-and-set.
target_deadlines: Hook[[Deadline]] = Hook()

on_target_deadline_breached, target_deadline_breached = target_deadlines.connect, target_deadlines.send
