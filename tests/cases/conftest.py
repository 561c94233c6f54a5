"""Fixtures of the case pages: a case of Association 93 shared with Coordination 93."""

import pytest
from django.test import RequestFactory

from opennrm.cases.enums import ShareReason
from opennrm.core.models import User
from opennrm.detection import actions
from tests.factories import CaseFactory

# Names that appear nowhere else in the pages: their absence proves the identity is hidden.
GIVEN_NAMES = "Zorabelle Quintessa"
FAMILY_NAME = "Vantablackova"
ALIAS = "Nightjar"


def request_for(user: User):
    """A request acting for the user's (only) membership, for actions called in set-up."""
    request = RequestFactory().get("/")
    request.user = user
    request.membership = user.memberships.get()
    request.session = {}
    return request


@pytest.fixture
def case(cast):
    """An adult's case owned by Association 93, shared with the local coordination."""
    case = CaseFactory(
        owner=cast.association,
        person__given_names=GIVEN_NAMES,
        person__family_name=FAMILY_NAME,
        person__aliases=ALIAS,
    )
    case.share_with(cast.coordination, ShareReason.COORDINATION, request=request_for(cast.amina))
    return case


@pytest.fixture
def draft(cast, case):
    """A draft assessment of `case` (adults, labour exploitation)."""
    from opennrm.indicators.catalogue import latest_catalogue

    return actions.start_assessment(
        case,
        set_code="adults_labour",
        version=latest_catalogue().version,
        request=request_for(cast.amina),
    )
