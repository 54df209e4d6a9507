"""Cases built straight through the ORM, so dispatch's tests do not depend on intake's services.
`registered_case` also runs dispatch's registration hook, as intake.services.case_register does."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from dispatch.choices import DeadlineKind
from dispatch.models import Deadline
from dispatch.transitions import case_registered
from grid.models import Center, Region
from intake.models import Case, Category

_numbers = itertools.count(1)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "0101"
    name = "邻里纠纷"


class CaseFactory(factory.django.DjangoModelFactory):
    """Needs `center` (a grid.Center); the case happens in the center's region unless `region` is given."""

    class Meta:
        model = Case

    number = factory.LazyFunction(lambda: f"T{next(_numbers):08d}")
    center = None
    received_by = None
    received_at = factory.LazyFunction(timezone.now)
    # A 12345 work order: nobody spoke to the applicant at registration, so the respond clock runs.
    channel = "hotline_12345"
    category = factory.SubFactory(CategoryFactory)
    region = factory.LazyAttribute(lambda o: o.center.region)
    summary = "楼上漏水引发邻里纠纷"
    description = "申请人称楼上住户卫生间漏水，多次协商未果。"
    involved_people = 2
    handling_center = factory.LazyAttribute(lambda o: o.center)
    handling_region = factory.LazyAttribute(lambda o: o.center.region)


def registered_case(*, center: Center, received_by, region: Region | None = None, **fields) -> Case:
    extra = {"region": region} if region is not None else {}
    case = CaseFactory(center=center, received_by=received_by, **extra, **fields)
    case_registered(case)
    return case


# The extension tests' calendar: a case received on the Monday before National Day 2025 has its 5 working
# days end on the make-up workday Sunday 9-28, so an extension crosses the holiday.
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2025, 9, 22, 10, 0, tzinfo=SHANGHAI)
DUE = dt.datetime(2025, 9, 28, 10, 0, tzinfo=SHANGHAI)


def close_due(case: Case) -> dt.datetime:
    return Deadline.objects.get(case=case, kind=DeadlineKind.CLOSE).due_at
