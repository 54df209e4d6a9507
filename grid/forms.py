from django import forms
from django.utils.translation import gettext_lazy as _


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("人员名单（CSV 或 Excel）"),
        help_text=_("列：username, name, phone, region_code, roles, center, department, grid_cell, window"),
    )
