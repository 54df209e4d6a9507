"""How downstream apps react to a registration without intake importing them (dependencies point one
way: grid <- intake <- dispatch ...). A downstream app registers a callback in its AppConfig.ready();
`intake.services.case_register` calls every callback inside the registration's transaction."""

from collections.abc import Callable

from intake.models import Case, RepeatVisit

CaseRegisteredListener = Callable[[Case], None]
_case_registered: list[CaseRegisteredListener] = []


def on_case_registered(listener: CaseRegisteredListener) -> CaseRegisteredListener:
    """Registers `listener(case)`; usable as a decorator. Registering twice is a no-op."""
    if listener not in _case_registered:
        _case_registered.append(listener)
    return listener


def case_registered(case: Case) -> None:
    for listener in _case_registered:
        listener(case)


RepeatVisitListener = Callable[[RepeatVisit], None]
_repeat_visit_added: list[RepeatVisitListener] = []


def on_repeat_visit_added(listener: RepeatVisitListener) -> RepeatVisitListener:
    """Registers `listener(visit)`, called inside the transaction that records a repeat visit."""
    if listener not in _repeat_visit_added:
        _repeat_visit_added.append(listener)
    return listener


def repeat_visit_added(visit: RepeatVisit) -> None:
    for listener in _repeat_visit_added:
        listener(visit)
