"""The lifecycle's vocabulary lives beside Case and the database holds every row to it; no template or
app spells a status set of its own."""

import re
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from intake.models import Case
from intake.tests.factories import register

ROOT = Path(__file__).resolve().parents[1]
STATUS_LITERAL = re.compile(r"status\s*(==|!=)\s*['\"]")


@pytest.mark.parametrize(("field", "value"), [("status", "archived"), ("color", "green")])
def test_the_database_refuses_a_status_or_colour_outside_the_vocabulary(clerk, center, field, value):
    case = register(actor=clerk, center=center)

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**{field: value})

    case.refresh_from_db()
    assert (case.status, case.color) == ("registered", "")


def test_no_template_compares_a_status_with_a_literal():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STATUS_LITERAL.search(line)
    ]

    assert found == []
