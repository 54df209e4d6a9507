"""Writes for mediation work: records, sessions, agreements, referrals, follow-ups and relief.

Lifecycle changes (resolve, close, follow up, reopen) go through dispatch.transitions; nothing here
changes a case's status itself.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.exceptions import TransitionForbidden
from dispatch.permissions import DispatchPermission
from dispatch.services import center_supervisors, notify_all
from dispatch.transitions import ReportBack, case_close, case_follow_up, case_reopen, case_resolve
from grid.models import Department
from intake.choices import WORKING_STATUSES, CaseStatus
from intake.models import Case
from intake.selectors import case_list_for_user
from mediation import hooks
from mediation.choices import (
    RESOLVED_OUTCOMES,
    AgreementState,
    JudicialConfirmation,
    MediationOutcome,
    ReliefKind,
    Satisfaction,
)
from mediation.exceptions import MediationError
from mediation.models import (
    Agreement,
    FollowUp,
    MediationRecord,
    MediationSession,
    Referral,
    ReliefMeasure,
)
from mediation.permissions import MediationPermission


def _require_working(case: Case) -> None:
    if case.status not in WORKING_STATUSES:
        raise MediationError(_("案件当前不在办理中，不能记录调解工作。"), conflict=True)


def mediation_authorize(
    case: Case,
    actor: AbstractBaseUser,
    *,
    permission: str = MediationPermission.MEDIATE,
    record: MediationRecord | None = None,
) -> None:
    """Who may do mediation work on a case, checked by every service here (views and the API call it too, to
    refuse before reading a form): the role's permission, the case visible to the actor (intake's one
    visibility rule: jurisdiction or a grant), and for mediation work proper being its mediator.
    Raises TransitionForbidden: permission_denied, outside_jurisdiction, not_assignee (dispatch's codes)."""
    if not actor.has_perm(permission):
        raise TransitionForbidden("permission_denied")
    if not case_list_for_user(user=actor).filter(pk=case.pk).exists():
        raise TransitionForbidden("outside_jurisdiction")
    if permission == MediationPermission.MEDIATE:
        _mediator_require(case, actor, record)


def _mediator_require(case: Case, actor: AbstractBaseUser, record: MediationRecord | None = None) -> None:
    """Mediation work is done by the person responsible for the case, or by its mediations' mediators:
    holding the mediator's permissions is not enough to act on someone else's case."""
    if actor.pk == case.assignee_id:
        return
    records = [record] if record is not None else list(case.mediations.all())
    for candidate in records:
        if actor.pk == candidate.mediator_id or candidate.co_mediators.filter(pk=actor.pk).exists():
            return
    raise TransitionForbidden("not_assignee")


def mediation_start(
    *,
    case: Case,
    actor: AbstractBaseUser,
    kind: str,
    committee: str,
    department: Department | None = None,
    co_mediators: Iterable[AbstractBaseUser] = (),
) -> MediationRecord:
    """Opens a mediation record on a case being handled, with the actor as presiding mediator."""
    mediation_authorize(case, actor)
    _require_working(case)
    if not committee.strip():
        raise MediationError(_("请填写调解组织。"), field="committee")
    record = MediationRecord.objects.create(
        case=case, kind=kind, mediator=actor, committee=committee.strip(), department=department
    )
    record.co_mediators.set([user for user in co_mediators if user.pk != actor.pk])
    return record


def session_record(
    *, record: MediationRecord, actor: AbstractBaseUser, held_at, place: str, participants: str, minutes: str
) -> MediationSession:
    """Adds a sitting with its minutes; refused once the mediation has an outcome."""
    mediation_authorize(record.case, actor, record=record)
    _require_working(record.case)
    if record.outcome:
        raise MediationError(_("调解已结束，不能再添加调解会记录。"), conflict=True)
    if held_at > timezone.now():
        raise MediationError(_("调解时间不能晚于当前时间。"), field="held_at")
    return MediationSession.objects.create(
        record=record,
        held_at=held_at,
        place=place,
        participants=participants,
        minutes=minutes,
        recorded_by=actor,
    )


def agreement_generate(*, record: MediationRecord, actor: AbstractBaseUser, terms: str = "") -> Agreement:
    """Drafts the next version of the 调解协议书 from the case (parties, facts) and its latest session.
    At most one draft per record: the database refuses a second."""
    case = record.case
    mediation_authorize(case, actor, record=record)
    with transaction.atomic():
        locked = MediationRecord.objects.select_for_update().get(pk=record.pk)
        if locked.agreements.filter(state=AgreementState.DRAFT).exists():
            raise MediationError(_("已有协议书草稿，请先编辑或定稿。"), conflict=True)
        last = locked.agreements.aggregate(v=Max("version"))["v"] or 0
        previous = locked.agreements.filter(version=last).first()
        session = locked.sessions.order_by("-held_at").first()
        return Agreement.objects.create(
            record=locked,
            version=last + 1,
            number=_agreement_number(case),
            parties=_parties_snapshot(case),
            facts=previous.facts if previous else case.description,
            terms=terms or (previous.terms if previous else ""),
            performance=previous.performance if previous else "",
            body_name=locked.committee,
            mediator_names=_mediator_names(locked),
            signed_place=session.place if session else "",
            created_by=actor,
        )


def agreement_update(
    *, agreement: Agreement, actor: AbstractBaseUser, facts: str, terms: str, performance: str = ""
) -> Agreement:
    """Changes a draft's text. A final agreement is never edited: the update is refused, not applied."""
    mediation_authorize(agreement.record.case, actor, record=agreement.record)
    if not terms.strip():
        raise MediationError(_("协议内容不能为空。"), field="terms")
    changed = Agreement.objects.filter(pk=agreement.pk, state=AgreementState.DRAFT).update(
        facts=facts, terms=terms, performance=performance
    )
    if not changed:
        raise MediationError(_("协议书已定稿，不能修改；如需更正请生成新版本。"), conflict=True)
    agreement.refresh_from_db()
    return agreement


def agreement_finalise(*, agreement: Agreement, actor: AbstractBaseUser) -> Agreement:
    """Draft -> final, once (compare-and-set): after this the row never changes."""
    mediation_authorize(agreement.record.case, actor, record=agreement.record)
    if not agreement.terms.strip():
        raise MediationError(_("协议内容为空，不能定稿。"), field="terms")
    changed = Agreement.objects.filter(pk=agreement.pk, state=AgreementState.DRAFT).update(
        state=AgreementState.FINAL, finalised_at=timezone.now(), finalised_by=actor
    )
    if not changed:
        raise MediationError(_("协议书已定稿。"), conflict=True)
    agreement.refresh_from_db()
    return agreement


def agreement_confirmation_request(
    *, agreement: Agreement, actor: AbstractBaseUser, court: str, requested_at=None
) -> Agreement:
    """Marks that the parties applied for 司法确认 of a final agreement."""
    mediation_authorize(agreement.record.case, actor, record=agreement.record)
    if not agreement.is_final:
        raise MediationError(_("协议书定稿后方可申请司法确认。"), conflict=True)
    if not court.strip():
        raise MediationError(_("请填写受理法院。"), field="court")
    changed = Agreement.objects.filter(pk=agreement.pk, confirmation=JudicialConfirmation.NONE).update(
        confirmation=JudicialConfirmation.REQUESTED,
        confirmation_court=court.strip(),
        confirmation_requested_at=requested_at or timezone.now(),
    )
    if not changed:
        raise MediationError(_("已申请过司法确认。"), conflict=True)
    agreement.refresh_from_db()
    return agreement


def agreement_confirmation_record(
    *, agreement: Agreement, actor: AbstractBaseUser, confirmed: bool, reference: str, decided_at=None
) -> Agreement:
    """Records the court's ruling on a pending 司法确认 request."""
    mediation_authorize(agreement.record.case, actor, record=agreement.record)
    changed = Agreement.objects.filter(pk=agreement.pk, confirmation=JudicialConfirmation.REQUESTED).update(
        confirmation=JudicialConfirmation.CONFIRMED if confirmed else JudicialConfirmation.REJECTED,
        confirmation_reference=reference.strip(),
        confirmation_decided_at=decided_at or timezone.now(),
    )
    if not changed:
        raise MediationError(_("该协议书没有待裁定的司法确认申请。"), conflict=True)
    agreement.refresh_from_db()
    return agreement


def mediation_conclude(
    *, record: MediationRecord, actor: AbstractBaseUser, outcome: str, next_step: str = "", note: str = ""
) -> MediationRecord:
    """Records the outcome and resolves the case through dispatch (resolved or unresolved).
    "By agreement" needs a final agreement; "failed" needs the next step the parties were guided to."""
    mediation_authorize(record.case, actor, record=record)
    if outcome not in MediationOutcome.values:
        raise MediationError(_("请选择调解结果。"), field="outcome")
    if (
        outcome == MediationOutcome.AGREEMENT
        and not record.agreements.filter(state=AgreementState.FINAL).exists()
    ):
        raise MediationError(_("“达成书面协议”需先定稿调解协议书。"), field="outcome")
    if outcome == MediationOutcome.FAILED and not next_step:
        raise MediationError(_("调解不成时须选择后续途径（诉讼、仲裁或信访）。"), field="next_step")
    with transaction.atomic():
        updated = MediationRecord.objects.filter(pk=record.pk, outcome="").update(
            outcome=outcome,
            next_step=next_step if outcome == MediationOutcome.FAILED else "",
            outcome_note=note,
            concluded_at=timezone.now(),
        )
        if not updated:
            raise MediationError(_("该调解已有结果。"), conflict=True)
        case_resolve(
            record.case,
            actor=actor,
            resolved=outcome in RESOLVED_OUTCOMES,
            outcome=outcome,
            payload={"mediation": record.pk, "next_step": next_step},
        )
    record.refresh_from_db()
    return record


def case_close_with_report_back(*, case: Case, actor: AbstractBaseUser, report_back: ReportBack) -> Case:
    """Closes a resolved/unresolved case; refused without a recorded outcome or a report-back."""
    mediation_authorize(case, actor)
    if not case.mediations.exclude(outcome="").exists():
        raise MediationError(_("尚未记录调解结果，不能办结。"), field="outcome")
    if not report_back.method or not report_back.note.strip():
        raise MediationError(_("办结须填写向申请人反馈的方式和内容。"), field="report_back")
    return case_close(case, actor=actor, report_back=report_back.payload())


def referral_create(
    *,
    case: Case,
    actor: AbstractBaseUser,
    direction: str,
    channel: str,
    body: str,
    reference: str = "",
    referred_at=None,
    note: str = "",
) -> Referral:
    """Records a hand-over with a court, police station or petition office (诉调/警调/访调对接)."""
    mediation_authorize(case, actor)
    if not body.strip():
        raise MediationError(_("请填写对接单位。"), field="body")
    return Referral.objects.create(
        case=case,
        direction=direction,
        channel=channel,
        body=body.strip(),
        reference=reference.strip(),
        referred_at=referred_at or timezone.now(),
        note=note,
        created_by=actor,
    )


def referral_report_result(*, referral: Referral, actor: AbstractBaseUser, result: str) -> Referral:
    """Records the result reported back to the other body; reported once."""
    mediation_authorize(referral.case, actor)
    if not result.strip():
        raise MediationError(_("请填写办理结果。"), field="result")
    changed = Referral.objects.filter(pk=referral.pk, result_reported_at__isnull=True).update(
        result=result.strip(), result_reported_at=timezone.now()
    )
    if not changed:
        raise MediationError(_("办理结果已反馈。"), conflict=True)
    referral.refresh_from_db()
    return referral


def follow_up_record(
    *,
    case: Case,
    actor: AbstractBaseUser,
    method: str,
    contacted_at,
    contact_person: str,
    satisfaction: str,
    recurred: bool,
    note: str = "",
) -> FollowUp:
    """Records a 回访 on a closed case (closed -> followed_up). A dissatisfied resident or a recurrence
    is put before the center's supervisors, who may reopen the case (follow_up_reopen)."""
    mediation_authorize(case, actor, permission=MediationPermission.FOLLOW_UP)
    if case.status != CaseStatus.CLOSED:
        raise MediationError(_("案件办结后才能回访。"), conflict=True)
    if satisfaction not in Satisfaction.values:
        raise MediationError(_("请选择满意度。"), field="satisfaction")
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            case=case,
            method=method,
            contacted_at=contacted_at,
            contact_person=contact_person,
            note=note,
            satisfaction=satisfaction,
            recurred=recurred,
            recorded_by=actor,
        )
        payload = {"follow_up": follow_up.pk, "satisfaction": satisfaction, "recurred": recurred}
        case_follow_up(case, actor=actor, payload=payload)
        hooks.follow_up_recorded(follow_up)
        if follow_up.needs_review:
            transaction.on_commit(lambda: _ask_supervisors_to_review(follow_up))
    return follow_up


def follow_up_reopen(*, follow_up: FollowUp, actor: AbstractBaseUser) -> FollowUp:
    """Reopens the case after a dissatisfied or recurred follow-up (a supervisor's review, via dispatch)."""
    mediation_authorize(follow_up.case, actor, permission=DispatchPermission.REVIEW)
    if not follow_up.needs_review:
        raise MediationError(_("仅在群众不满意或纠纷反弹时才能重新办理。"), conflict=True)
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=follow_up.pk, reopened=False).update(reopened=True)
        if not changed:
            raise MediationError(_("该回访已引发重新办理。"), conflict=True)
        case_reopen(follow_up.case, actor=actor, reason="recurred" if follow_up.recurred else "dissatisfied")
    follow_up.refresh_from_db()
    return follow_up


def _ask_supervisors_to_review(follow_up: FollowUp) -> None:
    payload = {
        "follow_up": follow_up.pk,
        "satisfaction": follow_up.satisfaction,
        "recurred": follow_up.recurred,
    }
    notify_all(
        center_supervisors(follow_up.case.handling_center),
        "follow_up_review",
        case=follow_up.case,
        payload=payload,
        actor=follow_up.recorded_by,
    )


def relief_add(
    *,
    case: Case,
    actor: AbstractBaseUser,
    kind: str,
    provider: str,
    beneficiary: str,
    taken_on,
    amount=None,
    note: str = "",
) -> ReliefMeasure:
    """Notes a relief measure taken for a resident in difficulty (民政救助、法律援助、司法救助)."""
    mediation_authorize(case, actor)
    if kind not in ReliefKind.values:
        raise MediationError(_("请选择帮扶措施。"), field="kind")
    if amount is not None and amount < 0:
        raise MediationError(_("金额不能为负数。"), field="amount")
    return ReliefMeasure.objects.create(
        case=case,
        kind=kind,
        provider=provider,
        beneficiary=beneficiary,
        taken_on=taken_on,
        amount=amount,
        note=note,
        recorded_by=actor,
    )


def _agreement_number(case: Case) -> str:
    return f"（{case.received_at.year}）调字第{case.number}号"


def _parties_snapshot(case: Case) -> list[dict[str, str]]:
    links = case.case_parties.select_related("party").order_by("role", "pk")
    return [
        {
            "role": link.role,
            "role_label": str(link.get_role_display()),
            "name": link.party.name,
            "id_number": link.party.id_number,
            "phone": link.party.phone,
            "address": link.party.address,
        }
        for link in links
    ]


def _mediator_names(record: MediationRecord) -> str:
    people = [record.mediator, *record.co_mediators.all()]
    return "、".join(user.get_full_name() or user.username for user in people)
