from django.db import models
from django.utils.translation import gettext_lazy as _

from dispatch.choices import RESOLVED_OUTCOMES as RESOLVED_OUTCOMES
from dispatch.choices import HandlingOutcome
from dispatch.choices import NextStep as NextStep

# The outcome vocabulary is the lifecycle's (dispatch resolves a case with these codes, from the API as from
# a mediation's conclusion): one definition, named here for mediation's records.
MediationOutcome = HandlingOutcome


class MediationKind(models.TextChoices):
    # By a people's mediation committee (村居/乡镇人民调解委员会), free of charge.
    PEOPLES = "peoples", _("人民调解")
    # By an administrative department within its remit (公安、人社、住建 ...).
    ADMINISTRATIVE = "administrative", _("行政调解")
    # By the court, before or during litigation.
    JUDICIAL = "judicial", _("司法调解")
    # By an industry or professional committee (医疗、物业、交通事故 ...).
    INDUSTRY = "industry", _("行业性专业性调解")
    # By a lawyer at a lawyer mediation studio.
    LAWYER = "lawyer", _("律师调解")


class AgreementState(models.TextChoices):
    # Terms may still change.
    DRAFT = "draft", _("草稿")
    # Signed and sealed: never changes again; a correction is a new version.
    FINAL = "final", _("已定稿")


class JudicialConfirmation(models.TextChoices):
    # No 司法确认 asked for.
    NONE = "", _("未申请")
    # The parties applied to the court within 30 days of signing.
    REQUESTED = "requested", _("已申请司法确认")
    # The court ruled the agreement valid (enforceable).
    CONFIRMED = "confirmed", _("确认有效")
    # The court refused confirmation.
    REJECTED = "rejected", _("驳回申请")


class ReferralDirection(models.TextChoices):
    # Another body sent the matter to us.
    IN = "in", _("委派/移交入")
    # We sent the matter to another body.
    OUT = "out", _("移交出")


class ReferralChannel(models.TextChoices):
    # Court ↔ mediation (诉调对接).
    COURT = "court", _("诉调对接")
    # Police ↔ mediation (警调对接).
    POLICE = "police", _("警调对接")
    # Petition office ↔ mediation (访调对接).
    PETITION = "petition", _("访调对接")


class Satisfaction(models.TextChoices):
    # 满意.
    SATISFIED = "satisfied", _("满意")
    # 基本满意.
    BASIC = "basic", _("基本满意")
    # 不满意: may reopen the case.
    DISSATISFIED = "dissatisfied", _("不满意")


class ContactMethod(models.TextChoices):
    # Phone call.
    PHONE = "phone", _("电话回访")
    # Visit at home (上门回访).
    VISIT = "visit", _("上门回访")
    # The resident came to the center.
    IN_PERSON = "in_person", _("来访回访")
    # SMS / WeChat message.
    MESSAGE = "message", _("短信/微信回访")


class ReliefKind(models.TextChoices):
    # Civil-affairs relief (低保、临时救助) through the 民政 department.
    CIVIL_AFFAIRS = "civil_affairs", _("民政救助")
    # Free legal aid (法律援助中心).
    LEGAL_AID = "legal_aid", _("法律援助")
    # Judicial assistance for victims (司法救助) through court or procuratorate.
    JUDICIAL_ASSISTANCE = "judicial_assistance", _("司法救助")


class NoticeKind(models.TextChoices):
    # A supervision letter demanding action on named cases by a date.
    SUPERVISION_LETTER = "supervision_letter", _("督办函")
    # A letter warning of a risk (e.g. a group petition brewing).
    RISK_ALERT = "risk_alert", _("风险提示函")
    # A circular naming units (praise or criticism).
    CIRCULAR = "circular", _("通报")
    # A summons of the responsible person for a talk (约谈).
    SUMMONS = "summons", _("约谈")
    # Listed supervision: the case is publicly listed until resolved (挂牌督办).
    LISTED = "listed", _("挂牌督办")


class NoticeState(models.TextChoices):
    # Sent; the recipient has not yet signed for it.
    ISSUED = "issued", _("已下发")
    # The recipient signed for it (签收).
    ACKNOWLEDGED = "acknowledged", _("已签收")
    # The recipient replied on what was done (已回复).
    RESPONDED = "responded", _("已回复")


# States in which a notice still waits for its recipient.
OPEN_NOTICE_STATES = frozenset({NoticeState.ISSUED, NoticeState.ACKNOWLEDGED})
