from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import Role


def items(user):
    """Menu entries of the needs app."""
    if user.role in (Role.PREFECTURE, Role.MUNICIPALITY, Role.NATIONAL):
        return [(_("課題・ニーズ"), "needs:hearing_list"), (_("ニーズ一覧"), "needs:need_list")]
    return []
