"""The assessment as a guided form (issue 13, point 5): one section per dimension with a side
menu and progress counts, drafts saved in place, an error summary at the top linking to each
field in error, and the catalogue's editorial notes kept for the catalogue page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from opennrm.indicators.catalogue import latest_catalogue
from tests.cases.test_assessment import PRESUMED, _all_codes, _not_recognised, _post

EDITORIAL = ("wcms_105023", "wcms", "to be verified against", "à vérifier sur")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _sections():
    catalogue = latest_catalogue()
    indicator_set = catalogue.indicator_set("adults_labour")
    return [(d.code, len(indicator_set.indicators[d.code])) for d in catalogue.dimensions]


def test_one_section_per_dimension_with_a_side_menu_and_progress_counts(cast, draft):
    client = _english(cast.client_for(cast.amina))
    _post(
        client, draft, "save", {"AL-DR-01": "present", "AL-DR-02": "absent", "AL-EX-01": "present"}
    )
    html = client.get(reverse("web:assessment", args=[draft.pk])).content.decode()
    assert 'class="fr-sidemenu fr-sidemenu--sticky"' in html
    assert 'class="fr-sidemenu__btn"' in html  # collapses on a phone
    total = len(_all_codes())
    assert f"3 / {total} indicators answered" in html
    assert html.count('class="fr-fieldset fr-mt-4w opennrm-section"') == len(_sections())
    answered = {"deceptive_recruitment": 2, "exploitation": 1}
    for code, count in _sections():
        assert f'id="section-{code}"' in html
        assert f'href="#section-{code}"' in html
        assert f'id="save-section-{code}"' in html
        # The count shows in the side menu and in the section's legend.
        assert html.count(f"{answered.get(code, 0)} / {count} answered") >= 2
    # Sections in the catalogue's order, each indicator inside its own section.
    positions = [html.index(f'id="section-{code}"') for code, _ in _sections()]
    assert positions == sorted(positions)
    assert positions[0] < html.index('id="legend-AL-DR-01"') < positions[1]


def test_a_draft_saved_from_a_section_comes_back_to_it_with_the_answers(cast, draft):
    client = cast.client_for(cast.amina)
    url = reverse("web:assessment", args=[draft.pk])
    response = client.post(
        url,
        {
            "save_section": "exploitation",
            "section": "deceptive_recruitment",
            "answer_AL-EX-01": "present",
            "note_AL-EX-01": "Fictional: fourteen hours a day.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?saved=exploitation#section-exploitation"
    draft.refresh_from_db()
    assert draft.answers["AL-EX-01"] == {
        "answer": "present",
        "note": "Fictional: fourteen hours a day.",
    }
    html = client.get(response["Location"]).content.decode()
    assert 'id="saved-section-exploitation"' in html  # the section says it was saved
    assert html.count('id="saved-section-') == 1
    assert 'id="id_answer_AL-EX-01_present" name="answer_AL-EX-01" value="present" checked' in html
    assert "Fictional: fourteen hours a day." in html


def test_the_main_save_button_returns_to_the_section_last_worked_in(cast, draft):
    client = cast.client_for(cast.amina)
    url = reverse("web:assessment", args=[draft.pk])
    response = _post(client, draft, "save", {"AL-CD-01": "present"}, section="coercion_destination")
    assert response["Location"] == f"{url}?saved=coercion_destination#section-coercion_destination"
    draft.refresh_from_db()
    assert draft.answers["AL-CD-01"]["answer"] == "present"
    # An unknown section (or none, without JavaScript): the top of the page.
    assert _post(client, draft, "save", section="nonsense")["Location"] == url
    assert _post(client, draft, "save")["Location"] == url


def test_an_invalid_note_is_listed_at_the_top_with_a_link_to_the_field(cast, draft):
    client = _english(cast.client_for(cast.amina))
    response = _post(
        client,
        draft,
        "save",
        {"AL-EX-02": "present", "AL-CR-01": "absent"},
        {"AL-EX-02": "x" * 2001},
        section="exploitation",
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    assert summary < html.index('id="assessment-form"')
    assert "data-error-summary" in html and 'tabindex="-1"' in html[summary - 200 : summary]
    assert 'href="#id_note_AL-EX-02"' in html
    assert 'id="id_note_AL-EX-02"' in html
    assert "Bad living conditions (unsanitary or overcrowded housing) — note" in html
    assert "to correct" in html  # the side menu marks the section
    assert 'name="section" value="exploitation"' in html  # still the section worked in
    draft.refresh_from_db()
    assert draft.answers["AL-CR-01"]["answer"] == "absent"  # the valid answers are saved


def test_a_conclusion_without_its_reasons_is_listed_at_the_top(cast, draft):
    client = _english(cast.client_for(cast.amina))
    absent = dict.fromkeys(_all_codes(), "absent")
    response = _post(client, draft, "conclude", absent, conclusion="presumed_victim")
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    link = html.index('href="#id_reasons"')
    assert summary < link < html.index('id="assessment-form"')
    assert 'id="id_reasons"' in html
    assert not _post(client, draft, "conclude").content.decode().count('href="#id_reasons"') > 1


def test_a_refused_conclusion_is_listed_at_the_top(cast, draft):
    _not_recognised(cast)
    client = _english(cast.client_for(cast.amina))
    response = _post(
        client, draft, "conclude", PRESUMED, conclusion="presumed_victim", reasons="Tried anyway"
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    link = html.index('href="#fieldset-id_conclusion"')
    assert summary < link < html.index('id="assessment-form"')
    assert 'id="fieldset-id_conclusion"' in html
    assert "Tried anyway" in html


def test_no_error_summary_without_errors(cast, draft):
    client = cast.client_for(cast.amina)
    assert (
        'id="error-summary"'
        not in client.get(reverse("web:assessment", args=[draft.pk])).content.decode()
    )
    assert 'id="error-summary"' not in _post(client, draft, "advice", PRESUMED).content.decode()


# Editorial notes ---------------------------------------------------------------------------


def _editorial_absent(html: str) -> None:
    for text in EDITORIAL:
        assert text not in html, text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_caseworkers_are_not_shown_the_catalogues_editorial_notes(cast, case, draft, language):
    client = cast.client_for(cast.amina)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    catalogue = latest_catalogue()
    notes = [item.note.get(language) for item in catalogue.sets if item.note]
    pages = [
        client.get(reverse("web:assessment_start", args=[case.reference])).content.decode(),
        client.get(reverse("web:assessment", args=[draft.pk])).content.decode(),
        _post(client, draft, "advice", PRESUMED).content.decode(),
        _post(client, draft, "advice", {"AL-DR-01": "present"}).content.decode(),
    ]
    assert 'id="advice"' in pages[2] and 'id="explanation"' in pages[2]
    for html in pages:
        _editorial_absent(html)
        for note in notes:
            assert note not in html
    # How far the rules were checked is still said, in plain words.
    assert ("still to be verified" if language == "en" else "encore à vérifier") in pages[2]


def test_the_catalogue_page_lists_sets_indicators_sources_and_editorial_notes(cast):
    client = _english(cast.client_for(cast.nadia))
    response = client.get(reverse("web:indicator_catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    catalogue = latest_catalogue()
    assert "wcms_105023" in html
    for item in catalogue.sets:
        assert f'id="set-{item.code}"' in html
        if item.note:
            assert item.note.en in html.replace("&#x27;", "'").replace("&quot;", '"')
        for indicator in item.all_indicators():
            assert f'<td class="opennrm-code">{indicator.code}</td>' in html
    for source in catalogue.sources:
        assert f'id="source-{source.code}"' in html
    assert catalogue.rules.dimension_met.status_note.en in html
    # The national coordinator reaches it from the menu.
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("web:indicator_catalogue")}"' in dashboard


def test_the_catalogue_page_of_an_unknown_version_is_not_found(cast):
    client = cast.client_for(cast.nadia)
    url = reverse("web:indicator_catalogue")
    assert client.get(url, {"version": latest_catalogue().version}).status_code == 200
    assert client.get(url, {"version": "1999.1"}).status_code == 404


@pytest.mark.parametrize(
    "persona", ["louis", "amina", "hugo", "claire", "sophie", "paul", "ines", "robert", "yasmine"]
)
def test_only_the_national_coordinator_opens_the_catalogue_page(cast, persona):
    client = cast.client_for(getattr(cast, persona))
    assert client.get(reverse("web:indicator_catalogue")).status_code == 404
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("web:indicator_catalogue") not in dashboard


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("web:indicator_catalogue"))
    assert response.status_code == 302
    assert re.search(r"/accounts/login/", response["Location"])
