from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import Role


def items(user):
    """Menu entries of the matching app."""
    if user.role == Role.PREFECTURE:
        return [(_("マッチング"), "matching:run_list"), (_("マッチング提案"), "matching:proposal_list")]
    if user.role in (Role.MUNICIPALITY, Role.TALENT):
        return [(_("マッチング提案"), "matching:proposal_list")]
    return []
