"""The demo organisation `make run` prints the logins of."""

from pathlib import Path

import pytest
from django.contrib.auth import authenticate

from grid.demo import DEMO_PASSWORD, load_grid_demo
from grid.models import StaffProfile

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


@pytest.mark.django_db
def test_every_printed_demo_login_signs_in_with_the_printed_password(settings, rf):
    # given the demo organisation on the test slice of regions
    settings.REGIONS_FILE = FIXTURES / "regions_slice.csv"
    staff = load_grid_demo()

    # then each account and root sign in with the one printed password, and staff sit at their center
    for username in ["root", *(spec.username for spec in staff)]:
        assert authenticate(rf.get("/"), username=username, password=DEMO_PASSWORD), username
    assert StaffProfile.objects.get(user__username="clerk").center.code == "220102000000"
