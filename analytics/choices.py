from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What a rollup row counts; each is attributed to the month named in its comment."""

    # Cases registered (month received).
    RECEIVED = "received", _("受理")
    # Cases whose latest outcome is 化解 and not reopened since (month resolved).
    RESOLVED = "resolved", _("化解")
    # Cases received in the month that are resolved now (month received): 化解率 (resolved ÷ received).
    RECEIVED_RESOLVED = "received_resolved", _("当期受理已化解")
    # Cases closed with feedback to the applicant (month closed).
    CLOSED = "closed", _("办结")
    # Closed within 5 working days of registration (month closed).
    CLOSED_ON_TIME = "closed_on_time", _("5个工作日内办结")
    # Signed for (签收) within 30 minutes of registration (month received).
    RESPONDED_ON_TIME = "responded_on_time", _("30分钟内响应")
    # Taken over one tier up at least once; counted once per case (month first escalated).
    ESCALATED = "escalated", _("提级办理")
    # 回访 recorded (month contacted); regions' totals only, like the two below.
    FOLLOWED_UP = "followed_up", _("回访")
    # 回访 where the resident was 满意 or 基本满意 (month contacted).
    SATISFIED = "satisfied", _("回访满意")
    # Later visits about an open case (month of the visit).
    REPEAT_VISIT = "repeat_visit", _("重复来访")


class Dimension(models.TextChoices):
    """The breakdown a rollup row belongs to; `value` holds the member (empty for the total)."""

    # No breakdown: the region's total.
    TOTAL = "total", _("合计")
    # intake.Category id of the kind (小类); classes are summed from their kinds.
    KIND = "kind", _("纠纷类别")
    # intake.choices.Channel value.
    CHANNEL = "channel", _("来源渠道")
    # dispatch.choices.TriageColor value; empty before triage.
    COLOR = "color", _("分级")
    # grid.Department id of the responsible department; empty when none.
    DEPARTMENT = "department", _("责任部门")
    # grid.choices.RegionLevel of the handling region when resolved (resolved rows only).
    TIER = "tier", _("化解层级")


class WarningMetric(models.TextChoices):
    # Cases received in the period.
    RECEIVED = "received", _("受理量")
    # Increase of cases received against the previous period, in percent.
    RECEIVED_GROWTH = "received_growth", _("受理量环比增幅(%)")
    # Open cases past the 5-working-day limit now.
    OVERDUE = "overdue", _("超期未办结件数")
    # Overdue open cases as a percentage of all open cases now.
    OVERDUE_SHARE = "overdue_share", _("超期占比(%)")


class WarningScope(models.TextChoices):
    # Checked for each region one tier below the viewer.
    REGION = "region", _("区域")
    # Checked for each category kind within the viewer's jurisdiction.
    CATEGORY = "category", _("类别")


class WarningColor(models.TextChoices):
    # 红色预警: act now.
    RED = "red", _("红色")
    # 黄色预警: watch closely.
    YELLOW = "yellow", _("黄色")
    # 蓝色预警: note.
    BLUE = "blue", _("蓝色")
