"""How downstream apps (mediation, analytics) react to every case event without dispatch importing them;
see grid.hooks. Dispatch calls every callback with `(case, event)` inside the transaction that wrote the
event, so a failing listener rolls the step back."""

from dispatch.models import CaseEvent
from grid.hooks import Hook
from intake.models import Case

transitions: Hook[[Case, CaseEvent]] = Hook()

on_transition, transition_happened = transitions.connect, transitions.send
