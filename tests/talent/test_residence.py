"""The application and profile forms: 居住地 as prefecture → municipality (grouped, checked on the server), and
no consequential choice made for the applicant (応募する人材像 starts unselected)."""

import re

import pytest

from dxpool.talent.forms import ApplyForm, ProfileForm
from dxpool.talent.models import Application
from tests.talent.test_views import profile_post

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def _select(page: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', page, re.S).group(0)


def test_the_municipality_list_is_grouped_by_prefecture_not_one_flat_list(client, open_round, applicant):
    client.force_login(applicant)
    page = _main(client.get(f"/talent/rounds/{open_round.pk}/apply/"))
    prefectures = _select(page, "home_prefecture")
    assert prefectures.count("<option") == 48 and '<option value="42">長崎県</option>' in prefectures
    municipalities = _select(page, "home_municipality")
    assert municipalities.count("<optgroup") == 47
    assert re.search(r'<optgroup label="長崎県">\s*<option value="422011">長崎市</option>', municipalities)
    # Names inside their prefecture's group: no 「長崎県 長崎市」 list of 1,741 to scroll through.
    assert "長崎県 長崎市" not in municipalities


def test_the_filter_script_is_a_file_the_form_loads(client, open_round, applicant):
    client.force_login(applicant)
    body = client.get(f"/talent/rounds/{open_round.pk}/apply/").content.decode()
    assert re.search(r'<script src="/static/js/residence\.js[^"]*" defer></script>', body)
    assert 'data-residence-prefecture' in body and 'data-residence-municipality' in body
    assert client.get("/static/js/residence.js").status_code == 200


@pytest.mark.parametrize(("prefecture", "municipality", "error"), [
    ("42", "131016", "選んだ都道府県の市区町村から選んでください"),  # 千代田区 is in 東京都, not 長崎県
    ("42", "", "居住地（市区町村）を選んでください"),
])
def test_the_server_checks_the_municipality_belongs_to_the_prefecture(prefecture, municipality, error):
    data = {"full_name": "a", "email": "a@example.jp", "travel_km": "1", "hours_per_week": "1",
            "onsite_days_per_month": "1", "home_prefecture": prefecture, "home_municipality": municipality}
    form = ProfileForm(data)
    assert not form.is_valid()
    assert any(error in e for e in form.errors["home_municipality"])


def test_a_matching_pair_is_stored_and_shown_again_on_edit(client, open_round, applicant, consent):
    client.force_login(applicant)
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/",
                    profile_post(consent, home_prefecture="42", home_municipality="422118"))
    assert r.status_code == 302
    profile = Application.objects.get().profile
    assert profile.home_municipality.code == "422118"
    page = _main(client.get(f"/talent/profiles/{profile.pk}/edit/"))
    assert '<option value="42" selected>長崎県</option>' in _select(page, "home_prefecture")
    assert '<option value="422118" selected>' in _select(page, "home_municipality")


def test_a_municipality_without_its_prefecture_is_taken_as_its_own(client, open_round, applicant, consent):
    client.force_login(applicant)
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", profile_post(consent, home_municipality="422011"))
    assert r.status_code == 302
    assert Application.objects.get().profile.home_municipality.code == "422011"


def test_residence_stays_optional(client, open_round, applicant, consent):
    client.force_login(applicant)
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", profile_post(consent, home_municipality=""))
    assert r.status_code == 302 and Application.objects.get().profile.home_municipality is None


def test_the_persona_applied_for_starts_unselected_and_is_required(client, open_round, applicant, consent):
    client.force_login(applicant)
    page = _main(client.get(f"/talent/rounds/{open_round.pk}/apply/"))
    radios = re.findall(r'<input[^>]*name="persona"[^>]*>', page)
    assert len(radios) == 2 and all('type="radio"' in r and "checked" not in r for r in radios)
    data = profile_post(consent)
    del data["persona"]
    r = client.post(f"/talent/rounds/{open_round.pk}/apply/", data)
    assert r.status_code == 200 and not Application.objects.exists()
    assert "応募する人材像" in _main(r)


def test_one_offered_persona_is_still_not_chosen_for_the_applicant(open_round):
    open_round.personas = ["engineer"]
    form = ApplyForm(rnd=open_round)
    assert form["persona"].value() is None and 'checked' not in str(form["persona"])
