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
