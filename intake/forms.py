"""The desk's forms. They parse and check shapes; the rules (jurisdiction, retired categories, duplicates
within a case, files) live in intake.services and come back as errors placed on these fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.choices import Channel, MatterType, PartyKind, PartyRole
from intake.selectors import category_tree
from intake.validators import (
    ATTACHMENT_ACCEPT,
    normalize_id_number,
    normalize_phone,
    validate_party_id_number,
    validate_phone,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def category_choices() -> list:
    """Kinds grouped by class (optgroups): usable by keyboard alone, and filtered by class with JS."""
    return [("", _("—— 请选择 ——"))] + [
        (
            f"{group['category'].code} {group['category'].name}",
            [(k.code, f"{k.code} {k.name}") for k in group["kinds"]],
        )
        for group in category_tree()
    ]


class CaseForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=Channel.choices,
        initial=Channel.WALK_IN,
        widget=forms.Select(attrs={"autofocus": True}),
    )
    matter_type = forms.ChoiceField(
        label=_("事项性质"), choices=MatterType.choices, initial=MatterType.DISPUTE, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("纠纷类别"))
    region = forms.CharField(
        label=_("发生地"),
        max_length=12,
        widget=forms.HiddenInput,
        error_messages={"required": _("请选择发生地（可输入名称或区划代码搜索）")},
    )
    summary = forms.CharField(
        label=_("事项摘要"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("一句话概括，如：楼上漏水致楼下天花板受损")}),
    )
    description = forms.CharField(label=_("详细情况"), widget=forms.Textarea(attrs={"rows": 5}))
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=0, decimal_places=2)
    involved_people = forms.IntegerField(label=_("涉及人数"), min_value=1, initial=1)
    received_at = forms.DateTimeField(
        label=_("受理时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("默认为当前时间；补录来信等可改为实际收到时间"),
    )
    attachments = MultipleFileField(
        label=_("附件（照片、PDF、Office 文件，单个不超过10MB）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        return value or timezone.now()


class PartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    role = forms.ChoiceField(label=_("角色"), choices=PartyRole.choices, initial=PartyRole.APPLICANT)
    name = forms.CharField(label=_("姓名/名称"), max_length=100)
    id_number = forms.CharField(
        label=_("身份证号/信用代码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-dup": "id_number", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-dup": "phone", "inputmode": "tel"}),
    )
    address = forms.CharField(label=_("住址"), max_length=200, required=False)

    def has_changed(self) -> bool:
        # A row whose kind and role were set but nothing typed is an unused row, not a party.
        return any((self[name].value() or "").strip() for name in ("name", "id_number", "phone", "address"))

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        if phone:
            validate_phone(phone)
        return phone

    def clean(self):
        data = super().clean()
        id_number = normalize_id_number(data.get("id_number", ""))
        if id_number:
            try:
                validate_party_id_number(data.get("kind", ""), id_number)
            except ValidationError as error:
                self.add_error("id_number", error)
        data["id_number"] = id_number
        return data


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms if not self._should_delete_form(form)):
            raise ValidationError(_("请至少填写一名当事人"))


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=0, max_num=50, validate_max=True
)


class GridReportForm(forms.Form):
    """What a grid worker reports from a phone: fewer fields, a camera photo, optional GPS."""

    matter_type = forms.ChoiceField(
        label=_("事项性质"),
        choices=[
            (MatterType.DISPUTE, MatterType.DISPUTE.label),
            (MatterType.RISK, MatterType.RISK.label),
            (MatterType.SERVICE, MatterType.SERVICE.label),
        ],
        initial=MatterType.DISPUTE,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("类别"))
    region = forms.ChoiceField(label=_("发生地"))
    summary = forms.CharField(label=_("简要情况"), max_length=200)
    description = forms.CharField(label=_("详细描述"), widget=forms.Textarea(attrs={"rows": 4}))
    party_name = forms.CharField(label=_("当事人姓名"), max_length=100, required=False)
    party_phone = forms.CharField(
        label=_("当事人电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    involved_people = forms.IntegerField(label=_("涉及人数"), min_value=1, initial=1)
    photos = MultipleFileField(
        label=_("现场照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        self.fields["region"].choices = [(r.code, r.name) for r in regions]

    def clean_party_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("party_phone", ""))
        if phone:
            validate_phone(phone)
        return phone


class RepeatVisitForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.WALK_IN)
    summary = forms.CharField(required=False, max_length=200)
    description = forms.CharField(required=False)
    note = forms.CharField(required=False, max_length=2000)

    def note_text(self) -> str:
        data = self.cleaned_data
        parts = [data.get("note", ""), data.get("summary", ""), data.get("description", "")]
        return "\n".join(p.strip() for p in parts if p and p.strip())[:2000]
