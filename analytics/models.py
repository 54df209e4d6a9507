from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from analytics.choices import Dimension, Measure, WarningColor, WarningMetric, WarningScope


class CaseFact(models.Model):
    """What analytics knows about one case: its dimensions and lifecycle moments as last counted.

    Written only by analytics.rollup in the transaction that changes the case; the rollup delta of a
    change is `contribution(new fact) - contribution(this row)`, so the row is the 'before' image.
    """

    case = models.OneToOneField("intake.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    region = models.ForeignKey("grid.Region", on_delete=models.PROTECT, related_name="+")
    # The region's MPTT position, so "open and overdue in a subtree" is one range scan.
    tree_id = models.PositiveIntegerField()
    lft = models.PositiveIntegerField()
    kind_id = models.BigIntegerField()
    channel = models.CharField(max_length=20)
    color = models.CharField(max_length=10, blank=True)
    department_id = models.BigIntegerField(null=True)
    received_at = models.DateTimeField()
    # Copied from dispatch's Deadline rows at every step (rollup.fact_clocks_refresh): the current close
    # clock's due time (none while it is paused), the respond clock's due time, and when that clock was
    # met (none if it ran out first).
    close_due_at = models.DateTimeField(null=True)
    respond_due_at = models.DateTimeField(null=True)
    first_response_at = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    resolved_level = models.PositiveSmallIntegerField(null=True)
    closed_at = models.DateTimeField(null=True)
    closed_on_time = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True)
    is_open = models.BooleanField(default=True)
    # Set by the minute sweep (analytics.rollup.facts_overdue_mark) once close_due_at has passed while
    # the case was open; OpenCount.overdue counts the open facts that have it.
    is_overdue = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # A township's breakdowns are counted from its facts: one range scan.
            models.Index(fields=["tree_id", "lft"], name="casefact_subtree"),
            models.Index(
                fields=["tree_id", "lft", "close_due_at"],
                condition=models.Q(is_open=True),
                name="casefact_open_due",
            ),
            # The overdue sweep, and the few cases due since its last run that counts add to OpenCount.
            models.Index(
                fields=["close_due_at"],
                condition=models.Q(is_open=True, is_overdue=False),
                name="casefact_unswept",
            ),
            # The 三色清单 of a large region: its open cases of one colour, oldest first.
            models.Index(
                fields=["tree_id", "color", "received_at"],
                condition=models.Q(is_open=True),
                name="casefact_open_color",
            ),
        ]


class CaseCount(models.Model):
    """Pre-aggregated counts: month x region x (dimension, value) x measure -> n.

    A case is counted at its own region and at every ancestor, so a province's figures are an exact-key
    lookup on the province's rows rather than a scan of its subtree.
    """

    month = models.DateField()
    region = models.ForeignKey("grid.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    value = models.CharField(max_length=32, blank=True)
    measure = models.CharField(max_length=20, choices=Measure.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "dimension", "month", "measure", "value"], name="casecount_key"
            )
        ]


class OpenCount(models.Model):
    """Cases open now: per region, counted at the case's region and every ancestor like CaseCount, and
    per kind above townships (kind_id ALL_KINDS = the region's total). `overdue` counts the open cases the
    minute sweep has marked past their limit; selectors add the few due since its last run."""

    region = models.ForeignKey("grid.Region", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind_id = models.BigIntegerField()
    open = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "kind_id"], name="opencount_key")]


class OverdueSweep(models.Model):
    """The overdue sweep's watermark (one row): every open fact due before `swept_until` is marked
    overdue, so counts add only the facts due between it and now, a minute's worth."""

    swept_until = models.DateTimeField()


class WarningThreshold(models.Model):
    """One rule of the 三色预警: an entry whose metric reaches `threshold` gets this colour."""

    scope = models.CharField(_("对象"), max_length=10, choices=WarningScope.choices)
    metric = models.CharField(_("指标"), max_length=20, choices=WarningMetric.choices)
    color = models.CharField(_("预警级别"), max_length=10, choices=WarningColor.choices)
    threshold = models.DecimalField(_("阈值"), max_digits=10, decimal_places=2)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("预警阈值")
        verbose_name_plural = _("预警阈值")
        ordering = ["scope", "metric", "color"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "metric", "color"], name="warning_threshold_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.get_metric_display()} ≥ {self.threshold}"


class ReportIssue(models.Model):
    """An issued (frozen, numbered) analysis report: the figures as they stood when it was issued."""

    region = models.ForeignKey(
        "grid.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("行政区划")
    )
    period = models.CharField(_("统计期"), max_length=10)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    figures = models.JSONField()
    key_risks = models.TextField(_("重点风险"), blank=True)
    suggestions = models.TextField(_("工作建议"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("研判报告")
        verbose_name_plural = _("研判报告")
        ordering = ["-issued_at"]
        permissions = [
            ("view_dashboard", _("查看研判分析")),
            ("issue_report", _("签发研判报告")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "sequence"], name="report_issue_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.region.name}研判〔{self.year}〕{self.sequence}号"
