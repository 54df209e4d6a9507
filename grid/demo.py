"""Demo organisation for `make run`: the real regions of 长春市 and 兰州市, centers on every tier down
to the township, the resident departments and windows of 南关区, grid cells and staff for every role."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from grid.choices import DepartmentKind, RegionLevel, Residency
from grid.models import Center, Department, GridCell, Region, Window
from grid.services import StaffSpec, center_create, regions_import, roles_sync, staff_create

DEMO_CITIES = ["220100000000", "620100000000"]  # 长春市, 兰州市
DEMO_PASSWORD = "Zhongxin@2026"
NANGUAN, NANLING, HUAYANG = "220102000000", "220102001000", "220102001001"
CHENGGUAN, JIUQUANLU = "620102000000", "620102001000"

NANGUAN_DEPARTMENTS = [
    ("公安分局", DepartmentKind.PUBLIC_SECURITY, Residency.RESIDENT),
    ("人民法院", DepartmentKind.COURT, Residency.RESIDENT),
    ("人民检察院", DepartmentKind.PROCURATORATE, Residency.ROTATING),
    ("司法局", DepartmentKind.JUSTICE, Residency.RESIDENT),
    ("信访局", DepartmentKind.PETITION, Residency.RESIDENT),
    ("人社局", DepartmentKind.HUMAN_RESOURCES, Residency.RESIDENT),
    ("住建局", DepartmentKind.HOUSING, Residency.ROTATING),
    ("自然资源局", DepartmentKind.NATURAL_RESOURCES, Residency.ON_CALL),
    ("市场监管局", DepartmentKind.MARKET_REGULATION, Residency.ROTATING),
    ("卫健局", DepartmentKind.HEALTH, Residency.ON_CALL),
    ("民政局", DepartmentKind.CIVIL_AFFAIRS, Residency.ON_CALL),
    ("妇联", DepartmentKind.WOMENS_FEDERATION, Residency.RESIDENT),
    ("法律援助中心", DepartmentKind.LEGAL_AID, Residency.RESIDENT),
    ("心理服务站", DepartmentKind.PSYCHOLOGICAL, Residency.ON_CALL),
]
NANGUAN_WINDOWS = {
    "综合受理窗口": [],
    "公安调解窗口": ["公安分局"],
    "道交调解窗口": ["公安分局", "人民法院"],
    "人民调解窗口": ["司法局"],
    "诉前调解窗口": ["人民法院"],
    "律师调解窗口": ["法律援助中心"],
    "劳动争议调解窗口": ["人社局"],
    "信访接待窗口": ["信访局"],
    "心理疏导窗口": ["心理服务站"],
}


def demo_staff() -> list[StaffSpec]:
    return [
        StaffSpec("admin", "220000000000", ("admin",), "系统管理员"),
        StaffSpec(
            "clerk", NANGUAN, ("clerk",), "王晓丽", "13904310001", center_code=NANGUAN, window="综合受理窗口"
        ),
        StaffSpec("clerk_nanling", NANLING, ("clerk",), "李春梅", "13904310002", center_code=NANLING),
        StaffSpec("grid", HUAYANG, ("grid_worker",), "赵建国", "13904310003", grid_cell_code=f"{HUAYANG}01"),
        StaffSpec("mediator", NANLING, ("mediator",), "刘淑芬", "13904310004", center_code=NANLING),
        StaffSpec(
            "mediator_nanguan",
            NANGUAN,
            ("mediator",),
            "张志强",
            "13904310005",
            center_code=NANGUAN,
            department="司法局",
        ),
        StaffSpec("supervisor", NANGUAN, ("supervisor",), "陈国华", "13904310006", center_code=NANGUAN),
        StaffSpec(
            "supervisor_city",
            "220100000000",
            ("supervisor",),
            "孙立新",
            "13904310007",
            center_code="220100000000",
        ),
        StaffSpec("clerk_lanzhou", CHENGGUAN, ("clerk",), "马兰芳", "13919310001", center_code=CHENGGUAN),
        StaffSpec(
            "mediator_lanzhou", JIUQUANLU, ("mediator",), "何文博", "13919310002", center_code=JIUQUANLU
        ),
        StaffSpec(
            "supervisor_lanzhou",
            "620100000000",
            ("supervisor",),
            "杨志军",
            "13919310003",
            center_code="620100000000",
        ),
    ]


def load_grid_demo() -> list[StaffSpec]:
    """Idempotent: running `make run` again finds everything in place and changes nothing."""
    regions_import(path=settings.REGIONS_FILE, within=DEMO_CITIES)
    roles_sync()
    with transaction.atomic():
        _centers()
        _nanguan_departments_and_windows()
        _grid_cells()
    staff = demo_staff()
    for spec in staff:
        staff_create(spec=spec)
    user_model = get_user_model()
    if not user_model.objects.filter(username="root").exists():
        user_model.objects.create_superuser("root", "", None)
    # One hash for every demo account: hashing is slow on purpose, and they all share the password.
    usernames = ["root", *(spec.username for spec in staff)]
    user_model.objects.filter(username__in=usernames).update(password=make_password(DEMO_PASSWORD))
    return staff


def _centers() -> None:
    with_center = set(Center.objects.values_list("region_id", flat=True))
    wanted = Region.objects.filter(level__lte=RegionLevel.TOWNSHIP) | Region.objects.filter(
        parent__code__in=[NANLING, JIUQUANLU]
    )
    for region in wanted.exclude(pk__in=with_center).order_by("code"):
        center_create(
            region=region, phone="0431-8888" + region.code[-4:] if region.code.startswith("22") else ""
        )


def _nanguan_departments_and_windows() -> None:
    center = Center.objects.get(code=NANGUAN)
    for name, kind, residency in NANGUAN_DEPARTMENTS:
        Department.objects.get_or_create(
            center=center, name=name, defaults={"kind": kind, "residency": residency}
        )
    for window_name, department_names in NANGUAN_WINDOWS.items():
        window, _ = Window.objects.get_or_create(center=center, name=window_name)
        window.departments.set(Department.objects.filter(center=center, name__in=department_names))
    for code in (NANLING, JIUQUANLU):
        Department.objects.get_or_create(
            center=Center.objects.get(code=code),
            name="人民调解委员会",
            defaults={"kind": DepartmentKind.PEOPLES_MEDIATION, "residency": Residency.RESIDENT},
        )


def _grid_cells() -> None:
    for village in Region.objects.filter(parent__code__in=[NANLING, JIUQUANLU]):
        for number in (1, 2, 3):
            GridCell.objects.get_or_create(
                code=f"{village.code}{number:02d}",
                defaults={"region": village, "name": f"{village.name}第{number}网格"},
            )
