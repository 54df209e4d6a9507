"""How downstream apps react to intake without intake importing them (dependencies point one way:
grid <- intake <- dispatch ...); see grid.hooks."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser

from grid.hooks import Hook, Provider
from intake.models import Case, RepeatVisit

# Called with the new case inside the registration's transaction (intake.services.case_register).
registration: Hook[[Case]] = Hook()
# Called with the visit inside the transaction that records it (intake.services.case_add_repeat_visit).
repeat_visit: Hook[[RepeatVisit]] = Hook()

# When cases are due, by case id and clock kind ("respond", "close"): dispatch, which keeps the clocks,
# answers from its stored Deadline rows, so a receipt promises exactly what the clocks will enforce.
due_times: Provider[[list[Case]], dict[int, dict[str, dt.datetime]]] = Provider("when are these cases due?")
# Which lifecycle steps a user may take on a case now: dispatch answers from its one step table.
steps_available: Provider[[Case, AbstractBaseUser], set[str]] = Provider("which steps may this user take?")

on_case_registered, case_registered = registration.connect, registration.send
on_repeat_visit_added, repeat_visit_added = repeat_visit.connect, repeat_visit.send
