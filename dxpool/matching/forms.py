from django import forms
from django.utils.translation import gettext_lazy as _

from dxpool.core import forms as core_forms


class RunForm(forms.Form):
    mode = forms.ChoiceField(label=_("方式"), choices=[("optimal", _("最適（総合スコア最大）")),
                                                      ("stable", _("安定（受入保留方式）"))])
    optimal_side = forms.ChoiceField(label=_("安定マッチングで有利な側"), choices=[("need", _("市町村ニーズ")),
                                                                          ("talent", _("人材"))])
    require_training = forms.BooleanField(label=_("研修修了者だけを対象にする"), required=False, initial=True)
    max_assignments = core_forms.IntegerField(label=_("1人あたり最大担当数"), min_value=1, max_value=10, initial=3)
    priority = core_forms.FloatField(label=_("優先度（ひとり情シス等）の重み"), min_value=0, max_value=5, initial=1.0)
    distance = core_forms.FloatField(label=_("距離の重み"), min_value=0, max_value=5, initial=0.3)


class AnswerForm(forms.Form):
    # Not required by the form: an acceptance has no reason; proposal_answer refuses a decline without one.
    reason = forms.CharField(label=_("辞退の理由"), required=False, max_length=2000,
                             help_text=_("辞退する場合は必須です。提案した都道府県と相手方に表示されます。"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("取り下げの理由"), max_length=2000,
                             help_text=_("市町村と人材の双方に、この理由が表示されます。"),
                             widget=forms.Textarea(attrs={"rows": 3}))
