"""An organisation's administrator gives only the roles its type of organisation may give."""

import pytest
from django.core.exceptions import ValidationError

from opennrm.core.models import Membership

pytestmark = pytest.mark.django_db


def _invite(client, organisation, role):
    return client.post(
        f"/organisations/{organisation.pk}/invite/",
        {"full_name": "Fictional Newcomer", "email": "newcomer@test.opennrm.invalid", "role": role},
    )


@pytest.mark.parametrize(
    "role",
    ["data_protection_officer", "national_coordinator", "local_coordinator", "judicial_officer"],
)
def test_an_association_cannot_grant_national_or_judicial_roles(cast, role):
    client = cast.client_for(cast.amina)
    page = client.get(f"/organisations/{cast.association.pk}/invite/").content.decode()
    assert f'value="{role}"' not in page
    response = _invite(client, cast.association, role)
    assert response.status_code == 200  # the form says the choice is not valid
    assert not Membership.objects.filter(role=role, organisation=cast.association).exists()


def test_an_association_can_grant_field_and_platform_roles(cast):
    client = cast.client_for(cast.amina)
    response = _invite(client, cast.association, "platform_member")
    assert response.status_code == 302
    assert Membership.objects.filter(
        role="platform_member", user__email="newcomer@test.opennrm.invalid"
    ).exists()


def test_the_national_coordinator_grants_the_data_protection_officer_role(cast):
    response = _invite(cast.client_for(cast.nadia), cast.national, "data_protection_officer")
    assert response.status_code == 302


def test_the_model_refuses_a_role_the_organisation_type_may_not_give(cast):
    membership = Membership(
        user=cast.amina, organisation=cast.association, role="national_coordinator"
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "role" in error.value.message_dict
