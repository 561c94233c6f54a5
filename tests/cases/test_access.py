"""Who reaches which case page: every page of the cases area × the cast.

The case belongs to Association 93 (amina, hugo: field workers; paul: platform member of the
same association) and is shared with Coordination 93 for coordination (louis). Claire (police)
and yasmine (another département) are outsiders: they get 404, never 403.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

PERSONAS = ("anonymous", "amina", "hugo", "louis", "claire", "paul", "yasmine")
LOGIN = "login"

# page -> {persona: expected status}; personas not named get 404.
EXPECTED: dict[str, dict[str, int]] = {
    "cases": {"amina": 200, "hugo": 200, "louis": 200, "claire": 200, "paul": 200, "yasmine": 200},
    # Direct detection: roles that may report (field workers, judicial officers).
    "case_create": {"amina": 200, "hugo": 200, "claire": 200, "yasmine": 200},
    "case": {"amina": 200, "hugo": 200, "louis": 200, "paul": 200},
    # The identity: the responsible organisation's field staff; the coordination share does
    # not include it, and a platform member does not need it.
    "case_identity": {"amina": 200, "hugo": 200},
    "case_identity_edit": {"amina": 200, "hugo": 200},
    "assessment_start": {"amina": 200, "hugo": 200},
    # Closing a case before support: the responsible organisation's field staff (as support).
    "case_close": {"amina": 200, "hugo": 200},
    # The assessment file is read by those who see the case; only the owner's staff fill it.
    "assessment": {"amina": 200, "hugo": 200, "louis": 200, "paul": 200},
}


def _url(name: str, case, draft) -> str:
    if name in {"cases", "case_create"}:
        return reverse(f"web:{name}")
    if name == "assessment":
        return reverse("web:assessment", args=[draft.pk])
    return reverse(f"web:{name}", args=[case.reference])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_get(cast, case, draft, name, persona):
    user = None if persona == "anonymous" else getattr(cast, persona)
    url = _url(name, case, draft)
    response = cast.client_for(user).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("account_login")
        assert parse_qs(location.query)["next"] == [url]
    else:
        assert response.status_code == EXPECTED[name].get(persona, 404)


WRITES = ("case_create", "case_identity_edit", "assessment_start", "assessment", "case_close")


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        (name, persona)
        for name in WRITES
        for persona in ("louis", "claire", "paul", "yasmine")
        # claire and yasmine may open cases of their own: not a write to this case.
        if not (name == "case_create" and persona in EXPECTED["case_create"])
    ],
)
def test_post_by_those_who_may_not_write_is_not_found(cast, case, draft, name, persona):
    url = _url(name, case, draft)
    response = cast.client_for(getattr(cast, persona)).post(
        url, {"action": "save", "given_names": "Changed", "set_code": "adults_labour"}
    )
    assert response.status_code == 404
    case.person.refresh_from_db()
    assert case.person.given_names != "Changed"
    assert case.assessments.count() == 1


def test_an_unknown_reference_is_not_found_like_a_foreign_case(cast):
    client = cast.client_for(cast.amina)
    assert client.get(reverse("web:case", args=["C-0000-0000"])).status_code == 404
    assert client.get(reverse("web:assessment", args=[999_999])).status_code == 404


def test_a_revoked_share_closes_the_case_to_the_coordination(cast, case):
    from django.utils import timezone

    from opennrm.cases.models import CaseShare

    CaseShare.objects.filter(case=case).update(revoked_at=timezone.now())
    response = cast.client_for(cast.louis).get(reverse("web:case", args=[case.reference]))
    assert response.status_code == 404


def test_the_list_shows_only_visible_cases(cast, case):
    from tests.factories import CaseFactory

    foreign = CaseFactory(owner=cast.other_association)
    amina = cast.client_for(cast.amina).get(reverse("web:cases")).content.decode()
    assert case.reference in amina
    assert foreign.reference not in amina
    yasmine = cast.client_for(cast.yasmine).get(reverse("web:cases")).content.decode()
    assert foreign.reference in yasmine
    assert case.reference not in yasmine
    louis = cast.client_for(cast.louis).get(reverse("web:cases")).content.decode()
    assert case.reference in louis
