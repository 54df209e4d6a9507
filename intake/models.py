from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grid.models import Center, GridCell, Region, Window
from intake.choices import CaseStatus, Channel, MatterType, PartyKind, PartyRole, TriageColor


class Category(models.Model):
    """Two levels: a class (parent empty) and its kinds. Cases point at a kind; retiring keeps old cases."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kinds",
        verbose_name=_("所属大类"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("纠纷类别")
        verbose_name_plural = _("纠纷类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} · {self.name}" if self.parent_id else self.name


class Party(models.Model):
    """A person or organisation (当事人); one record per resident across cases, found by ID or phone."""

    kind = models.CharField(_("类型"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("姓名/名称"), max_length=100, db_index=True)
    id_number = models.CharField(_("身份证号/信用代码"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~models.Q(id_number=""), name="party_unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One registered matter. `status`, `color` and the handling fields are written only by
    dispatch.transitions (values: dispatch.choices.CaseStatus / TriageColor)."""

    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="received_cases", verbose_name=_("受理中心")
    )
    window = models.ForeignKey(
        Window,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("受理窗口"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="received_cases",
        verbose_name=_("受理人"),
    )
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    matter_type = models.CharField(
        _("事项性质"), max_length=10, choices=MatterType.choices, default=MatterType.DISPUTE
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("纠纷类别")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("发生地")
    )
    grid_cell = models.ForeignKey(
        GridCell,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("网格"),
    )
    summary = models.CharField(_("事项摘要"), max_length=200)
    description = models.TextField(_("详细情况"))
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    involved_people = models.PositiveIntegerField(_("涉及人数"), default=1)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    repeat_count = models.PositiveIntegerField(_("重复来访次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # Lifecycle state, written by dispatch.transitions only.
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED, db_index=True
    )
    color = models.CharField(_("分级"), max_length=10, choices=TriageColor.choices, blank=True, db_index=True)
    handling_center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="handled_cases", verbose_name=_("承办中心")
    )
    handling_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="handled_cases", verbose_name=_("承办层级区划")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("责任人"),
    )
    assigned_department = models.ForeignKey(
        "grid.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("责任部门"),
    )
    version = models.PositiveIntegerField(
        default=0, help_text="bumped by every transition; stale actions are refused"
    )

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        permissions = [
            ("view_full_identity", _("查看完整身份证号与电话")),
        ]
        indexes = [
            models.Index(fields=["center", "received_at"], name="case_center_received"),
            models.Index(fields=["status", "handling_center"], name="case_status_handling"),
            # Mediators' queues: "my cases", and the unclaimed cases of a jurisdiction.
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(
                fields=["status", "handling_region"],
                condition=models.Q(assignee__isnull=True),
                name="case_unclaimed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(color__in=["", *TriageColor.values]), name="case_color_known"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("角色"), max_length=12, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("案件当事人")
        verbose_name_plural = _("案件当事人")
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="case_party_once")]


class RepeatVisit(models.Model):
    """A later visit about a case already open (重复来访): counted, not registered as a new case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="repeat_visits")
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("来访时间"))
    note = models.TextField(_("来访情况"), blank=True)

    class Meta:
        verbose_name = _("重复来访")
        verbose_name_plural = _("重复来访")


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.case.received_at:%Y/%m}/{instance.case.number}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class CaseNumberSequence(models.Model):
    """The last number issued per center and year; locked while a case is registered, so numbers are
    unique under concurrency and a rolled-back registration gives its number back."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "year"], name="case_sequence_per_center_year")
        ]


class IdempotencyRecord(models.Model):
    """The answer to an API create made with an Idempotency-Key, returned again on retry."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # SHA-256 of the request body: the same key sent with a different body is refused, not replayed.
    fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]


class IdentityView(models.Model):
    """One showing of a party's full ID number and phone to someone allowed to see them: who, whom, when,
    from where, on which page. Append-only; read by auditors in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("查看人")
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("当事人"))
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("案件")
    )
    viewed_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("来源IP"), null=True, blank=True)
    context = models.CharField(_("查看位置"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("身份信息查看记录")
        verbose_name_plural = _("身份信息查看记录")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.party_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("identity views are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("identity views are append-only")
