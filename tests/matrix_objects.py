"""The objects the permission matrix probes, built with the apps' own services: one set inside every
Changchun role's jurisdiction (a case about 华阳社区 registered at the 南关区 center) and the same kinds
in 兰州城关区, outside all of them. `world_build()` lays out the same region slice, centers and role users
as the fixtures in tests/roles.py, once per test module (the matrix probes ~90 routes)."""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from analytics.periods import period_default
from analytics.services import report_issue
from dispatch import transitions
from dispatch.choices import TriageColor
from grid.models import Center, Department, GridCell, Region
from grid.services import center_create, regions_import, roles_sync
from intake.models import Case
from intake.tests.factories import png
from intake.tests.factories import register as case_register_walk_in
from mediation.choices import MediationKind, NoticeKind
from mediation.models import Agreement, MediationRecord
from mediation.notices import notice_issue
from mediation.services import agreement_generate, mediation_start
from tests.roles import CHENGGUAN, HUAYANG, NANGUAN, NANLING, ZIQIANG, make_staff

REGIONS_SLICE = Path(__file__).parent / "fixtures" / "regions_slice.csv"
NAMES = (
    "number",
    "attachment",
    "mediation",
    "agreement",
    "notice",
    "report",
    "region",
    "center",
    "department",
)
JIUQUANLU = "620102001000"  # 酒泉路街道, a township of 兰州城关区
CHANGJIAXIANG = "620102001001"  # 畅家巷社区, where the outside case happens


@dataclass(frozen=True)
class Cast:
    """Who and where on one side: the registering center, the place, and the staff who act."""

    center: Center
    place: Region
    registrar: object
    supervisor: object
    handler: object
    notice_to: Center
    report_region: Region
    department_center: Center


class Side:
    """One side of the jurisdiction line; `value(name)` answers what a URL kwarg, query or body names
    (see NAMES), building the object the first time it is asked for."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    def value(self, name: str) -> str | int:
        return getattr(self, name)

    @cached_property
    def case(self) -> Case:
        """Registered with a photo, triaged yellow, assigned to the handler and signed for."""
        cast = self.cast
        case = case_register_walk_in(
            actor=cast.registrar, center=cast.center, region=cast.place.code, attachments=[png()]
        )
        case = transitions.case_triage(
            case, actor=cast.supervisor, color=TriageColor.YELLOW, reason="跨部门协调"
        )
        case = transitions.case_assign(case, actor=cast.supervisor, department=None, assignee=cast.handler)
        return transitions.case_sign(case, actor=cast.handler)

    @cached_property
    def _record(self) -> MediationRecord:
        return mediation_start(
            case=self.case, actor=self.cast.handler, kind=MediationKind.PEOPLES, committee="人民调解委员会"
        )

    @cached_property
    def _agreement(self) -> Agreement:
        return agreement_generate(record=self._record, actor=self.cast.handler)

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def attachment(self) -> int:
        return self.case.attachments.get().pk

    @property
    def mediation(self) -> int:
        return self._record.pk

    @property
    def agreement(self) -> int:
        return self._agreement.pk

    @cached_property
    def notice(self) -> int:
        return notice_issue(
            issuer=self.cast.supervisor,
            kind=NoticeKind.SUPERVISION_LETTER,
            title="关于加快化解漏水纠纷的督办函",
            body="请于收文后5个工作日内书面报告办理情况。",
            reply_days=5,
            recipient_center=self.cast.notice_to,
            cases=[self.case],
        ).pk

    @cached_property
    def report(self) -> int:
        return report_issue(
            user=self.cast.supervisor,
            region=self.cast.report_region,
            period=period_default(),
            key_risks="",
            suggestions="",
        ).pk

    @property
    def region(self) -> str:
        return self.cast.place.code

    @property
    def center(self) -> int:
        return self.cast.department_center.pk

    @cached_property
    def department(self) -> int:
        return Department.objects.create(
            center=self.cast.department_center,
            name="人民调解委员会",
            kind="peoples_mediation",
            residency="resident",
        ).pk


def side_inside(*, org, clerk, mediator, supervisor) -> Side:
    """Everything about 华阳社区, the lowest tier of every Changchun role's jurisdiction; the notice goes
    from the 南关区 center to the 南岭街道 center."""
    centers, regions = org["centers"], org["regions"]
    return Side(
        Cast(
            center=centers[NANGUAN],
            place=regions[HUAYANG],
            registrar=clerk,
            supervisor=supervisor,
            handler=mediator,
            notice_to=centers[NANLING],
            report_region=regions[NANGUAN],
            department_center=centers[HUAYANG],
        )
    )


def side_outside(*, org, outsider) -> Side:
    """Everything in 兰州城关区; `outsider` (clerk, mediator and supervisor there) does it all."""
    centers, regions = org["centers"], org["regions"]
    return Side(
        Cast(
            center=centers[CHENGGUAN],
            place=regions[CHANGJIAXIANG],
            registrar=outsider,
            supervisor=outsider,
            handler=outsider,
            notice_to=center_create(region=regions[JIUQUANLU]),
            report_region=regions[CHENGGUAN],
            department_center=centers[CHENGGUAN],
        )
    )


@dataclass(frozen=True)
class World:
    users: dict[str, object]  # role name -> user, as in tests/roles.py
    sides: dict[str, dict[str, str | int]]  # "inside"/"outside" -> NAMES -> value


def world_build() -> World:
    """The `org` fixture's centers and the role fixtures' users, then every object on both sides."""
    regions_import(path=REGIONS_SLICE)
    roles_sync()
    regions = {region.code: region for region in Region.objects.all()}
    centers = {
        code: center_create(region=regions[code]) for code in (NANGUAN, NANLING, ZIQIANG, HUAYANG, CHENGGUAN)
    }
    centers["220100000000"] = center_create(region=regions["220100000000"])
    Department.objects.create(center=centers[NANGUAN], name="司法局", kind="justice", residency="resident")
    GridCell.objects.create(region=regions[HUAYANG], code=f"{HUAYANG}01", name="华阳社区第1网格")
    org = {"centers": centers, "regions": regions}
    users = {
        "clerk": make_staff("clerk", NANGUAN, "clerk", full_name="王晓丽", center_code=NANGUAN),
        "grid_worker": make_staff(
            "grid", HUAYANG, "grid_worker", full_name="赵建国", grid_cell_code=f"{HUAYANG}01"
        ),
        "mediator": make_staff("mediator", NANLING, "mediator", full_name="刘淑芬", center_code=NANLING),
        "supervisor": make_staff(
            "supervisor", NANGUAN, "supervisor", full_name="陈国华", center_code=NANGUAN
        ),
        "admin": make_staff("admin", "220000000000", "admin", full_name="系统管理员"),
    }
    outsider = make_staff("outsider", CHENGGUAN, "clerk", "mediator", "supervisor", center_code=CHENGGUAN)
    sides = {
        "inside": side_inside(
            org=org, clerk=users["clerk"], mediator=users["mediator"], supervisor=users["supervisor"]
        ),
        "outside": side_outside(org=org, outsider=outsider),
    }
    return World(
        users=users,
        sides={where: {name: side.value(name) for name in NAMES} for where, side in sides.items()},
    )
