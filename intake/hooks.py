"""How downstream apps react to intake without intake importing them (dependencies point one way:
grid <- intake <- dispatch ...); see grid.hooks."""

from grid.hooks import Hook
from intake.models import Case, RepeatVisit

# Called with the new case inside the registration's transaction (intake.services.case_register).
registration: Hook[[Case]] = Hook()
# Called with the visit inside the transaction that records it (intake.services.case_add_repeat_visit).
repeat_visit: Hook[[RepeatVisit]] = Hook()

on_case_registered, case_registered = registration.connect, registration.send
on_repeat_visit_added, repeat_visit_added = repeat_visit.connect, repeat_visit.send
