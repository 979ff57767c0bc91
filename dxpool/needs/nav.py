from django.utils.translation import gettext_lazy as _

from dxpool.accounts.models import Role


def items(user):
    """Menu entries of the needs app for the acting user's role."""
    if user.role == Role.PREFECTURE:
        return [(_("県内の状況"), "needs:overview"), (_("課題・ニーズ把握"), "needs:hearing_list"),
                (_("ジョブディスクリプション"), "needs:jd_list"), (_("ニーズ一覧"), "needs:need_list")]
    if user.role == Role.MUNICIPALITY:
        return [(_("課題・ニーズ把握"), "needs:hearing_list"), (_("ジョブディスクリプション"), "needs:jd_list"),
                (_("ニーズ一覧"), "needs:need_list")]
    if user.role == Role.NATIONAL:  # aggregates only: the lists of records are not theirs (issue 12)
        return [(_("全国の状況"), "needs:overview")]
    return []
