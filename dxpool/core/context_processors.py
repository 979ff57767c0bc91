"""Template context shared by every page."""

import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

# Apps that contribute menu entries expose nav.items(user) -> list of (label, url_name, match_prefix).
NAV_MODULES = ["dxpool.needs.nav", "dxpool.talent.nav", "dxpool.matching.nav"]


def _nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    current = request.path
    for name in NAV_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        for label, url_name in module.items(user):
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "current": False})
    # Only the entry with the longest matching prefix is current (/needs/hearings/ is not also /needs/).
    matching = [i for i in items if current.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["current"] = True
    return items


def site(request):
    """Site-wide template values: the site name and the app menu for the acting user."""
    # The site name is configurable; the default one is in the catalogue (English screens translate it).
    return {"SITE_NAME": gettext(settings.DXPOOL_SITE_NAME), "extra_nav": _nav_items(request)}


DEFAULT_SITE_NAME = gettext_noop("地域DX人材プール")  # settings.DXPOOL_SITE_NAME's default, for makemessages
