"""The public directory: published entries only, searchable by département, nothing personal."""

import pytest
from django.test import Client
from django.urls import reverse

URL = reverse("web:directory")


def _titles(response) -> list[str]:
    return [entry.post_title for entry in response.context["entries"]]


def test_only_published_entries_are_listed(bodies):
    response = Client().get(URL)
    assert response.status_code == 200
    titles = _titles(response)
    assert sorted(titles) == [
        "Foreigners office post 13",
        "Foreigners office post 93",
        "Prosecutor post 93",
    ]
    html = response.content.decode()
    assert "Withdrawn post 93" not in html
    assert bodies.entry_93.email in html
    assert bodies.hidden_93.email not in html


def test_entries_are_ordered_by_departement(bodies):
    titles = _titles(Client().get(URL))
    assert titles[0] == "Foreigners office post 13"


def test_filter_by_departement_code(bodies):
    response = Client().get(URL, {"territory": "93"})
    assert response.status_code == 200
    assert response.context["territory"].code == "93"
    assert sorted(_titles(response)) == ["Foreigners office post 93", "Prosecutor post 93"]
    html = response.content.decode()
    assert "Foreigners office post 13" not in html
    assert "Withdrawn post 93" not in html


def test_filter_on_a_departement_without_entry(bodies):
    response = Client().get(URL, {"territory": "971"})
    assert response.status_code == 200
    assert _titles(response) == []
    assert 'id="no-entry"' in response.content.decode()


@pytest.mark.parametrize("code", ["99999", "<script>alert(1)</script>", "R11", "FR"])
def test_an_unknown_or_non_local_code_is_a_form_error_not_a_crash(bodies, code):
    """R11 is a région (Île-de-France), not a département: not a valid choice either."""
    response = Client().get(URL, {"territory": code})
    assert response.status_code == 200
    assert "territory" in response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_search_offers_local_units_only(bodies):
    form = Client().get(URL).context["form"]
    levels = set(form.fields["territory"].queryset.values_list("level", flat=True))
    assert levels <= {"departement", "collectivite"}
    assert form.fields["territory"].queryset.filter(code="93").exists()


def test_empty_search_lists_everything(bodies):
    response = Client().get(URL, {"territory": ""})
    assert response.context["form"].errors == {}
    assert len(_titles(response)) == 3


def test_the_directory_is_public_and_has_a_quick_exit(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.context["public_page"] is True
    assert "quick-exit" in response.content.decode()


def test_the_directory_only_answers_get(db):
    assert Client().post(URL, {"territory": "93"}).status_code == 405
