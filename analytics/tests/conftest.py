"""A fixed small data set whose July 2026 figures are worked out by hand in test_figures.py."""

import pytest

from analytics.tests.factories import CaseFactory, CategoryFactory, at, follow_up, repeat_visit, transition
from intake.hooks import case_registered

NANGUAN, NANLING, ZIQIANG = "220102000000", "220102001000", "220102002000"
HUAYANG, HENGAN, BEIAN = "220102001001", "220102001002", "220102002001"
CHANGCHUN, JIUQUAN = "220100000000", "620102001000"


@pytest.fixture
def categories(db):
    family = CategoryFactory(code="HY", name="婚姻家庭纠纷")
    neighbour = CategoryFactory(code="LL", name="邻里纠纷")
    return {
        "family": family,
        "neighbour": neighbour,
        "marriage": CategoryFactory(code="HY01", name="婚姻纠纷", parent=family),
        "support": CategoryFactory(code="HY02", name="赡养纠纷", parent=family, is_active=False),
        "boundary": CategoryFactory(code="LL01", name="相邻关系纠纷", parent=neighbour),
    }


def register(org, user, region_code: str, category, received_at, **fields):
    region = org["regions"][region_code]
    codes = [r.code for r in region.get_ancestors(ascending=True, include_self=True)]
    center = next(org["centers"][code] for code in codes if code in org["centers"])
    case = CaseFactory(
        region=org["regions"][region_code],
        center=center,
        handling_center=center,
        handling_region=org["regions"][region_code],
        category=category,
        received_by=user,
        received_at=received_at,
        **fields,
    )
    case_registered(case)  # what intake.services.case_register does inside its transaction
    return case


@pytest.fixture
def dataset(org, supervisor, categories):
    """Cases A–F (see test_figures.py for what each one exercises)."""
    regions, c = org["regions"], categories
    a = register(org, supervisor, HUAYANG, c["marriage"], at(2026, 7, 28, 9, 0), color="blue")
    transition(a, "in_progress", at(2026, 7, 28, 9, 20))
    transition(a, "resolved", at(2026, 8, 3, 15, 0))
    transition(a, "closed", at(2026, 8, 4, 8, 0))

    b = register(
        org, supervisor, HENGAN, c["support"], at(2026, 7, 6, 10, 0), channel="hotline_12345", color="yellow"
    )
    transition(b, "in_progress", at(2026, 7, 6, 11, 0))
    transition(b, "escalated", at(2026, 7, 7, 9, 0), handling_region=regions[NANLING])
    transition(b, "in_progress", at(2026, 7, 7, 10, 0))
    transition(b, "resolved", at(2026, 7, 9, 10, 0))
    transition(b, "closed", at(2026, 7, 10, 10, 0))
    transition(b, "reopened", at(2026, 7, 20, 10, 0))
    transition(b, "unresolved", at(2026, 7, 28, 10, 0))
    transition(b, "closed", at(2026, 7, 29, 10, 0))

    c_ = register(org, supervisor, BEIAN, c["boundary"], at(2026, 7, 15, 9, 0), channel="grid_report")
    transition(c_, "triaged", at(2026, 7, 15, 9, 5), color="red")
    transition(c_, "in_progress", at(2026, 7, 15, 9, 10))
    transition(c_, "escalated", at(2026, 7, 16, 9, 0), handling_region=regions[NANGUAN])
    transition(c_, "escalated", at(2026, 7, 17, 9, 0), handling_region=regions[CHANGCHUN])
    transition(c_, "resolved", at(2026, 7, 20, 9, 0))

    d = register(org, supervisor, HUAYANG, c["boundary"], at(2026, 6, 30, 23, 30), color="blue")
    transition(d, "resolved", at(2026, 7, 2, 9, 0))
    transition(d, "closed", at(2026, 7, 2, 10, 0))

    e = register(org, supervisor, JIUQUAN, c["boundary"], at(2026, 7, 10, 9, 0))
    f = register(org, supervisor, HUAYANG, c["boundary"], at(2026, 7, 31, 23, 50), channel="online")

    follow_up(d, at(2026, 7, 6, 10, 0), "dissatisfied", supervisor)
    follow_up(a, at(2026, 8, 10, 10, 0), "basic", supervisor)
    repeat_visit(c_, at(2026, 7, 18, 9, 0))
    repeat_visit(f, at(2026, 8, 2, 9, 0))
    repeat_visit(e, at(2026, 7, 12, 9, 0))
    return {"a": a, "b": b, "c": c_, "d": d, "e": e, "f": f}
