from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    # Registered at a window, not yet classified.
    REGISTERED = "registered", _("已登记")
    # Colour confirmed (红黄蓝), waiting to be handed to a unit.
    TRIAGED = "triaged", _("已分级")
    # Handed to a responsible unit/person, waiting for them to sign for it (签收).
    ASSIGNED = "assigned", _("已交办")
    # Signed for and being handled (responded).
    IN_PROGRESS = "in_progress", _("办理中")
    # Handling finished with the matter resolved (化解).
    RESOLVED = "resolved", _("已化解")
    # Handling finished without resolving it (e.g. guided to litigation).
    UNRESOLVED = "unresolved", _("未化解")
    # Outcome reported back to the applicant (办结反馈).
    CLOSED = "closed", _("已办结")
    # The resident was contacted after closing (回访).
    FOLLOWED_UP = "followed_up", _("已回访")
    # Taken over by the center one tier up (提级办理); it re-triages and assigns there.
    ESCALATED = "escalated", _("已提级")
    # Handed to another procedure (petition office, service center) for non-dispute matters.
    TRANSFERRED = "transferred", _("已转办")
    # Waiting on something outside (e.g. a court); clocks are paused.
    SUSPENDED = "suspended", _("已中止")
    # Opened again after closing (dissatisfied follow-up, recurrence).
    REOPENED = "reopened", _("已重新办理")


class TriageColor(models.TextChoices):
    # Simple: the grid worker or village resolves it.
    BLUE = "blue", _("蓝色")
    # Complex: the village with the relevant departments.
    YELLOW = "yellow", _("黄色")
    # Major or a stability risk: the township's special team, possibly the county.
    RED = "red", _("红色")


class DeadlineKind(models.TextChoices):
    RESPOND = "respond", _("响应时限")
    CLASSIFY = "classify", _("分类时限")
    CLOSE = "close", _("办结反馈时限")
    FOLLOW_UP = "follow_up", _("回访时限")
    NOTICE_REPLY = "notice_reply", _("督办回复时限")


class DeadlineState(models.TextChoices):
    # Running; the sweep looks only at these.
    PENDING = "pending", _("计时中")
    # The warning (e.g. at 80%) went out; still running.
    WARNED = "warned", _("已预警")
    # Met in time.
    MET = "met", _("已按时完成")
    # Passed unmet; handled exactly once.
    BREACHED = "breached", _("已超期")
    # Stopped while the case is suspended; `remaining` holds what is left.
    PAUSED = "paused", _("已暂停")
    # No longer applies (e.g. the case was transferred).
    CANCELLED = "cancelled", _("已取消")
