"""Writes: issuing a report freezes its figures under a number."""

import json

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max

from analytics.models import ReportIssue
from analytics.periods import Period
from analytics.selectors import report_figures_get
from grid.models import Region


def report_issue(
    *, user: AbstractBaseUser, region: Region, period: Period, key_risks: str, suggestions: str
) -> ReportIssue:
    """Issues a numbered report: a JSON snapshot of the figures now, so later case edits do not change
    what was reported. Numbers run per region and year; the region row lock serialises them."""
    live = report_figures_get(region=region, period=period)
    figures = json.loads(json.dumps(live, cls=DjangoJSONEncoder))
    with transaction.atomic():
        Region.objects.select_for_update().filter(pk=region.pk).first()
        year = period.first.year
        last = ReportIssue.objects.filter(region=region, year=year).aggregate(n=Max("sequence"))["n"] or 0
        return ReportIssue.objects.create(
            region=region,
            period=period.code,
            year=year,
            sequence=last + 1,
            figures={**figures, "period_label": str(period.label), "region_name": region.name},
            key_risks=key_risks.strip(),
            suggestions=suggestions.strip(),
            issued_by=user,
        )
