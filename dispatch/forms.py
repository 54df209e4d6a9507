from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from dispatch.choices import TransferTarget, TriageColor
from dispatch.routing import centers_below
from grid.selectors import department_list_for_user, jurisdiction_q
from intake.models import Case


class VersionedForm(forms.Form):
    # The version shown on the page: acting on an outdated page is refused, not half-applied.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class TriageForm(VersionedForm):
    color = forms.ChoiceField(label=_("分级"), choices=TriageColor.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("调整理由"), required=False, max_length=2000)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(ReasonForm):
    to = forms.ChoiceField(label=_("转办去向"), choices=TransferTarget.choices)


class ExtensionForm(ReasonForm):
    """申请延期: more working days or the day the clock should end; the transition checks the two."""

    extra_days = forms.IntegerField(label=_("延长工作日"), required=False)
    new_due_date = forms.DateField(
        label=_("或新的到期日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExtensionDecisionForm(VersionedForm):
    extension = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("审批意见"), required=False, max_length=2000)


class HandDownForm(ReasonForm):
    """下沉交办: one of the centers below the handling center, by code."""

    to_center = forms.ModelChoiceField(label=_("下沉至"), queryset=None, to_field_name="code")

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_center"].queryset = centers_below(case.handling_region)


class AssignForm(VersionedForm):
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    assignee = forms.ModelChoiceField(label=_("责任人"), queryset=None, required=False)
    reason = forms.CharField(label=_("交办说明"), required=False, max_length=2000)

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_list_for_user(user=user).order_by("center", "name")
        staff = get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)
        self.fields["assignee"].queryset = staff.filter(
            jurisdiction_q(user=user, field="staff_profile__region")
        ).order_by("username")
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}（{u.username}）"
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("department") and not data.get("assignee"):
            raise forms.ValidationError(_("请指定责任单位或责任人"))
        return data


class TrackForm(forms.Form):
    """办理进度查询 on the public page."""

    number = forms.CharField(
        label=_("回执编号"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label=_("申请人手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
