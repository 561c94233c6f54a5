"""Residence authorities and recipients of the note on non-punishment come from the profile
(`[support]`), not from code: France offers its prefectures and prosecutors' offices, the OSCE
model its migration authorities and prosecutors' offices; any other organisation is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opennrm.profiles import loader
from opennrm.profiles.schema import SupportRules
from opennrm.support import non_punishment, residence
from opennrm.support.models import residence_bases
from tests.factories import OrganisationFactory
from tests.support.conftest import acting, client_for, territory

pytestmark = pytest.mark.django_db

# What each shipped profile offers (the cast's prefecture and the organisations below).
EXPECTED = {
    "fr": {"authorities": ["Prefecture 93 (fictional)"], "label": "Prefecture"},
    "osce": {"authorities": ["Migration authority 93 (fictional)"], "label": "Migration authority"},
}


@pytest.fixture
def bodies(cast):
    """A migration authority, a prosecutor's office and a labour directorate in 93."""
    return {
        kind: OrganisationFactory(name=name, kind=kind, territories=[territory("93")])
        for kind, name in (
            ("migration_authority", "Migration authority 93 (fictional)"),
            ("prosecutor", "Prosecutor 93 (fictional)"),
            ("labour_directorate", "Labour directorate 93 (fictional)"),
        )
    }


def _apply(case, user, authority):
    return residence.apply(
        case,
        actor=acting(user),
        basis=residence_bases()[0][0],
        prefecture=authority,
        applied_on=timezone.localdate() - datetime.timedelta(days=1),
    )


def _offences(case, user, recipient):
    return non_punishment.record_offences(
        case,
        actor=acting(user),
        offences="Fictional offence",
        circumstances="Fictional constraint",
        prosecutor=recipient,
    )


@pytest.mark.parametrize("code", ["fr", "osce"])
def test_the_profile_says_which_organisations_are_offered(settings, code, cast, presumed, bodies):
    settings.OPENNRM_PROFILE = code
    expected = EXPECTED[code]
    assert [org.name for org in residence.prefectures(presumed)] == expected["authorities"]
    assert [org.name for org in non_punishment.prosecutors(presumed)] == [
        "Prosecutor 93 (fictional)"
    ]
    client = client_for(cast.amina)
    page = client.get(reverse("web:support_residence", args=[presumed.reference]))
    assert page.status_code == 200
    form = page.context["form"]
    assert [org.name for org in form.fields["prefecture"].queryset] == expected["authorities"]
    assert form.fields["prefecture"].label == expected["label"]
    content = page.content.decode()
    for other in ("Labour directorate 93 (fictional)", "Prosecutor 93 (fictional)"):
        assert other not in content
    page = client.get(reverse("web:support_non_punishment", args=[presumed.reference]))
    field = page.context["form"].fields["prosecutor"]
    assert [org.name for org in field.queryset] == ["Prosecutor 93 (fictional)"]
    assert field.label == "Prosecutor's office"
    assert "Migration authority 93 (fictional)" not in page.content.decode()


@pytest.mark.parametrize(
    ("code", "accepted", "refused"),
    [("fr", "prefecture", "migration_authority"), ("osce", "migration_authority", "prefecture")],
)
def test_only_the_profiles_residence_authorities_take_an_application(
    settings, code, accepted, refused, cast, presumed, bodies
):
    settings.OPENNRM_PROFILE = code
    organisations = {"prefecture": cast.prefecture, **bodies}
    application = _apply(presumed, cast.amina, organisations[accepted])
    assert application.prefecture == organisations[accepted]
    for kind in (refused, "prosecutor", "labour_directorate"):
        with pytest.raises(ValidationError) as raised:
            _apply(presumed, cast.amina, organisations[kind])
        assert "prefecture" in raised.value.error_dict


@pytest.mark.parametrize("code", ["fr", "osce"])
def test_only_the_profiles_recipients_receive_the_note(settings, code, cast, presumed, bodies):
    settings.OPENNRM_PROFILE = code
    assert _offences(presumed, cast.amina, bodies["prosecutor"]).prosecutor == bodies["prosecutor"]
    for organisation in (cast.prefecture, bodies["migration_authority"]):
        with pytest.raises(ValidationError) as raised:
            _offences(presumed, cast.amina, organisation)
        assert "prosecutor" in raised.value.error_dict


def test_another_jurisdiction_names_other_types(monkeypatch, cast, presumed, bodies):
    """A profile that lodges applications with the labour directorate and sends the note to
    the prefecture: the code follows, without a change."""
    profile = loader.load_profile("fr").model_copy(
        update={
            "support": SupportRules(
                residence_authorities=("labour_directorate",),
                non_punishment_recipients=("prefecture",),
            )
        }
    )
    monkeypatch.setattr(loader, "load_profile", lambda code: profile)
    assert [org.name for org in residence.prefectures(presumed)] == [
        "Labour directorate 93 (fictional)"
    ]
    assert list(non_punishment.prosecutors(presumed)) == [cast.prefecture]
    _apply(presumed, cast.amina, bodies["labour_directorate"])
    with pytest.raises(ValidationError):
        _apply(presumed, cast.amina, cast.prefecture)
    _offences(presumed, cast.amina, cast.prefecture)
    with pytest.raises(ValidationError):
        _offences(presumed, cast.amina, bodies["prosecutor"])


def test_a_profile_without_authorities_still_takes_an_authority_named_in_words(
    monkeypatch, cast, presumed, bodies
):
    profile = loader.load_profile("fr").model_copy(update={"support": SupportRules()})
    monkeypatch.setattr(loader, "load_profile", lambda code: profile)
    assert not residence.prefectures(presumed).exists()
    with pytest.raises(ValidationError):
        _apply(presumed, cast.amina, cast.prefecture)
    application = residence.apply(
        presumed,
        actor=acting(cast.amina),
        basis="residence_complaint",
        authority_name="Fictional residence office",
        applied_on=timezone.localdate(),
    )
    assert application.authority == "Fictional residence office"
    page = client_for(cast.amina).get(reverse("web:support_residence", args=[presumed.reference]))
    assert page.context["form"].fields["prefecture"].label == "Residence authority"
