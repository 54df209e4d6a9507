"""The demo's cases: real registrations across the demo desks, valid identities, idempotent."""

import datetime as dt

from django.utils import timezone

from intake.demo import load_demo
from intake.models import Case, IdempotencyRecord, Party
from intake.validators import validate_credit_code, validate_resident_id


def test_the_demo_registers_realistic_cases_once(clerk, township_clerk, grid_worker):
    # when
    report = load_demo(count=60)

    # then
    cases = Case.objects.all()
    assert cases.count() == 60 and "60" in report
    assert {c.received_by.username for c in cases} <= {"clerk", "clerk_nanling", "grid"}
    assert len({c.channel for c in cases}) >= 5 and len({c.category.parent_id for c in cases}) >= 6
    oldest = cases.order_by("received_at").first().received_at
    assert timezone.now() - oldest > dt.timedelta(days=180)
    assert all(c.received_at <= timezone.now() for c in cases)
    for party in Party.objects.exclude(id_number=""):
        (validate_credit_code if party.kind == "organisation" else validate_resident_id)(party.id_number)
    # numbers follow the order of receipt at each center and year
    for center_id in cases.values_list("center", flat=True).distinct():
        ordered = list(cases.filter(center_id=center_id).order_by("received_at"))
        for year in {timezone.localtime(c.received_at).year for c in ordered}:
            numbers = [c.number for c in ordered if timezone.localtime(c.received_at).year == year]
            assert numbers == sorted(numbers)

    # and a second run creates nothing
    again = load_demo(count=60)
    assert Case.objects.count() == 60 and IdempotencyRecord.objects.count() == 60
    assert "已存在" in again
