"""How to reach the person safely (issue #12, point 6): recorded by the responsible
organisation's field staff, encrypted, audited without personal data, shown where someone
might contact the person — the precautions on the pseudonymised case page, the telephone and
the address with the identity."""

import pytest
from django.conf import settings
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases import closure
from opennrm.cases.access import get_safe_contact
from opennrm.cases.models import CaseEvent, SafeContact, TransitionError
from opennrm.cases.safe_contact import record_safe_contact
from tests.acting import actor_for
from tests.security.helpers import raw_value

PHONE = "+33 6 00 00 00 42"
ADDRESS = "Fictional: 12 rue Imaginaire, Fictionville"
PRECAUTIONS = "Fictional: the employer checks her phone; say you are from the clinic."
SAFE_TIMES = "Fictional: weekday mornings, 9 to 11"


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(case, name="web:case_safe_contact"):
    return reverse(name, args=[case.reference])


def _post(client, case, **values):
    data = {
        "phone": PHONE,
        "address": ADDRESS,
        "do_not_call": "on",
        "through_organisation": "on",
        "preferred_language": "ro",
        "safe_times": SAFE_TIMES,
        "precautions": PRECAUTIONS,
        **values,
    }
    return client.post(_url(case), {k: v for k, v in data.items() if v is not None})


def test_the_field_worker_records_it_and_sees_it_on_the_case_page(cast, case):
    client = _client(cast, cast.hugo)
    page = client.get(_url(case, "web:case")).content.decode()
    assert "Record how to reach the person safely" in page
    assert client.get(_url(case)).status_code == 200

    response = _post(client, case, contact_organisation=str(cast.association.pk))
    assert response.status_code == 302
    assert response["Location"] == _url(case, "web:case") + "#safe-contact"

    contact = SafeContact.objects.get(case=case)
    assert (contact.phone, contact.address, contact.precautions) == (PHONE, ADDRESS, PRECAUTIONS)
    assert contact.do_not_call and contact.through_organisation and not contact.do_not_write
    assert contact.contact_organisation == cast.association
    assert contact.preferred_language == "ro"
    for field in ("phone", "address", "precautions", "safe_times"):
        assert raw_value(contact, field).startswith("v1:"), field

    page = client.get(_url(case, "web:case")).content.decode()
    assert "Do not call, do not leave messages." in page
    assert "Reach the person only through the contact organisation." in page
    assert PRECAUTIONS in page and SAFE_TIMES in page and "Romanian" in page
    assert cast.association.name in page
    # The case page is pseudonymised: the telephone and the address are with the identity.
    assert PHONE not in page and "12 rue Imaginaire" not in page
    assert "Telephone and address: with the identity" in page

    identity = client.get(_url(case, "web:case_identity")).content.decode()
    assert PHONE in identity and "12 rue Imaginaire" in identity and PRECAUTIONS in identity


def test_every_change_is_audited_without_personal_data_and_on_the_timeline(cast, case):
    actor = actor_for(cast.amina)
    record_safe_contact(case, {"phone": PHONE, "precautions": PRECAUTIONS}, actor=actor)
    record_safe_contact(case, {"do_not_write": True, "phone": PHONE}, actor=actor)
    record_safe_contact(case, {"phone": PHONE}, actor=actor)  # nothing changes: nothing logged
    entries = AuditEntry.objects.filter(action__startswith="safe_contact.").order_by("pk")
    assert [e.action for e in entries] == ["safe_contact.create", "safe_contact.update"]
    assert entries[0].details == {"case": case.pk, "fields": ["phone", "precautions"]}
    assert entries[1].details == {"case": case.pk, "fields": ["do_not_write"]}
    for entry in entries:
        text = f"{entry.details} {entry.object_type} {entry.object_id}"
        assert PHONE not in text and PRECAUTIONS not in text
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("safe_contact.recorded") == 1
    assert kinds.count("safe_contact.updated") == 1

    get_safe_contact(actor_for(cast.hugo), case, coordinates=False)
    read = AuditEntry.objects.filter(action="safe_contact.read").latest("pk")
    assert read.details == {"case": case.pk, "via": "case", "coordinates": False}


def test_only_the_owner_field_staff_record_it(cast, case):
    for user in (cast.paul, cast.louis, cast.yasmine, cast.ines, cast.claire):
        assert _client(cast, user).get(_url(case)).status_code == 404, user
        assert _post(_client(cast, user), case).status_code == 404, user
    anonymous = cast.client_for(None).get(_url(case))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    with pytest.raises(TransitionError):
        record_safe_contact(case, {"phone": PHONE}, actor=actor_for(cast.louis))
    assert not SafeContact.objects.exists()


def test_who_reads_it(cast, case):
    record_safe_contact(case, {"precautions": PRECAUTIONS}, actor=actor_for(cast.amina))
    # The owner's field staff and coordinators; not the coordination the case is shared with
    # without the identity, not the platform member, not an outsider.
    assert get_safe_contact(actor_for(cast.hugo), case) is not None
    for user in (cast.louis, cast.paul, cast.yasmine):
        assert get_safe_contact(actor_for(user), case) is None, user
    page = _client(cast, cast.louis).get(_url(case, "web:case")).content.decode()
    assert PRECAUTIONS not in page and 'id="safe-contact"' not in page


def test_reaching_only_through_an_organisation_needs_one_named(cast, case):
    client = _client(cast, cast.hugo)
    response = _post(client, case, contact_organisation="")
    assert response.status_code == 200
    assert "Name the organisation through which the person is reached." in (
        response.content.decode()
    )
    assert not SafeContact.objects.exists()
    response = _post(
        client, case, contact_organisation="", contact_organisation_other="Fictional: her aunt"
    )
    assert response.status_code == 302


def test_a_closed_case_is_reopened_first(cast, case):
    actor = actor_for(cast.amina)
    closure.close_case(case, actor=actor, reason="withdrew")
    with pytest.raises(TransitionError):
        record_safe_contact(case, {"phone": PHONE}, actor=actor)
    page = _client(cast, cast.hugo).get(_url(case)).content.decode()
    assert "This case is closed: reopen it first." in page
