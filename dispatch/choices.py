from django.db import models
from django.utils.translation import gettext_lazy as _

# The case's status and colour are intake's vocabulary (they live beside Case); imported here so dispatch's
# code and its callers name them from one module.
from intake.choices import CaseStatus, TriageColor  # noqa: F401


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


class EventType(models.TextChoices):
    # The case was registered at a window (written when intake registers it).
    REGISTERED = "registered", _("登记")
    # The colour was confirmed or overridden (分级).
    TRIAGED = "triaged", _("分级")
    # Handed to a responsible unit and/or person (交办).
    ASSIGNED = "assigned", _("交办")
    # The receiving unit signed for it (签收); its handling clock starts.
    SIGNED = "signed", _("签收")
    # The receiving unit handed it back with a reason (退单).
    RETURNED = "returned", _("退单")
    # The dispatching center decided after a return: reassign or insist (仲裁).
    ARBITRATED = "arbitrated", _("退单仲裁")
    # A handler took an unassigned case from the queue (认领).
    CLAIMED = "claimed", _("认领")
    # Handling finished; the outcome is in the payload.
    RESOLVED = "resolved", _("办理完毕")
    # The result was reported back to the applicant (办结反馈).
    CLOSED = "closed", _("办结")
    # A supervisor's review sent the closing back for more work (退回重办).
    SENT_BACK = "sent_back", _("退回重办")
    # The applicant was contacted after closing (回访).
    FOLLOWED_UP = "followed_up", _("回访")
    # Opened again after closing (重新办理).
    REOPENED = "reopened", _("重新办理")
    # Taken over by the center one tier up (提级).
    ESCALATED = "escalated", _("提级办理")
    # Handed down to a center below the handling one (下沉交办).
    HANDED_DOWN = "handed_down", _("下沉交办")
    # Handed to another procedure (转办).
    TRANSFERRED = "transferred", _("转办")
    # Put on hold; clocks paused (中止).
    SUSPENDED = "suspended", _("中止")
    # Taken off hold; clocks restarted with what was left (恢复).
    RESUMED = "resumed", _("恢复办理")
    # The responsible unit asked for more time (申请延期).
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    # A supervisor approved an extension; the deadline moved.
    EXTENSION_APPROVED = "extension_approved", _("同意延期")
    # A supervisor refused an extension; the deadline stands.
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    # A deadline reached its warning time (预警).
    DEADLINE_WARNED = "deadline_warned", _("临期预警")
    # A deadline passed unmet (超期).
    DEADLINE_BREACHED = "deadline_breached", _("超期")


class ArbitrationDecision(models.TextChoices):
    # Hand the case to another unit or person.
    REASSIGN = "reassign", _("改派")
    # The return is refused: the same unit must handle it.
    INSIST = "insist", _("维持原交办")


class TransferTarget(models.TextChoices):
    # A petition matter goes to the petition office's own procedure (信访).
    PETITION_OFFICE = "petition_office", _("信访部门")
    # A livelihood request goes to the government service center (政务服务).
    SERVICE_CENTER = "service_center", _("政务服务中心")
    # The parties are guided to litigation (诉讼).
    COURT = "court", _("人民法院")
    # Another competent authority (行政机关依法处理).
    AUTHORITY = "authority", _("有权处理机关")


class DeadlineUnit(models.TextChoices):
    # Minutes counted within working hours on working days (e.g. respond within 30 minutes).
    WORKING_MINUTES = "working_minutes", _("工作时间（分钟）")
    # Plain clock hours, day and night (e.g. classify within 24 hours).
    HOURS = "hours", _("自然小时")
    # Working days on the official calendar plus the admins' overrides.
    WORKING_DAYS = "working_days", _("工作日")


class ExtensionState(models.TextChoices):
    # Waiting for a supervisor.
    PENDING = "pending", _("待审批")
    # Approved: the deadline moved.
    APPROVED = "approved", _("已同意")
    # Refused: the deadline stands.
    REFUSED = "refused", _("已驳回")


class NotificationKind(models.TextChoices):
    # A case was handed to you or your unit.
    ASSIGNED = "assigned", _("新交办")
    # A deadline of yours reached its warning time.
    DEADLINE_WARNING = "deadline_warning", _("临期预警")
    # A deadline of yours passed: urging notice (催办).
    URGE = "urge", _("催办")
    # A case under your supervision breached a deadline again (督办).
    SUPERVISE = "supervise", _("督办提醒")
    # A case was escalated into your center's queue.
    ESCALATED_IN = "escalated_in", _("上级提级")
    # A case of your center was taken over by the tier above (you keep read access).
    ESCALATED_OUT = "escalated_out", _("案件已提级")
    # A center above handed a case down into your center's queue (下沉交办).
    HANDED_DOWN_IN = "handed_down_in", _("上级下沉交办")
    # A unit returned a case your center dispatched (退单), waiting for arbitration.
    RETURNED = "returned", _("退单待仲裁")
    # A unit asked for an extension you may decide.
    EXTENSION_REQUESTED = "extension_requested", _("延期申请")
    # Your extension request was decided.
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    # A supervisor sent your closing back for more work.
    SENT_BACK = "sent_back", _("退回重办")
    # A supervision notice (督办函, 风险提示函, ...) was addressed to you or your unit.
    NOTICE_ISSUED = "notice_issued", _("督办文书")
    # The recipient responded to a notice you issued.
    NOTICE_RESPONDED = "notice_responded", _("督办回复")
    # The reply to a notice you issued is overdue.
    NOTICE_OVERDUE = "notice_overdue", _("督办回复超期")
    # A follow-up found the resident dissatisfied or the matter recurring: a supervisor decides on reopening.
    FOLLOW_UP_REVIEW = "follow_up_review", _("回访不满意待审核")


class HandlingOutcome(models.TextChoices):
    """How handling ended: the resolve step's outcome code (mediation records the same codes)."""

    # Resolved, with a signed 调解协议书.
    AGREEMENT = "agreement", _("达成书面协议化解")
    # Resolved on the spot; the parties did not want a written agreement (口头协议).
    NO_WRITTEN_AGREEMENT = "no_written_agreement", _("未签书面协议化解")
    # Part of the matter settled, part still open.
    PARTLY = "partly", _("部分化解")
    # No settlement; `next_step` says where the parties were guided.
    FAILED = "failed", _("调解不成")
    # The applicant withdrew the request.
    WITHDRAWN = "withdrawn", _("申请人撤回")


# Outcomes that count as "resolved" for the case lifecycle (resolved vs unresolved).
RESOLVED_OUTCOMES = frozenset({HandlingOutcome.AGREEMENT, HandlingOutcome.NO_WRITTEN_AGREEMENT})


class NextStep(models.TextChoices):
    # Guided to file a lawsuit (引导诉讼).
    LAWSUIT = "lawsuit", _("引导诉讼")
    # Guided to labour or commercial arbitration.
    ARBITRATION = "arbitration", _("引导仲裁")
    # Guided to the petition (信访) channel.
    PETITION = "petition", _("引导信访渠道")


class ReportBackMethod(models.TextChoices):
    """How the applicant was told the result when the case is closed (办结反馈)."""

    # By telephone.
    PHONE = "phone", _("电话告知")
    # Face to face, at the center or at home.
    IN_PERSON = "in_person", _("当面告知")
    # In a written reply.
    LETTER = "letter", _("书面告知")
    # By text message or WeChat.
    MESSAGE = "message", _("短信/微信告知")
