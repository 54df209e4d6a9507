"""How downstream apps (mediation, analytics) react to every case event without dispatch importing them.

A downstream app registers a callback in its AppConfig.ready(); dispatch calls every callback with
`(case, event)` inside the transaction that wrote the event, so a failing listener rolls the step back.
"""

from collections.abc import Callable

from dispatch.models import CaseEvent
from intake.models import Case

TransitionListener = Callable[[Case, CaseEvent], None]
_listeners: list[TransitionListener] = []


def on_transition(listener: TransitionListener) -> TransitionListener:
    """Registers `listener(case, event)`; usable as a decorator. Registering twice is a no-op."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def transition_happened(case: Case, event: CaseEvent) -> None:
    for listener in _listeners:
        listener(case, event)
