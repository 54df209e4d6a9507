from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.choices import (
    DeadlineKind,
    DeadlineState,
    DeadlineUnit,
    EventType,
    ExtensionState,
    NotificationKind,
    TriageColor,
)
from grid.choices import DepartmentKind, RegionLevel
from grid.models import Center, Region
from intake.models import Case, Category

OPEN_DEADLINE_STATES = (DeadlineState.PENDING, DeadlineState.WARNED)


class CaseEvent(models.Model):
    """One immutable step of a case's history (全流程); codes only, so it renders in any language."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("案件"))
    type = models.CharField(_("事件"), max_length=30, choices=EventType.choices)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    reason = models.TextField(_("理由"), blank=True)
    payload = models.JSONField(_("详情"), default=dict, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)

    class Meta:
        verbose_name = _("案件流转记录")
        verbose_name_plural = _("案件流转记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_case_at")]
        permissions = [
            ("triage_case", _("分级")),
            ("assign_case", _("交办与仲裁")),
            ("handle_case", _("签收、认领、办理、办结、回访")),
            ("escalate_case", _("提级办理")),
            ("transfer_case", _("转办")),
            ("suspend_case", _("中止与恢复")),
            ("review_case", _("审核办结、重新办理、审批延期")),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("case events are immutable")
        super().save(*args, **kwargs)


class DeadlinePolicy(models.Model):
    """How long a clock runs, per kind and optionally per colour and tier; the most specific row wins."""

    kind = models.CharField(_("时限类型"), max_length=20, choices=DeadlineKind.choices)
    color = models.CharField(_("分级"), max_length=10, choices=TriageColor.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices, null=True, blank=True)
    amount = models.PositiveIntegerField(_("时长"))
    unit = models.CharField(_("单位"), max_length=20, choices=DeadlineUnit.choices)
    warn_ratio = models.DecimalField(
        _("预警比例"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        help_text=_("用去该比例的时间后预警"),
    )
    escalate_on_breach = models.BooleanField(_("超期自动提级"), default=False)

    class Meta:
        verbose_name = _("时限规则")
        verbose_name_plural = _("时限规则")
        constraints = [
            # One row per kind/colour/tier; "any tier" (no level) counts as a tier of its own.
            models.UniqueConstraint(
                fields=["kind", "color", "level"],
                condition=Q(level__isnull=False),
                name="deadline_policy_once",
            ),
            models.UniqueConstraint(
                fields=["kind", "color"],
                condition=Q(level__isnull=True),
                name="deadline_policy_once_any_tier",
            ),
            models.CheckConstraint(
                condition=Q(warn_ratio__gt=0, warn_ratio__lt=1), name="deadline_policy_warn_ratio"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.get_unit_display()}"


class Deadline(models.Model):
    """One running clock. Due and warning times are computed when set and stored: the sweep never
    recomputes them. A clock belongs to a case, to another object (e.g. a supervision notice), or both."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("案件"),
    )
    kind = models.CharField(_("时限类型"), max_length=20, choices=DeadlineKind.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=DeadlineState.choices, default=DeadlineState.PENDING
    )
    unit = models.CharField(_("单位"), max_length=20, choices=DeadlineUnit.choices)
    started_at = models.DateTimeField(_("起算时间"))
    warn_at = models.DateTimeField(_("预警时间"))
    due_at = models.DateTimeField(_("到期时间"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("责任人"),
    )
    escalate_on_breach = models.BooleanField(_("超期自动提级"), default=False)
    remaining = models.DurationField(_("剩余时间（暂停时）"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        indexes = [
            # The sweep's one query: due and unmet.
            models.Index(
                fields=["due_at"], name="deadline_due_open", condition=Q(state__in=OPEN_DEADLINE_STATES)
            ),
            models.Index(
                fields=["warn_at"], name="deadline_warn_pending", condition=Q(state=DeadlineState.PENDING)
            ),
            models.Index(fields=["case", "kind"], name="deadline_case_kind"),
        ]
        constraints = [
            # One running clock of each kind per case; notices may each have their own reply clock.
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(state__in=[*OPEN_DEADLINE_STATES, DeadlineState.PAUSED])
                & ~Q(kind=DeadlineKind.NOTICE_REPLY),
                name="deadline_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """One move of a case up the tier tree (提级办理); analytics counts these per tier."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("案件")
    )
    from_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("原中心")
    )
    to_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="+", verbose_name=_("提级至")
    )
    from_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    automatic = models.BooleanField(_("超期自动提级"), default=False)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="escalation")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("提级记录")
        verbose_name_plural = _("提级记录")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_center_id} → {self.to_center_id}"


class TriageRule(models.Model):
    """A condition that proposes a colour; every condition filled in must hold. The highest colour of all
    matching rules is proposed."""

    name = models.CharField(_("规则名称"), max_length=100)
    color = models.CharField(_("建议分级"), max_length=10, choices=TriageColor.choices)
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("纠纷类别"),
    )
    min_parties = models.PositiveIntegerField(_("涉及人数不少于"), null=True, blank=True)
    min_repeat_visits = models.PositiveIntegerField(_("重复来访不少于"), null=True, blank=True)
    keywords = models.CharField(
        _("关键词"), max_length=300, blank=True, help_text=_("用逗号分隔，出现任一即符合")
    )
    min_amount = models.DecimalField(
        _("涉及金额不少于（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分级规则")
        verbose_name_plural = _("分级规则")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.replace("，", ",").split(",") if word.strip()]


class CategoryDepartment(models.Model):
    """Which kind of department handles a category (e.g. 劳动争议 → 人社局); yellow cases route by it."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("纠纷类别")
    )
    department_kind = models.CharField(_("部门类别"), max_length=30, choices=DepartmentKind.choices)
    priority = models.PositiveSmallIntegerField(_("优先级"), default=0, help_text=_("数字小的优先"))

    class Meta:
        verbose_name = _("类别与部门对应")
        verbose_name_plural = _("类别与部门对应")
        ordering = ["priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "department_kind"], name="category_department_once")
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.get_department_kind_display()}"


class ExtensionRequest(models.Model):
    """A request for more time (延期); the deadline moves only when a supervisor approves it."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("延期理由"))
    extra_days = models.PositiveSmallIntegerField(_("延长工作日"))
    state = models.CharField(
        _("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return f"{self.case_id} +{self.extra_days}"


class Notification(models.Model):
    """One message in a user's in-app inbox; its text is rendered from `kind` and `payload`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("案件")
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"


class TrackLookup(models.Model):
    """One resident's progress lookup (办理进度查询), found, missed or refused: the audit trail of the public
    page, where an admin sees an enumeration attempt."""

    at = models.DateTimeField(_("查询时间"), default=timezone.now, db_index=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    number = models.CharField(_("查询编号"), max_length=32)
    found = models.BooleanField(_("查到"))
    refused = models.BooleanField(_("超出限制"), default=False)

    class Meta:
        verbose_name = _("进度查询记录")
        verbose_name_plural = _("进度查询记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.at:%Y-%m-%d %H:%M}"
