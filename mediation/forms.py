from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dispatch.choices import ReportBackMethod
from grid.models import Center, Department
from mediation.choices import (
    ContactMethod,
    MediationKind,
    MediationOutcome,
    NextStep,
    NoticeKind,
    ReferralChannel,
    ReferralDirection,
    ReliefKind,
    Satisfaction,
)
from mediation.selectors import ORDERINGS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QueueFilterForm(forms.Form):
    status = forms.CharField(required=False)
    category = forms.IntegerField(required=False, min_value=1)
    region = forms.IntegerField(required=False, min_value=1)
    order = forms.ChoiceField(
        required=False,
        choices=[
            ("deadline", _("按时限（超期在前）")),
            ("color", _("按分级")),
            ("age", _("按受理时间")),
            ("category", _("按类别")),
        ],
    )

    def clean_order(self) -> str:
        return self.cleaned_data["order"] if self.cleaned_data["order"] in ORDERINGS else "deadline"


class MediationStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("调解类型"), choices=MediationKind.choices)
    committee = forms.CharField(label=_("调解组织"), max_length=100, initial=_("人民调解委员会"))
    department = forms.ModelChoiceField(
        label=_("调解部门"), queryset=Department.objects.none(), required=False
    )
    co_mediators = forms.ModelMultipleChoiceField(
        label=_("协助调解员"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, departments=None, colleagues=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        if colleagues is not None:
            self.fields["co_mediators"].queryset = colleagues
            self.fields["co_mediators"].label_from_instance = lambda user: (
                user.get_full_name() or user.username
            )


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("调解时间"), widget=DATETIME)
    place = forms.CharField(label=_("调解地点"), max_length=200)
    participants = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("调解笔录"), widget=forms.Textarea(attrs={"rows": 6}))


class AgreementForm(forms.Form):
    facts = forms.CharField(label=_("纠纷事实及争议事项"), widget=forms.Textarea(attrs={"rows": 5}))
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 6}))
    performance = forms.CharField(
        label=_("履行方式与期限"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConclusionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("调解结果"), choices=MediationOutcome.choices)
    next_step = forms.ChoiceField(
        label=_("后续途径（调解不成时）"), choices=[("", "—")] + list(NextStep.choices), required=False
    )
    note = forms.CharField(label=_("结果说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CloseForm(forms.Form):
    method = forms.ChoiceField(label=_("反馈方式"), choices=ReportBackMethod.choices)
    reported_at = forms.DateTimeField(label=_("反馈时间"), widget=DATETIME)
    note = forms.CharField(label=_("反馈内容"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    method = forms.ChoiceField(label=_("回访方式"), choices=ContactMethod.choices)
    contacted_at = forms.DateTimeField(label=_("回访时间"), widget=DATETIME)
    contact_person = forms.CharField(label=_("回访对象"), max_length=50)
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    recurred = forms.BooleanField(label=_("纠纷是否反弹"), required=False)
    note = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReferralForm(forms.Form):
    direction = forms.ChoiceField(label=_("方向"), choices=ReferralDirection.choices)
    channel = forms.ChoiceField(label=_("对接类型"), choices=ReferralChannel.choices)
    body = forms.CharField(label=_("对接单位"), max_length=100)
    reference = forms.CharField(label=_("对方文号/案号"), max_length=60, required=False)
    note = forms.CharField(label=_("移交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReferralResultForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 2}))


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label=_("帮扶措施"), choices=ReliefKind.choices)
    provider = forms.CharField(label=_("实施单位"), max_length=100)
    beneficiary = forms.CharField(label=_("受助人"), max_length=50)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, required=False)
    taken_on = forms.DateField(label=_("实施日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False)


class NoticeIssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("文书类型"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    recipient_center = forms.ModelChoiceField(
        label=_("受文中心"), queryset=Center.objects.none(), required=False
    )
    recipient_department = forms.ModelChoiceField(
        label=_("受文部门"), queryset=Department.objects.none(), required=False
    )
    case_numbers = forms.CharField(
        label=_("督办案件编号"),
        required=False,
        help_text=_("多个编号用逗号或换行分隔"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    reply_days = forms.IntegerField(label=_("回复时限（工作日）"), min_value=1, max_value=60, initial=5)

    def __init__(self, *args, centers=None, departments=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if centers is not None:
            self.fields["recipient_center"].queryset = centers
        if departments is not None:
            self.fields["recipient_department"].queryset = departments

    def case_number_list(self) -> list[str]:
        raw = self.cleaned_data.get("case_numbers", "").replace("，", ",").replace("\n", ",")
        return [number.strip() for number in raw.split(",") if number.strip()]


class NoticeResponseForm(forms.Form):
    response = forms.CharField(label=_("办理情况回复"), widget=forms.Textarea(attrs={"rows": 5}))
