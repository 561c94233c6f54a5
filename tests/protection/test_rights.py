"""Rights information: recorded by the responsible organisation, listed, audited."""

import datetime

from django.urls import reverse
from django.utils import timezone

from opennrm.audit.models import AuditEntry
from tests.protection.conftest import client_in_english


def _post(cast, case, **values):
    data = {
        "given_on": timezone.localdate().isoformat(),
        "language": "ro",
        "interpreter": "on",
        "interpreter_service": "Fictional interpreting agency",
        "leaflet_given": "on",
        "leaflet_language": "en",
    }
    data.update(values)
    data = {key: value for key, value in data.items() if value is not None}
    client = client_in_english(cast, cast.amina)
    return client.post(reverse("web:rights", args=[case.reference]), data)


def test_rights_information_is_recorded_listed_and_audited(cast, assessed):
    response = _post(cast, assessed)
    assert response.status_code == 302
    info = assessed.rights_information.get()
    assert (info.language, info.interpreter, info.leaflet_language) == ("ro", True, "en")
    assert info.given_by == cast.amina
    assert info.organisation == cast.association
    entry = AuditEntry.objects.get(action="rights.record")
    assert entry.details == {"case": assessed.pk}
    assert assessed.events.filter(kind="rights.informed").exists()
    page = client_in_english(cast, cast.amina).get(reverse("web:rights", args=[assessed.reference]))
    assert "Romanian" in page.content.decode()
    assert "Fictional interpreting agency" in page.content.decode()


def test_without_interpreter_or_leaflet_the_dependent_fields_are_dropped(cast, assessed):
    response = _post(
        cast,
        assessed,
        interpreter=None,
        leaflet_given=None,
        interpreter_service="ignored",
        leaflet_language="fr",
    )
    assert response.status_code == 302
    info = assessed.rights_information.get()
    assert (info.interpreter, info.interpreter_service) == (False, "")
    assert (info.leaflet_given, info.leaflet_language) == (False, "")


def test_an_interpreter_needs_the_interpreting_service(cast, assessed):
    response = _post(cast, assessed, interpreter_service="")
    assert response.status_code == 200
    assert response.context["form"].errors["interpreter_service"]
    assert not assessed.rights_information.exists()


def test_a_leaflet_given_needs_its_language(cast, assessed):
    response = _post(cast, assessed, leaflet_language="")
    assert response.context["form"].errors["leaflet_language"]
    assert not assessed.rights_information.exists()


def test_the_date_cannot_be_in_the_future_and_the_language_must_be_known(cast, assessed):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _post(cast, assessed, given_on=tomorrow.isoformat(), language="xx")
    errors = response.context["form"].errors
    assert "given_on" in errors
    assert "language" in errors
    assert not assessed.rights_information.exists()
    assert "aria-describedby" in response.content.decode() or "fr-input-group--error" in (
        response.content.decode()
    )


def test_nothing_is_recorded_on_a_get(cast, assessed):
    client_in_english(cast, cast.amina).get(reverse("web:rights", args=[assessed.reference]))
    assert not assessed.rights_information.exists()
    assert not AuditEntry.objects.filter(action="rights.record").exists()
