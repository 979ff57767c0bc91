from django import forms
from django.utils.translation import gettext_lazy as _

from dxpool.places.models import GroupingKind, Municipality, MunicipalityType


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("名称・よみ・団体コード"), required=False, max_length=40)
    type = forms.ChoiceField(label=_("区分"), required=False,
                             choices=[("", _("すべて"))] + list(MunicipalityType.choices))
    prefecture = forms.CharField(label=_("都道府県"), required=False, max_length=8)


class GroupingForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80)
    kind = forms.ChoiceField(label=_("種類"), choices=GroupingKind.choices)
    members = forms.ModelMultipleChoiceField(
        label=_("構成市町村"), queryset=Municipality.objects.none(), to_field_name="code",
        widget=forms.CheckboxSelectMultiple, help_text=_("2つ以上選んでください。"),
    )
    note = forms.CharField(label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Municipality.objects.filter(prefecture=prefecture)
