from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    # How a matter reached the center; every channel registers at the same window (无差别受理).
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("来电")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上")
    GRID_REPORT = "grid_report", _("网格上报")
    HIGHER_LEVEL = "higher_level", _("上级交办")
    COURT_REFERRAL = "court_referral", _("诉调对接")
    POLICE_REFERRAL = "police_referral", _("警调对接")
    PETITION_REFERRAL = "petition_referral", _("访调对接")
    SCREENING = "screening", _("排查发现")


# Channels where the applicant is spoken to while the case is registered (at the window, on the phone):
# that conversation is the center's response (响应), so the 30-minute clock is met at registration.
IN_CONTACT_CHANNELS = frozenset({Channel.WALK_IN, Channel.PHONE})


class MatterType(models.TextChoices):
    # A dispute between parties: mediated.
    DISPUTE = "dispute", _("矛盾纠纷")
    # A petition matter (信访): transferred to the petition office's procedure.
    PETITION = "petition", _("信访事项")
    # A livelihood service request: transferred to the service center.
    SERVICE = "service", _("民生服务")
    # A risk or hazard report: screened and tracked as a risk.
    RISK = "risk", _("风险隐患")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


# The lifecycle's vocabulary lives beside the model that stores it (Case.status / Case.color, checked by the
# database); dispatch's transitions are the only writer.
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


# Named sets of statuses: the one place that says which statuses belong together.
# Being worked on by the handler (signed for, or reopened after closing).
WORKING_STATUSES = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.REOPENED})
# Waiting for someone to take it (classified, or handed to a unit that has not signed for it).
CLAIMABLE_STATUSES = frozenset({CaseStatus.TRIAGED, CaseStatus.ASSIGNED})
# Handling finished, waiting to be closed with the report-back.
CONCLUDED_STATUSES = frozenset({CaseStatus.RESOLVED, CaseStatus.UNRESOLVED})
# Closed with the report-back (and possibly followed up): no longer open.
FINISHED_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.FOLLOWED_UP})
