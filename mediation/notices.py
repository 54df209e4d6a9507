"""Writes for supervision notices (督办): issue, acknowledge, respond, and what a reply running late means.

The reply clock is a dispatch Deadline (kind notice_reply) set when the notice is issued, on the one
working-day calendar, and met by the reply; dispatch's eta task and minute sweep breach it like every
clock and call `notice_reply_breached` (connected in MediationConfig.ready).
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.choices import DeadlineKind
from dispatch.deadlines import deadline_start, deadline_target_meet
from dispatch.models import Deadline
from dispatch.services import notify
from grid.choices import RegionLevel
from grid.models import Center, Department
from grid.selectors import region_in_jurisdiction, staff_profile_get
from intake.models import Case
from mediation.choices import NoticeKind, NoticeState
from mediation.exceptions import MediationError, NoticeForbidden
from mediation.models import SupervisionNotice
from mediation.permissions import MediationPermission

# The word in the document number that says which kind of letter it is (南关综治督〔2026〕12号).
NUMBER_WORD = {
    NoticeKind.SUPERVISION_LETTER: "督",
    NoticeKind.RISK_ALERT: "提",
    NoticeKind.CIRCULAR: "通",
    NoticeKind.SUMMONS: "约",
    NoticeKind.LISTED: "挂",
}
REGION_SUFFIXES = ("街道", "自治县", "区", "县", "市", "省", "镇", "乡")
MAX_REPLY_DAYS = 60


def notice_issue(
    *,
    issuer: AbstractBaseUser,
    kind: str,
    title: str,
    body: str,
    reply_days: int,
    recipient_center: Center | None = None,
    recipient_department: Department | None = None,
    recipient_person: AbstractBaseUser | None = None,
    cases: Iterable[Case] = (),
) -> SupervisionNotice:
    """Issues a numbered notice from the issuer's center (county level or higher) to a unit or person
    within its jurisdiction; numbers run per center and year. The recipients are told on commit."""
    center = _issuing_center(issuer)
    cases = list(cases)
    _check_recipients(issuer, center, recipient_center, recipient_department, recipient_person, cases)
    if kind not in NoticeKind.values:
        raise MediationError(_("请选择文书类型。"), field="kind")
    if not title.strip() or not body.strip():
        raise MediationError(_("标题和正文不能为空。"), field="body")
    if not 1 <= reply_days <= MAX_REPLY_DAYS:
        raise MediationError(_("回复时限应为1至60个工作日。"), field="reply_days")
    issued_at = timezone.now()
    with transaction.atomic():
        # The center row is the lock that serialises number allocation for its notices.
        Center.objects.select_for_update().get(pk=center.pk)
        year = timezone.localdate(issued_at).year
        serial = (
            SupervisionNotice.objects.filter(issuing_center=center, year=year).aggregate(s=Max("serial"))["s"]
            or 0
        ) + 1
        notice = SupervisionNotice.objects.create(
            kind=kind,
            number=f"{_short_name(center)}综治{NUMBER_WORD[kind]}〔{year}〕{serial}号",
            year=year,
            serial=serial,
            title=title.strip(),
            body=body.strip(),
            issuer=issuer,
            issuing_center=center,
            recipient_center=recipient_center,
            recipient_department=recipient_department,
            recipient_person=recipient_person,
            reply_days=reply_days,
            issued_at=issued_at,
        )
        notice.cases.set(cases)
        deadline_start(
            None,
            DeadlineKind.NOTICE_REPLY,
            owner=recipient_person,
            start=issued_at,
            target=notice,
            amount=reply_days,
        )
        transaction.on_commit(lambda: _notify_recipients(notice.pk))
    return notice


def notice_acknowledge(*, notice: SupervisionNotice, actor: AbstractBaseUser) -> SupervisionNotice:
    """签收: issued -> acknowledged, by a person the notice is addressed to; once."""
    _check_addressee(notice, actor)
    changed = SupervisionNotice.objects.filter(pk=notice.pk, state=NoticeState.ISSUED).update(
        state=NoticeState.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=actor
    )
    if not changed:
        raise MediationError(_("该文书已签收。"), conflict=True)
    notice.refresh_from_db()
    return notice


def notice_respond(*, notice: SupervisionNotice, actor: AbstractBaseUser, response: str) -> SupervisionNotice:
    """回复: records what was done; replying to an unsigned notice signs for it at the same time."""
    _check_addressee(notice, actor)
    if not response.strip():
        raise MediationError(_("请填写办理情况。"), field="response")
    now = timezone.now()
    with transaction.atomic():
        SupervisionNotice.objects.filter(pk=notice.pk, state=NoticeState.ISSUED).update(
            state=NoticeState.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor
        )
        changed = SupervisionNotice.objects.filter(pk=notice.pk, state=NoticeState.ACKNOWLEDGED).update(
            state=NoticeState.RESPONDED, response=response.strip(), responded_at=now, responded_by=actor
        )
        if changed:
            # A reply meets the clock; one that already ran out stays breached (the reply came late).
            deadline_target_meet(notice)
    if not changed:
        raise MediationError(_("该文书已回复。"), conflict=True)
    notice.refresh_from_db()
    transaction.on_commit(lambda: _notify([notice.issuer], "notice_responded", notice))
    return notice


def notice_reply_breached(deadline: Deadline) -> None:
    """dispatch's hook, once per clock: an unanswered notice's reply clock ran out, so its issuer is told."""
    if deadline.kind != DeadlineKind.NOTICE_REPLY:
        return
    notice = SupervisionNotice.objects.select_related("issuer").get(pk=deadline.object_id)
    transaction.on_commit(lambda: _notify([notice.issuer], "notice_overdue", notice))


def notice_addressees(notice: SupervisionNotice) -> list[AbstractBaseUser]:
    """The people who may sign for and answer the notice: its person, or the staff of its unit."""
    if notice.recipient_person_id:
        return [notice.recipient_person]
    unit = Q(staff_profile__department=notice.recipient_department)
    if notice.recipient_center_id:
        unit = Q(staff_profile__center=notice.recipient_center)
    users = get_user_model().objects.filter(unit, is_active=True).distinct()
    return [user for user in users if user.has_perm(MediationPermission.REPLY_NOTICE)]


def is_addressee(notice: SupervisionNotice, user: AbstractBaseUser) -> bool:
    if not user.has_perm(MediationPermission.REPLY_NOTICE):
        return False
    if notice.recipient_person_id:
        return notice.recipient_person_id == user.pk
    profile = staff_profile_get(user=user)
    if profile is None:
        return False
    if notice.recipient_center_id:
        return profile.center_id == notice.recipient_center_id
    return profile.department_id == notice.recipient_department_id


def _check_addressee(notice: SupervisionNotice, actor: AbstractBaseUser) -> None:
    if not is_addressee(notice, actor):
        raise NoticeForbidden(_("您不是该文书的受文单位或责任人。"))


def _issuing_center(issuer: AbstractBaseUser) -> Center:
    profile = staff_profile_get(user=issuer)
    if not issuer.has_perm(MediationPermission.ISSUE_NOTICE) or profile is None:
        raise NoticeForbidden(_("您没有签发督办文书的权限。"))
    if profile.region.level > RegionLevel.COUNTY or profile.center is None:
        raise NoticeForbidden(_("督办文书只能由县级及以上综治中心签发。"))
    return profile.center


def _check_recipients(
    issuer, center, recipient_center, recipient_department, recipient_person, cases
) -> None:
    if not (recipient_center or recipient_department or recipient_person):
        raise MediationError(_("请选择受文单位或责任人。"), field="recipient")
    if recipient_center and (
        recipient_center.region.level <= center.region.level
        or not region_in_jurisdiction(user=issuer, region=recipient_center.region)
    ):
        raise MediationError(_("受文中心须为本辖区内的下级综治中心。"), field="recipient_center")
    if recipient_department and not region_in_jurisdiction(
        user=issuer, region=recipient_department.center.region
    ):
        raise MediationError(_("受文部门不在本辖区内。"), field="recipient_department")
    if recipient_person:
        profile = staff_profile_get(user=recipient_person)
        if profile is None or not region_in_jurisdiction(user=issuer, region=profile.region):
            raise MediationError(_("责任人不在本辖区内。"), field="recipient_person")
    for case in cases:
        if not region_in_jurisdiction(user=issuer, region=case.handling_region):
            raise MediationError(_("案件 %(number)s 不在本辖区内。") % {"number": case.number}, field="cases")


def _short_name(center: Center) -> str:
    name = center.region.name
    for suffix in REGION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _notify_recipients(notice_id: int) -> None:
    notice = SupervisionNotice.objects.get(pk=notice_id)
    _notify(notice_addressees(notice), "notice_issued", notice)


def _notify(users: Iterable[AbstractBaseUser], kind: str, notice: SupervisionNotice) -> None:
    """Into the in-app inbox (dispatch), naming the notice and its first case."""
    case = notice.cases.order_by("pk").first()
    payload = {
        "notice": notice.pk,
        "number": notice.number,
        "notice_kind": notice.kind,
        "title": notice.title,
    }
    for user in users:
        notify(user, kind, case=case, payload=payload)
