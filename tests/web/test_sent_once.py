"""Every create form is sent once (opennrm.core.submissions, `SentOnce`): the person saw an error
page though the record was stored, clicked twice, or the browser sent the form again; the same
form sent again stores nothing twice and leads to what the first sending made, saying so.

One test per family of create forms: a case opened directly, the protection steps (rights
information, consent, immediate needs, referral), support (a compensation claim, an
orientation), the directory. Each reads the form's key from the page, as a browser does.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.core.models import FormSubmission, Territory
from opennrm.directory.models import ContactEntry
from opennrm.identification.models import Referral
from opennrm.support.models import CompensationClaim, ImmediateNeeds, Orientation
from tests.factories import CaseFactory, OrganisationFactory, PersonFactory
from tests.support.conftest import make_presumed, need_for, service

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="submission" value="([0-9a-f]{32})"')


def _key(client, url: str) -> str:
    page = client.get(url).content.decode()
    found = KEY.findall(page)
    assert len(found) >= 1, "the form carries no key"
    return found[0]


def send_twice(client, url: str, data: dict, *, form_url: str | None = None):
    """The form as the page gives it, sent twice with its key; both answers."""
    key = _key(client, form_url or url)
    first = client.post(url, {**data, "submission": key})
    if first.status_code == 302:
        client.get(first["Location"])  # the page after it, which shows (and uses up) its message
    second = client.post(url, {**data, "submission": key})
    return first, second


def _said(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def _same_outcome(first, second) -> None:
    assert first.status_code == 302, first.context["form"].errors if first.context else ""
    assert second.status_code == 302, second.context["form"].errors if second.context else ""
    assert second["Location"] == first["Location"]  # the record made, shown again
    assert "info" in _said(second) and "success" not in _said(second)


@pytest.fixture
def presumed(cast):
    case = CaseFactory(owner=cast.association, person=PersonFactory(sex="female"))
    return make_presumed(case, cast.amina, shelter=True)


def test_a_case_opened_directly(cast):
    client = cast.client_for(cast.hugo)
    data = {
        "given_names": "Ilinca",
        "family_name": "Fictivescu",
        "sex": "female",
        "forms": ["forced_labour"],
        "channel": "outreach",
        "territory": Territory.objects.get(code="93").pk,
        "detected_on": timezone.localdate().isoformat(),
    }
    first, second = send_twice(client, reverse("web:case_create"), data)
    _same_outcome(first, second)
    case = Case.objects.get()
    assert first["Location"] == reverse("web:case", args=[case.reference])
    assert FormSubmission.objects.get().target_id == str(case.pk)


def test_rights_information_consent_and_immediate_needs(cast, presumed):
    client = cast.client_for(cast.amina)
    rights = {"given_on": timezone.localdate().isoformat(), "language": "ro"}
    _same_outcome(*send_twice(client, reverse("web:rights", args=[presumed.reference]), rights))
    assert presumed.rights_information.count() == 1

    consent = {"scope": "share", "method": "oral", "organisation": cast.accommodation.pk}
    url = reverse("web:consents", args=[presumed.reference])
    _same_outcome(*send_twice(client, url, consent))
    assert presumed.consents.filter(scope="share").count() == 1

    before = ImmediateNeeds.objects.filter(case=presumed).count()
    needs = {
        "medical": "on",
        "safety_risk": "low",
        "urgency": "routine",
        "accompanying_children": 0,
    }
    url = reverse("web:protection", args=[presumed.reference])
    _same_outcome(*send_twice(client, url, needs))
    assert ImmediateNeeds.objects.filter(case=presumed).count() == before + 1


def test_a_referral(cast, presumed):
    client = cast.client_for(cast.amina)
    client.post(
        reverse("web:consents", args=[presumed.reference]), {"scope": "referral", "method": "oral"}
    )
    data = {"route": "platform", "target": cast.coordination.pk, "items": ["account"], "send": "1"}
    first, second = send_twice(client, reverse("web:refer", args=[presumed.reference]), data)
    _same_outcome(first, second)  # not "already referred" on the form: the referral, shown
    assert Referral.objects.filter(case=presumed).count() == 1


def test_a_compensation_claim_and_an_orientation(cast, presumed):
    client = cast.client_for(cast.amina)
    claim = {
        "kind": "labour_court",
        "body_name": "Labour court (fictional)",
        "lodged_on": timezone.localdate().isoformat(),
        "currency": "eur",
        "legal_aid": "not_requested",
    }
    url = reverse("web:support_compensation", args=[presumed.reference])
    first, second = send_twice(client, url, claim)
    _same_outcome(first, second)
    made = CompensationClaim.objects.get(case=presumed)
    assert first["Location"] == reverse(
        "web:support_compensation_detail", args=[presumed.reference, made.pk]
    )

    provider = OrganisationFactory(
        name="Medical centre 93 (fictional)",
        kind="health_service",
        territories=[Territory.objects.get(code="93")],
    )
    target = service(provider, service_type="health", name="Fictional clinic")
    need = need_for(presumed, "health", cast.amina)
    url = reverse("web:support_orient", args=[presumed.reference, need.pk])
    data = {"service": target.pk, "brief": "Fictional: a check-up.", "urgency": "routine"}
    first, second = send_twice(client, url, data)
    _same_outcome(first, second)
    assert Orientation.objects.filter(need=need).count() == 1


def test_a_directory_entry(cast):
    labour = OrganisationFactory(
        name="Labour directorate 93 (fictional)",
        kind="labour_directorate",
        territories=[Territory.objects.get(code="93")],
    )
    data = {
        "organisation": labour.pk,
        "territory": Territory.objects.get(code="93").pk,
        "post_title": "THB contact post (fictional)",
        "remit": "Labour exploitation",
        "email": "thb@test.opennrm.invalid",
        "phone": "",
        "address": "",
    }
    client = cast.client_for(cast.nadia)
    _same_outcome(*send_twice(client, reverse("web:directory_create"), data))
    assert ContactEntry.objects.filter(organisation=labour).count() == 1
    # Editing it asks no key: an edit is not a creation.
    entry = ContactEntry.objects.get(organisation=labour)
    page = client.get(reverse("web:directory_edit", args=[entry.pk])).content.decode()
    assert 'name="submission"' not in page


def test_two_forms_shown_apart_are_two_records(cast, presumed):
    """Each page shown gives a new key: two rights informations given on two visits are two."""
    client = cast.client_for(cast.amina)
    url = reverse("web:rights", args=[presumed.reference])
    rights = {"given_on": timezone.localdate().isoformat(), "language": "ro"}
    for _visit in range(2):
        client.post(url, {**rights, "submission": _key(client, url)})
    assert presumed.rights_information.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_is_stored_once():
    """Two sendings at once (a double click on two connections): the second waits on the
    first's claim, then gets what it made. PostgreSQL only (SQLite serialises all writes)."""
    import threading
    import time

    from django.db import connection, connections

    from opennrm.core import submissions
    from opennrm.core.models import Organisation
    from opennrm.core.retry import in_retried_atomic
    from tests.factories import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    user = UserFactory()
    key = submissions.new_key()
    both = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def create() -> Organisation:
        made = Organisation.objects.create(name="Sent at once (fictional)", kind="association")
        time.sleep(0.5)  # the first holds its claim while the second arrives and waits on it
        return made

    def send() -> None:
        try:
            both.wait(timeout=10)
            sent = in_retried_atomic(lambda: submissions.once(key, user, create))
            results.append((sent.result.pk, sent.resent))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    both_threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in both_threads:
        thread.start()
    for thread in both_threads:
        thread.join(timeout=60)
    assert errors == []
    assert Organisation.objects.filter(name="Sent at once (fictional)").count() == 1
    assert sorted(resent for _pk, resent in results) == [False, True]
    assert len({pk for pk, _resent in results}) == 1
