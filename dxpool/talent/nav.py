from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import Role


def items(user):
    """Menu entries of the talent app for the acting user's role."""
    if user.role == Role.PREFECTURE:
        return [(_("公募"), "talent:round_list"), (_("応募・選考"), "talent:application_list"),
                (_("人材プール"), "talent:pool")]
    if user.role == Role.MUNICIPALITY:
        return [(_("人材プール"), "talent:pool")]
    if user.role == Role.TALENT:
        return [(_("マイページ"), "talent:me"), (_("募集中の公募"), "talent:round_list")]
    return []
