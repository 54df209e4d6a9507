"""What the stable error codes of the lifecycle say to a person (API `detail` and page messages)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # the exceptions read this table
    from dispatch.exceptions import DispatchError

MESSAGES = {
    "invalid_transition": _("案件当前状态不允许此操作"),
    "stale_version": _("案件已被他人处理，请刷新后重试"),
    "already_claimed": _("案件已有责任人，无法认领"),
    "return_window_passed": _("已超过退单时限"),
    "no_return_to_arbitrate": _("没有待仲裁的退单"),
    "no_higher_center": _("上级没有可提级的综治中心"),
    "no_running_deadline": _("没有正在计时的时限"),
    "extension_pending": _("已有待审批的延期申请"),
    "extension_decided": _("该延期申请已审批"),
    "deadline_not_running": _("该时限已结束，无法延期"),
    "permission_denied": _("您没有此操作的权限"),
    "outside_jurisdiction": _("案件不在您的辖区"),
    "not_assignee": _("只有责任人可以办理此案件"),
    "invalid_color": _("请选择红、黄、蓝分级"),
    "override_needs_reason": _("调整系统建议的分级须填写理由"),
    "unit_or_person_required": _("请指定责任单位或责任人"),
    "reason_required": _("请填写理由"),
    "invalid_decision": _("请选择仲裁结果"),
    "outcome_required": _("请填写办理结果"),
    "report_back_required": _("请填写反馈情况"),
    "invalid_transfer_target": _("请选择转办去向"),
    "extra_days_out_of_range": _("延长天数须在1至30个工作日之间"),
    "extra_days_or_new_due_date": _("请填写延长的工作日数或新的到期日期（二选一）"),
    "new_due_date_not_workday": _("新的到期日期须为工作日"),
    "new_due_date_out_of_range": _("新的到期日期须晚于当前到期日，且延长不超过30个工作日"),
    "no_pending_extension": _("没有待审批的延期申请"),
    "not_center_supervisor": _("只有承办中心的督办人员可以审批延期"),
    "center_not_below": _("只能下沉交办至本中心辖区内的下级综治中心"),
    "department_outside_jurisdiction": _("所选部门不在您的辖区"),
    "assignee_outside_jurisdiction": _("所选责任人不在您的辖区"),
}


def error_message(error: "DispatchError") -> str:
    return error.detail
