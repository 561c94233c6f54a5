"""Fixtures of the case pages: a case of Association 93 shared with Coordination 93."""

import pytest

from opennrm.cases.enums import ShareReason
from opennrm.detection import actions
from tests.acting import actor_for
from tests.factories import CaseFactory

# Names that appear nowhere else in the pages: their absence proves the identity is hidden.
GIVEN_NAMES = "Zorabelle Quintessa"
FAMILY_NAME = "Vantablackova"
ALIAS = "Nightjar"


@pytest.fixture
def case(cast):
    """An adult's case owned by Association 93, shared with the local coordination."""
    case = CaseFactory(
        owner=cast.association,
        person__given_names=GIVEN_NAMES,
        person__family_name=FAMILY_NAME,
        person__aliases=ALIAS,
    )
    case.share_with(cast.coordination, ShareReason.COORDINATION, actor=actor_for(cast.amina))
    return case


@pytest.fixture
def draft(cast, case):
    """A draft assessment of `case` (adults, labour exploitation)."""
    from opennrm.indicators.catalogue import latest_catalogue

    return actions.start_assessment(
        case,
        set_code="adults_labour",
        version=latest_catalogue().version,
        actor=actor_for(cast.amina),
    )
