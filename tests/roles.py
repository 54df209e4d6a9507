"""Role fixtures (clerk, mediator, supervisor, admin_user, grid_worker, outsider), each with a jurisdiction
in the real region slice loaded by `regions`. Registered for every test folder by the root conftest."""

import pytest

from grid.models import Center, Department, GridCell
from grid.services import StaffSpec, center_create, roles_sync, staff_create

NANGUAN, NANLING, HUAYANG = "220102000000", "220102001000", "220102001001"
ZIQIANG = "220102002000"  # another township in 南关区, outside 南岭街道
CHENGGUAN = "620102000000"
PASSWORD = "Test@pass-2026"


@pytest.fixture
def org(regions):
    """Centers on the 南关区 branch and in 兰州城关区, a department and a grid cell."""
    roles_sync()
    centers = {
        code: center_create(region=regions[code]) for code in (NANGUAN, NANLING, ZIQIANG, HUAYANG, CHENGGUAN)
    }
    centers["220100000000"] = center_create(region=regions["220100000000"])
    department = Department.objects.create(
        center=centers[NANGUAN], name="司法局", kind="justice", residency="resident"
    )
    cell = GridCell.objects.create(region=regions[HUAYANG], code=f"{HUAYANG}01", name="华阳社区第1网格")
    return {"centers": centers, "department": department, "grid_cell": cell, "regions": regions}


def make_staff(username: str, region: str, *roles: str, **extra) -> object:
    return staff_create(
        spec=StaffSpec(username=username, region_code=region, roles=roles, password=PASSWORD, **extra)
    )


@pytest.fixture
def clerk(org):
    return make_staff("clerk", NANGUAN, "clerk", full_name="王晓丽", center_code=NANGUAN)


@pytest.fixture
def township_clerk(org):
    return make_staff("clerk_nanling", NANLING, "clerk", full_name="李春梅", center_code=NANLING)


@pytest.fixture
def grid_worker(org):
    return make_staff("grid", HUAYANG, "grid_worker", full_name="赵建国", grid_cell_code=f"{HUAYANG}01")


@pytest.fixture
def mediator(org):
    return make_staff("mediator", NANLING, "mediator", full_name="刘淑芬", center_code=NANLING)


@pytest.fixture
def supervisor(org):
    return make_staff("supervisor", NANGUAN, "supervisor", full_name="陈国华", center_code=NANGUAN)


@pytest.fixture
def admin_user(org):
    return make_staff("admin", "220000000000", "admin", full_name="系统管理员")


@pytest.fixture
def outsider(org):
    """A clerk in 兰州: everything in 长春 is outside their jurisdiction."""
    return make_staff("outsider", CHENGGUAN, "clerk", "mediator", "supervisor", center_code=CHENGGUAN)


@pytest.fixture
def center(org) -> Center:
    return org["centers"][NANGUAN]
