"""Demo mediation work for `make run`: cases at 南岭街道 mediated, closed and followed up, with their
agreements, a referral, relief for a worker owed wages, and supervision notices from 南关区; and the 回访
of the cases dispatch's demo closed for it (dispatch.demo.follow_up_pending).
Runs after the grid, intake and dispatch demos; a second run finds its marker case and changes nothing."""

import datetime as dt
import logging
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.demo import follow_up_pending
from dispatch.transitions import case_claim, case_triage
from grid.models import Center, Department
from intake.models import Case, Category
from intake.services import case_register
from intake.validators import resident_id_check_char
from mediation import notices, services
from mediation.choices import (
    ContactMethod,
    MediationOutcome,
    NextStep,
    NoticeKind,
    ReliefKind,
    Satisfaction,
)
from zhongxin.errors import DomainError

NANGUAN, NANLING = "220102000000", "220102001000"
MARKER = "楼上卫生间漏水致楼下天花板受损"
COMMITTEE = "南岭街道人民调解委员会"
PLACE = "南岭街道综治中心人民调解室"

logger = logging.getLogger(__name__)


def _id(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


CASES = [
    {
        "summary": MARKER,
        "category": "漏水渗水纠纷",
        "color": "blue",
        "description": "申请人张桂兰称，楼上住户李文博家卫生间防水层破损，导致其家中天花板及墙面发霉脱落，"
        "要求赔偿维修费用8600元，双方多次协商未果。",
        "parties": [
            ("张桂兰", _id("22010219650412284"), "13943112876", "applicant"),
            ("李文博", _id("22010219881103521"), "13756093321", "respondent"),
        ],
        "amount": "8600",
        "days_ago": 20,
        "terms": "一、李文博于2026年3月31日前重做卫生间防水层，费用自理；\n"
        "二、李文博一次性赔偿张桂兰天花板、墙面维修费用人民币陆仟元整（¥6000.00），于本协议签订之日当场付清；\n"
        "三、双方就此纠纷再无其他争议。",
        "outcome": MediationOutcome.AGREEMENT,
        "follow_up": Satisfaction.SATISFIED,
    },
    {
        "summary": "三子女就母亲赡养费分担发生争执",
        "category": "赡养纠纷",
        "color": "yellow",
        "description": "申请人王秀珍（78岁）称三个子女对其赡养费用分担意见不一，长子拒绝承担医疗费用。",
        "parties": [
            ("王秀珍", _id("22010219480315032"), "13604315512", "applicant"),
            ("赵建军", _id("22010219720721451"), "13894021177", "respondent"),
        ],
        "amount": "",
        "days_ago": 12,
        "terms": "一、赵建军、赵建华、赵丽每人每月10日前向王秀珍支付赡养费800元；\n"
        "二、王秀珍住院医疗费用扣除医保报销部分后由三名子女平均分担；\n"
        "三、三名子女轮流每周探望母亲不少于一次。",
        "outcome": MediationOutcome.AGREEMENT,
        "follow_up": None,
    },
    {
        "summary": "装修公司拖欠12名工人工资4.6万元",
        "category": "农民工欠薪",
        "color": "red",
        "description": "吉林省鑫盛装饰工程有限公司拖欠12名装修工人2025年10月至12月工资共计46000元，"
        "工人多次讨要无果。",
        "parties": [
            ("孙立强", _id("22010219790506271"), "15543017789", "applicant"),
            ("吉林省鑫盛装饰工程有限公司", "", "043188621234", "respondent"),
        ],
        "amount": "46000",
        "days_ago": 15,
        "terms": "",
        "outcome": MediationOutcome.FAILED,
        "follow_up": Satisfaction.DISSATISFIED,
    },
    {
        "summary": "物业公司与业主就电梯维修费用分摊发生纠纷",
        "category": "公共维修资金纠纷",
        "color": "yellow",
        "description": "华阳社区5号楼业主认为物业公司收取的电梯大修费用分摊不合理，31户业主拒交物业费。",
        "parties": [
            ("周国庆", _id("22010219690715331"), "13078945561", "applicant"),
            ("长春市安居物业服务有限公司", "", "043185674321", "respondent"),
        ],
        "amount": "128000",
        "days_ago": 4,
        "terms": None,
        "outcome": None,
        "follow_up": None,
    },
]


def load_demo() -> str:
    if Case.objects.filter(summary=MARKER).exists():
        return _("调解演示数据已存在，未作改动")
    users = get_user_model().objects
    clerk = users.get(username="clerk_nanling")
    mediator = users.get(username="mediator")
    supervisor = users.get(username="supervisor")
    center = Center.objects.get(code=NANLING)
    cases = []
    with transaction.atomic():
        followed_up = _follow_up_dispatch_demo()
        for spec in CASES:
            cases.append(_case(spec, clerk=clerk, mediator=mediator, supervisor=supervisor, center=center))
        count = _notices(supervisor, center, cases)
    return _("调解演示：%(cases)s 件调解案件、%(notices)s 份督办文书、%(follow_ups)s 次回访") % {
        "cases": len(cases),
        "notices": count,
        "follow_ups": followed_up,
    }


def _follow_up_dispatch_demo() -> int:
    """Follows up, by phone and as their handler, the cases dispatch's demo closed for it."""
    count = 0
    for case in follow_up_pending():
        if case.assignee is None:
            continue
        applicant = case.case_parties.filter(role="applicant").select_related("party").first()
        try:
            services.follow_up_record(
                case=case,
                actor=case.assignee,
                method=ContactMethod.PHONE,
                contacted_at=timezone.now(),
                contact_person=applicant.party.name[:50] if applicant else "申请人",
                satisfaction=Satisfaction.SATISFIED,
                recurred=False,
                note="回访满意",
            )
        except DomainError as error:  # e.g. a grid worker handled it: 回访 is the center's to make
            logger.info("demo case %s not followed up: %s", case.number, error.code)
            continue
        count += 1
    return count


def _case(spec: dict, *, clerk, mediator, supervisor, center) -> Case:
    received_at = timezone.now() - dt.timedelta(days=spec["days_ago"])
    case = case_register(
        actor=clerk,
        center=center,
        channel="walk_in",
        category=Category.objects.filter(name__contains=spec["category"], parent__isnull=False).first(),
        region=center.region,
        summary=spec["summary"],
        description=spec["description"],
        parties=[
            {"name": name, "id_number": id_number, "phone": phone, "role": role,
             "kind": "person" if id_number else "organisation"}
            for name, id_number, phone, role in spec["parties"]
        ],
        received_at=received_at,
        amount=spec["amount"] or None,
    )  # fmt: skip
    case = case_triage(case, actor=supervisor, color=spec["color"], reason="演示")
    case = case_claim(case, actor=mediator)
    record = services.mediation_start(case=case, actor=mediator, kind="peoples", committee=COMMITTEE)
    services.session_record(
        record=record,
        actor=mediator,
        held_at=received_at + dt.timedelta(days=1, hours=2),
        place=PLACE,
        participants="、".join(name for name, *_details in spec["parties"]) + "、刘淑芬（调解员）",
        minutes="调解员向双方释明相关法律规定，双方陈述各自意见。经背靠背做工作，双方同意在互谅互让基础上协商解决。",
    )
    if spec["terms"] is None:
        services.agreement_generate(record=record, actor=mediator, terms="一、（待双方确认）")
        return case
    if spec["terms"]:
        agreement = services.agreement_generate(record=record, actor=mediator, terms=spec["terms"])
        services.agreement_finalise(agreement=agreement, actor=mediator)
        if spec["follow_up"]:
            services.agreement_confirmation_request(
                agreement=agreement, actor=mediator, court="长春市南关区人民法院"
            )
            services.agreement_confirmation_record(
                agreement=agreement, actor=mediator, confirmed=True, reference="（2026）吉0102民特215号"
            )
    if spec["outcome"] == MediationOutcome.FAILED:
        _wage_case_support(case, mediator)
    services.mediation_conclude(
        record=record,
        actor=mediator,
        outcome=spec["outcome"],
        next_step=NextStep.LAWSUIT if spec["outcome"] == MediationOutcome.FAILED else "",
        note="",
    )
    case = services.case_close_with_report_back(
        case=Case.objects.get(pk=case.pk),
        actor=mediator,
        report_back=services.ReportBack(
            method="phone", reported_at=timezone.now(), note="已电话告知申请人调解结果及后续途径。"
        ),
    )
    if spec["follow_up"]:
        services.follow_up_record(
            case=case,
            actor=mediator,
            method="phone",
            contacted_at=timezone.now(),
            contact_person=spec["parties"][0][0],
            satisfaction=spec["follow_up"],
            recurred=False,
            note="回访时申请人表示"
            + ("协议已履行完毕。" if spec["follow_up"] == "satisfied" else "工资仍未拿到。"),
        )
    return case


def _wage_case_support(case: Case, mediator) -> None:
    referral = services.referral_create(
        case=case,
        actor=mediator,
        direction="out",
        channel="court",
        body="长春市南关区人民法院",
        reference="（2026）吉0102民诉前调88号",
        note="调解不成，引导工人向法院起诉，法院立案前委派诉前调解。",
    )
    services.referral_report_result(
        referral=referral, actor=mediator, result="法院已立案受理，并对被申请人账户采取保全措施。"
    )
    services.relief_add(
        case=case,
        actor=mediator,
        kind=ReliefKind.LEGAL_AID,
        provider="南关区法律援助中心",
        beneficiary="孙立强等12人",
        taken_on=timezone.localdate(),
        note="指派律师代理讨薪诉讼。",
    )
    services.relief_add(
        case=case,
        actor=mediator,
        kind=ReliefKind.CIVIL_AFFAIRS,
        provider="南岭街道民政办",
        beneficiary="孙立强",
        taken_on=timezone.localdate(),
        amount=Decimal("2000"),
        note="家庭困难，给予临时救助。",
    )


def _notices(supervisor, center, cases) -> int:
    letter = notices.notice_issue(
        issuer=supervisor,
        kind=NoticeKind.SUPERVISION_LETTER,
        title="关于加快化解华阳社区物业电梯费用纠纷的督办函",
        body="南岭街道综治中心：\n华阳社区5号楼31户业主与物业公司电梯维修费用分摊纠纷涉及人数多、持续时间长，"
        "存在群体性事件风险。请你中心高度重视，会同住建、物业主管部门于5个工作日内组织调解，并书面报告办理情况。",
        reply_days=5,
        recipient_center=center,
        cases=[cases[3]],
    )
    notices.notice_acknowledge(notice=letter, actor=get_user_model().objects.get(username="clerk_nanling"))
    notices.notice_issue(
        issuer=supervisor,
        kind=NoticeKind.RISK_ALERT,
        title="关于防范春节前欠薪引发群体性事件的风险提示函",
        body="近期辖区内装饰装修行业欠薪纠纷多发，请加强排查，对涉及10人以上的欠薪纠纷实行提级办理，"
        "并于3个工作日内报送排查情况。",
        reply_days=3,
        recipient_center=center,
        cases=[cases[2]],
    )
    department = Department.objects.filter(center__code=NANGUAN, name="司法局").first()
    if department is None:
        return 2
    notices.notice_issue(
        issuer=supervisor,
        kind=NoticeKind.LISTED,
        title="关于对鑫盛装饰欠薪纠纷挂牌督办的通知",
        body="决定对吉林省鑫盛装饰工程有限公司拖欠工人工资纠纷挂牌督办，请司法局统筹法律援助与诉调对接，直至案结事了。",
        reply_days=10,
        recipient_department=department,
        cases=[cases[2]],
    )
    return 3
