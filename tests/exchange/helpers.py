"""A case with an account, facts and a consent to share, for the exchange tests."""

import datetime

from opennrm.cases.enums import ConsentMethod, ConsentScope
from opennrm.cases.models import Case, Consent
from opennrm.core.models import Organisation, User
from opennrm.detection.actions import record_consent
from opennrm.detection.models import AccountFacts, PersonAccount
from tests.acting import actor_for
from tests.conftest import Cast
from tests.factories import CaseFactory, PersonFactory


def rich_case(cast: Cast) -> Case:
    person = PersonFactory(
        given_names="Ioana",
        family_name="Fictiva",
        date_of_birth=datetime.date(1990, 4, 2),
        sex="female",
        nationalities=["RO", "MD"],
    )
    case = CaseFactory(
        owner=cast.association, person=person, forms=["forced_labour", "domestic_servitude"]
    )
    account = PersonAccount.objects.create(
        case=case,
        control_means=["documents", "debt", "isolation"],
        created_by=cast.amina,
        organisation=cast.association,
    )
    AccountFacts.objects.create(
        account=account,
        recruitment_methods=["online_social_network", "friends"],
        recruitment_countries=["RO"],
        transit_countries=["HU"],
        exploitation_countries=["FR"],
        sectors=["agriculture", "hospitality"],
        forms=["forced_labour"],
        relation_to_exploiter="acquaintance",
    )
    return case


def share_consent(case: Case, user: User, organisation: Organisation) -> Consent:
    return record_consent(
        case,
        scope=ConsentScope.SHARE,
        method=ConsentMethod.WRITTEN,
        organisation=organisation,
        actor=actor_for(user),
    )
