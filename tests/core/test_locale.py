"""The English catalogue is complete: every message has a translation and none is a fuzzy guess.

makemessages marks a new string's nearest old translation "fuzzy" (e.g. 変更前 guessed as "What changed");
Django ignores fuzzy entries, so the English page would silently show Japanese. `make messages` then this
test catch both."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# The permission matrix's world (one object of every kind), a module fixture registered here under its own name.
from tests.core.test_permission_matrix import world as _matrix_world  # noqa: F401

PO = Path(__file__).resolve().parents[2] / "dxpool" / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture(autouse=True)
def _language_restored():
    """The test client's English requests leave English active in this thread (LocaleMiddleware activates it
    and nothing deactivates it); later tests in the same process expect the default Japanese."""
    from django.utils import translation

    language = translation.get_language()
    yield
    if language:
        translation.activate(language)
    else:
        translation.deactivate()


def _entries(text: str):
    for block in text.split("\n\n"):
        if 'msgid ""\nmsgstr ""\n"Project-Id-Version' in block:
            continue  # the header
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid is None:
            continue
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M) or re.search(
            r'^msgstr\[0\] ((?:".*"\n?)+)', block, re.M)
        join = lambda m: "".join(ast.literal_eval(x) for x in re.findall(r'".*"', m.group(1))) if m else ""  # noqa: E731
        yield join(msgid), join(msgstr), "#, fuzzy" in block or ", fuzzy" in block


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = list(_entries(PO.read_text(encoding="utf-8")))
    assert len(entries) > 300
    untranslated = [i for i, s, _ in entries if i and not s]
    fuzzy = [i for i, _, f in entries if f]
    assert not untranslated, untranslated[:10]
    assert not fuzzy, fuzzy[:10]


def test_the_compiled_catalogue_says_what_the_source_says():
    import gettext

    with PO.with_suffix(".mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = [i for i, s, fuzzy in _entries(PO.read_text(encoding="utf-8"))
             if i and s and not fuzzy and "%" not in i and catalogue.gettext(i) != s]
    assert not stale, f"run `make messages` (compilemessages): {stale[:5]}"


# --- every choice label has an English msgstr --------------------------------------------------------------

def _translated() -> dict[str, str]:
    return {i: s for i, s, fuzzy in _entries(PO.read_text(encoding="utf-8")) if i and s and not fuzzy}


def test_every_model_choice_label_is_in_the_catalogue():
    """A TextChoices label (or a field's choices) without an English msgstr shows Japanese on English screens."""
    from django.apps import apps
    from django.conf import settings
    from django.utils.translation import override

    # Language names are written in their own language (日本語 on an English page too), so they are exempt.
    catalogue, missing = {**_translated(), **{name: name for _code, name in settings.LANGUAGES}}, []
    for model in apps.get_models():
        if not model.__module__.startswith("dxpool."):
            continue
        for f in model._meta.get_fields():
            for _code, label in getattr(f, "choices", None) or ():
                with override("ja"):
                    msgid = str(label)
                if JAPANESE.search(msgid) and msgid not in catalogue:
                    missing.append(f"{model.__name__}.{f.name}: {msgid}")
    assert not missing, missing[:20]


def test_every_reference_label_is_in_the_catalogue():
    """The needs reference lists and the map legends are marked with gettext_noop; each needs an English msgstr."""
    from dxpool.needs import maps, reference

    catalogue = _translated()
    labels = [p[1] for name in ("STEPS", "STEP_STATUSES", "MEASURE_GROUPS", "MEASURES", "MEASURE_STATUSES",
                                "SYSTEM_STATUSES", "TIERS", "POLICY_STATUSES", "SUPPORT_KINDS", "PAY_UNITS")
              for p in getattr(reference, name)]
    labels += list(reference.SYSTEMS)
    labels += [item.label for legend in maps.LEGENDS.values() for item in legend] + [maps.NO_RECORD.label]
    assert not [x for x in labels if x not in catalogue]


# --- English pages show no Japanese -------------------------------------------------------------------------

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Attributes a reader meets (screen readers read these aloud); other attributes are not text.
READ_ATTRIBUTES = ("aria-label", "alt", "placeholder", "title")


class _VisibleText(HTMLParser):
    """The text a reader of the page meets: no <script>/<style>/<template>, nothing inside an element marked
    lang="ja" (Japanese on purpose: the language menu's 日本語, a quoted Japanese source)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = self._hidden() or tag in ("script", "style", "template") or (a.get("lang") or "").startswith("ja")
        if not hidden:
            self.parts += [a[k] for k in READ_ATTRIBUTES if a.get(k)]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        if not self._hidden():
            self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):  # tolerate an unclosed <p>/<li>
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def _stored_text() -> str:
    """Every text value stored in the database, joined: the allow-list of proper nouns and typed data.

    Names of people, municipalities, prefectures, groupings, titles and notes a user typed are Japanese in any
    language; they live in CharField/TextField columns without choices. Labels do not: choices store codes, the
    reference lists and the standard live in code and data files. So a run of Japanese that is part of a stored
    value is data, and any other run is an untranslated label."""
    from django.apps import apps
    from django.db import models

    values = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField) and not f.choices]
        if names:
            for row in model.objects.values_list(*names):
                values += [v for v in row if v and JAPANESE.search(v)]
        # Typed text kept inside JSON: a hearing's notes per measure, the employers barred from bidding.
        for f in model._meta.concrete_fields:
            if isinstance(f, models.JSONField) and f.name in TYPED_JSON.get(model._meta.label, ()):
                values += list(_leaves(model.objects.values_list(f.name, flat=True)))
    # A municipality is often written with its prefecture in front (長崎県五島市).
    from dxpool.places.models import Municipality

    values += [p + m for p, m in Municipality.objects.values_list("prefecture__name", "name")]
    return "\x00".join(values)


TYPED_JSON = {"needs.HearingRecord": ("measures", "systems"), "needs.JobDescriptionVersion": ("excluded_employers",),
              "needs.Need": ("excluded_employers",)}


def _leaves(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple) or hasattr(value, "__iter__"):
        for v in value:
            yield from _leaves(v)


def _english_pages(world):
    """(page key, role, url, query) of every page of the permission matrix a role opens (200) on its own
    tenant: the matrix already names an object of every kind, so every screen is asked for in English."""
    from tests.core.test_permission_matrix import OK, PAGES, ROLES, ROUTES, _base, _expected, _page_url

    for key, row in PAGES.items():
        if _base(key) not in ROUTES or not row.GET:
            continue
        for role in ROLES:
            if _expected(row.GET, role, "own") != OK:
                continue
            target = world.target(row.obj, role, "own") if row.obj else None
            query = {k: target.fill(v) if target else v for k, v in row.query.items()}
            yield key, role, _page_url(key, target), query


def test_english_pages_show_no_japanese(_matrix_world, client, db):  # noqa: F811 (the fixture, by name)
    """Every page, as every role that may open it, in English: no run of Japanese outside stored data and
    elements marked lang="ja". A failure names the page, the role and the untranslated text."""
    from django.conf import settings

    world, stored = _matrix_world, _stored_text()
    found: dict[str, set[str]] = {}
    for key, role, url, query in _english_pages(world):
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for run in JAPANESE.findall(visible_text(response.content.decode())):
            if run not in stored:
                found.setdefault(f"{key} as {role}", set()).add(run)
    assert not found, "\n".join(f"{page}: {'、'.join(sorted(runs)[:8])}" for page, runs in sorted(found.items()))


def test_the_language_menu_names_each_language_in_itself(client, db):
    """「English」 and 「日本語」 whatever the page's language — not Django's 「英語(米国)」 — each marked with its lang."""
    from django.conf import settings

    for language in ("ja", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/login/").content.decode()
        assert '<option value="en" lang="en"' in html and ">English</option>" in html, language
        assert '<option value="ja" lang="ja"' in html and ">日本語</option>" in html, language
        assert "英語" not in html


def test_data_labels_follow_the_language():
    from django.utils.translation import override

    from dxpool.core.templatetags.data_labels import data_label

    with override("en"):
        assert data_label("未着手") == "Not started"  # the needs reference list, through the catalogue
        assert data_label("スケジュール管理") == "Schedule management"  # the standard, through its data file
        assert data_label("五島市") == "五島市"
    with override("ja"):
        assert data_label("未着手") == "未着手"



def test_assessment_reasons_and_suggestion_reasons_follow_the_language():
    """Reasons built as Japanese sentences from the standard's labels are rebuilt in English from the same labels."""
    from django.utils.translation import override

    from dxpool.core.templatetags.data_labels import data_label
    from dxpool.suggest.roles import suggest_roles

    reason = "ITSS コンサルタント レベル5（基準: レベル4以上）"
    with override("en"):
        assert data_label(reason) == "ITSS Consultant level 5 (required: level 4 or higher)"
        assert data_label("経験のいずれか: デジタル戦略の責任者経験、自治体での勤務又は受託業務の経験").startswith(
            "Any of these experiences: Led a digital strategy")
    with override("ja"):
        assert data_label(reason) == reason
    with override("en"):
        english = suggest_roles(issues="", measures={"ai_rpa": "not_started"}, steps={}, facts=["no_cio_adviser"],
                                language="en", label=data_label)
    texts = [r for role in english for r in role.reasons]
    assert texts and not [t for t in texts if JAPANESE.search(t)], texts
