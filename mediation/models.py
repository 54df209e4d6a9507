import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from dispatch.choices import DeadlineState
from dispatch.models import Deadline
from grid.models import Center, Department
from intake.models import Case
from mediation.choices import (
    AgreementState,
    ContactMethod,
    JudicialConfirmation,
    MediationKind,
    MediationOutcome,
    NextStep,
    NoticeKind,
    NoticeState,
    ReferralChannel,
    ReferralDirection,
    ReliefKind,
    Satisfaction,
)

USER = settings.AUTH_USER_MODEL


class MediationRecord(models.Model):
    """One mediation of a case (调解记录). A failed mediation keeps its record when the case moves on."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="mediations", verbose_name=_("案件")
    )
    kind = models.CharField(_("调解类型"), max_length=20, choices=MediationKind.choices)
    mediator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("主持调解员")
    )
    co_mediators = models.ManyToManyField(USER, blank=True, related_name="+", verbose_name=_("协助调解员"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调解部门"),
    )
    committee = models.CharField(_("调解组织"), max_length=100, help_text=_("如：南岭街道人民调解委员会"))
    outcome = models.CharField(_("调解结果"), max_length=24, choices=MediationOutcome.choices, blank=True)
    next_step = models.CharField(_("后续途径"), max_length=12, choices=NextStep.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    concluded_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        permissions = [("mediate_case", _("调解办案"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome=MediationOutcome.FAILED) | ~models.Q(next_step=""),
                name="mediation_failed_has_next_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.get_kind_display()}"


class MediationSession(models.Model):
    """A sitting of the mediation (调解会), with its minutes (调解笔录)."""

    record = models.ForeignKey(
        MediationRecord, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("调解记录")
    )
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=200)
    participants = models.TextField(_("参加人员"))
    minutes = models.TextField(_("调解笔录"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解会")
        verbose_name_plural = _("调解会")
        ordering = ["held_at"]


class Agreement(models.Model):
    """A 调解协议书. Drafts change; a final version never does — a correction is the next version."""

    record = models.ForeignKey(
        MediationRecord, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("调解记录")
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(
        _("状态"), max_length=8, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    number = models.CharField(_("协议书编号"), max_length=60)
    parties = models.JSONField(_("当事人"), help_text="snapshot: [{role, name, id_number, phone, address}]")
    facts = models.TextField(_("纠纷事实及争议事项"))
    terms = models.TextField(_("协议内容"))
    performance = models.TextField(_("履行方式与期限"), blank=True)
    body_name = models.CharField(_("调解组织名称"), max_length=100)
    mediator_names = models.CharField(_("调解员"), max_length=200)
    signed_place = models.CharField(_("签订地点"), max_length=200, blank=True)
    finalised_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)
    finalised_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    confirmation = models.CharField(
        _("司法确认"), max_length=10, choices=JudicialConfirmation.choices, blank=True, default=""
    )
    confirmation_court = models.CharField(_("受理法院"), max_length=100, blank=True)
    confirmation_reference = models.CharField(_("法院案号"), max_length=60, blank=True)
    confirmation_requested_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    confirmation_decided_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解协议书")
        verbose_name_plural = _("调解协议书")
        ordering = ["record", "version"]
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="agreement_version_once"),
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(state="draft"), name="agreement_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return _("%(number)s（第%(version)s版）") % {"number": self.number, "version": self.version}

    @property
    def is_final(self) -> bool:
        return self.state == AgreementState.FINAL


class Referral(models.Model):
    """A matter handed between mediation and a court, police station or petition office, and what came
    of it (the result is reported back to the referring body)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("案件"))
    direction = models.CharField(_("方向"), max_length=4, choices=ReferralDirection.choices)
    channel = models.CharField(_("对接类型"), max_length=10, choices=ReferralChannel.choices)
    body = models.CharField(_("对接单位"), max_length=100, help_text=_("如：南关区人民法院"))
    reference = models.CharField(_("对方文号/案号"), max_length=60, blank=True)
    referred_at = models.DateTimeField(_("移交时间"))
    note = models.TextField(_("移交说明"), blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    result_reported_at = models.DateTimeField(_("结果反馈时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接移交")
        verbose_name_plural = _("对接移交")
        ordering = ["referred_at"]


class FollowUp(models.Model):
    """A 回访 after closing: how the resident was reached, their satisfaction, whether it recurred."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("案件")
    )
    method = models.CharField(_("回访方式"), max_length=10, choices=ContactMethod.choices)
    contacted_at = models.DateTimeField(_("回访时间"))
    contact_person = models.CharField(_("回访对象"), max_length=50)
    note = models.TextField(_("回访情况"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices)
    recurred = models.BooleanField(_("是否反弹"), default=False)
    reopened = models.BooleanField(_("已重新办理"), default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["contacted_at"]

    @property
    def needs_review(self) -> bool:
        """Dissatisfied or recurred: a supervisor decides whether the case is handled again."""
        return self.satisfaction == Satisfaction.DISSATISFIED or self.recurred


class ReliefMeasure(models.Model):
    """Support given to a resident in difficulty alongside the case (困难帮扶)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="relief_measures", verbose_name=_("案件")
    )
    kind = models.CharField(_("帮扶措施"), max_length=20, choices=ReliefKind.choices)
    provider = models.CharField(_("实施单位"), max_length=100)
    beneficiary = models.CharField(_("受助人"), max_length=50)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    taken_on = models.DateField(_("实施日期"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("困难帮扶")
        verbose_name_plural = _("困难帮扶")


class SupervisionNotice(models.Model):
    """A 督办 notice from a county-or-higher center to a lower center, a department or a person.
    Its reply clock is a dispatch Deadline (kind notice_reply) pointing at it, like every clock."""

    kind = models.CharField(_("文书类型"), max_length=20, choices=NoticeKind.choices)
    number = models.CharField(_("文号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    issuer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="issued_notices", verbose_name=_("签发人")
    )
    issuing_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="issued_notices", verbose_name=_("发文单位")
    )
    recipient_center = models.ForeignKey(
        Center,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_notices",
        verbose_name=_("受文中心"),
    )
    recipient_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_notices",
        verbose_name=_("受文部门"),
    )
    recipient_person = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_notices",
        verbose_name=_("责任人"),
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="notices", verbose_name=_("督办案件"))
    reply_days = models.PositiveSmallIntegerField(_("回复时限（工作日）"))
    issued_at = models.DateTimeField(_("签发时间"))
    state = models.CharField(
        _("状态"), max_length=12, choices=NoticeState.choices, default=NoticeState.ISSUED
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.TextField(_("办理情况回复"), blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    deadlines = GenericRelation(Deadline)

    class Meta:
        verbose_name = _("督办文书")
        verbose_name_plural = _("督办文书")
        permissions = [
            ("issue_notice", _("签发督办文书")),
            ("reply_notice", _("签收并回复督办文书")),
            ("view_board", _("查看督办看板")),
        ]
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_center", "year", "serial"], name="notice_serial_once"),
            models.CheckConstraint(
                condition=models.Q(recipient_center__isnull=False)
                | models.Q(recipient_department__isnull=False)
                | models.Q(recipient_person__isnull=False),
                name="notice_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def reply_clock(self) -> Deadline | None:
        """Read through `deadlines.all()`, so lists that prefetch `deadlines` ask nothing more."""
        return next(iter(self.deadlines.all()), None)

    @property
    def due_at(self) -> dt.datetime | None:
        clock = self.reply_clock
        return clock.due_at if clock else None

    @property
    def overdue_at(self) -> dt.datetime | None:
        """When the reply clock ran out unanswered (the sweep or the eta task marked it breached)."""
        clock = self.reply_clock
        return clock.breached_at if clock and clock.state == DeadlineState.BREACHED else None

    @property
    def recipient_label(self) -> str:
        parts = [str(x) for x in (self.recipient_center, self.recipient_department) if x]
        if self.recipient_person_id:
            parts.append(self.recipient_person.get_full_name() or self.recipient_person.username)
        return " · ".join(parts)
