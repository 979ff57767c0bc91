from django import forms
from django.utils.translation import gettext_lazy as _


class RunForm(forms.Form):
    mode = forms.ChoiceField(label=_("方式"), choices=[("optimal", _("最適（総合スコア最大）")),
                                                      ("stable", _("安定（受入保留方式）"))])
    optimal_side = forms.ChoiceField(label=_("安定マッチングで有利な側"), choices=[("need", _("市町村ニーズ")),
                                                                          ("talent", _("人材"))])
    require_training = forms.BooleanField(label=_("研修修了者だけを対象にする"), required=False, initial=True)
    max_assignments = forms.IntegerField(label=_("1人あたり最大担当数"), min_value=1, max_value=10, initial=3)
    priority = forms.FloatField(label=_("優先度（ひとり情シス等）の重み"), min_value=0, max_value=5, initial=1.0)
    distance = forms.FloatField(label=_("距離の重み"), min_value=0, max_value=5, initial=0.3)


class AnswerForm(forms.Form):
    reason = forms.CharField(label=_("辞退の理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
