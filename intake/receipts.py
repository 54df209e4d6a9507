"""What the receipt (回执) promises the resident: contact within 30 minutes, an outcome within 5 working
days (Lanzhou's and Changchun's published commitments: 30分钟内响应联系, 5个工作日内办结反馈). The times
are the case's own clocks, read from dispatch through `intake.hooks.due_times`, never computed here."""

import datetime as dt
from dataclasses import dataclass

from intake import hooks
from intake.models import Case

CLOSE_WITHIN_WORKING_DAYS = 5


@dataclass(frozen=True)
class Promises:
    respond_by: dt.datetime
    close_by: dt.datetime


def cases_promises(*, cases: list[Case]) -> dict[int, Promises]:
    """The promises of many cases at once (a list page asks once, not once per case)."""
    due = hooks.due_times(cases)
    return {case.pk: Promises(due[case.pk]["respond"], due[case.pk]["close"]) for case in cases}


def case_promises(*, case: Case) -> Promises:
    return cases_promises(cases=[case])[case.pk]
