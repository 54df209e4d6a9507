from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from dispatch.choices import TransferTarget, TriageColor
from grid.selectors import department_list_for_user, jurisdiction_q


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
