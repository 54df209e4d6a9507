from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from grid.choices import DepartmentKind, RegionLevel, Residency


class Region(MPTTModel):
    """A node of the tier tree. Its primary key is its 12-digit code, so imports need no id lookups."""

    id = models.BigIntegerField(primary_key=True)
    code = models.CharField(_("统计区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )

    class MPTTMeta:
        # "level" is the official tier; mptt's own depth differs where NBS skips the county tier.
        level_attr = "depth"
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class GridCell(models.Model):
    """A 网格 under a village or community, patrolled by its grid workers."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="grid_cells", verbose_name=_("所属村社")
    )
    code = models.CharField(_("网格编码"), max_length=20, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")

    def __str__(self) -> str:
        return self.name


class Center(models.Model):
    """The 综治中心 of one region; at most one per region."""

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="center", verbose_name=_("行政区划")
    )
    name = models.CharField(_("中心名称"), max_length=100)
    code = models.CharField(_("中心编号"), max_length=12, unique=True, help_text=_("用于案件编号的前缀"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("综治中心")
        verbose_name_plural = _("综治中心")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department stationed at a center (常驻 / 轮驻 / 随叫随驻)."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="departments", verbose_name=_("中心")
    )
    name = models.CharField(_("部门名称"), max_length=100)
    kind = models.CharField(_("部门类别"), max_length=30, choices=DepartmentKind.choices)
    residency = models.CharField(_("入驻方式"), max_length=10, choices=Residency.choices)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("入驻部门")
        verbose_name_plural = _("入驻部门")

    def __str__(self) -> str:
        return self.name


class RotaPeriod(models.Model):
    """The dates a rotating department is present at its center, both ends included."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="rota", verbose_name=_("部门")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("轮驻排班")
        verbose_name_plural = _("轮驻排班")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="rota_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.starts_on} – {self.ends_on}"


class Window(models.Model):
    """A reception window at a center (公安调解, 人民调解, ...), staffed by departments."""

    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="windows", verbose_name=_("中心")
    )
    name = models.CharField(_("窗口名称"), max_length=100)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="windows", verbose_name=_("入驻部门")
    )

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")

    def __str__(self) -> str:
        return f"{self.center} · {self.name}"


class StaffProfile(models.Model):
    """Ties a user to a jurisdiction (the subtree of `region`); roles are the user's groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("用户"),
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="staff", verbose_name=_("辖区"))
    center = models.ForeignKey(
        Center, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("中心")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("部门"),
    )
    window = models.ForeignKey(
        Window, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff", verbose_name=_("窗口")
    )
    grid_cell = models.ForeignKey(
        GridCell,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("网格"),
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("工作人员档案")
        verbose_name_plural = _("工作人员档案")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} @ {self.region.name}"


class CalendarOverride(models.Model):
    """An admin's correction to the official calendar (e.g. next year's holidays once announced)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {_('上班') if self.is_workday else _('休息')}"
