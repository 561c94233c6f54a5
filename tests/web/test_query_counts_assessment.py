"""The preliminary assessment page and the indicator catalogue page run a pinned number of
queries, and it does not grow with the answers given or with other cases' assessments."""

from django.urls import reverse

from opennrm.detection import actions
from opennrm.indicators.catalogue import latest_catalogue
from tests.cases.conftest import actor_for
from tests.factories import CaseFactory

# The header's count of unread notifications, on every signed-in page (one query).
HEADER = 1

# Signed-in pages include the session, the user, the memberships and the MFA check. The
# assessment page then reads the assessment among the visible cases, the case again through the
# access function, writes the two audited reads (case, assessment: one INSERT each), reads a
# user and whether the acting person's training is valid (who may report a presumed victim).
# Sections, progress counts and the error summary are computed from the form: no query.
ASSESSMENT_QUERIES = 10


def _start(cast, case):
    return actions.start_assessment(
        case,
        set_code="adults_labour",
        version=latest_catalogue().version,
        actor=actor_for(cast.amina),
    )


def test_the_assessment_page_is_pinned_and_constant(cast, django_assert_num_queries):
    case = CaseFactory(owner=cast.association)
    draft = _start(cast, case)
    client = cast.client_for(cast.amina)
    url = reverse("web:assessment", args=[draft.pk])
    assert client.get(url).status_code == 200  # warm up: content types, per-process caches
    with django_assert_num_queries(ASSESSMENT_QUERIES + HEADER):
        assert client.get(url).status_code == 200
    # Every indicator answered with a note, and more cases with their own assessments.
    codes = [
        item.code for item in latest_catalogue().indicator_set("adults_labour").all_indicators()
    ]
    actions.save_answers(
        draft,
        {code: {"answer": "present", "note": "Fictional note."} for code in codes},
        actor=actor_for(cast.amina),
    )
    for _ in range(5):
        _start(cast, CaseFactory(owner=cast.association))
    with django_assert_num_queries(ASSESSMENT_QUERIES + HEADER):
        assert client.get(url).status_code == 200


# The catalogue page reads no table of its own: the catalogue is versioned data in files.
CATALOGUE_QUERIES = 4


def test_the_catalogue_page_is_pinned_and_constant(cast, django_assert_num_queries):
    client = cast.client_for(cast.nadia)
    url = reverse("web:indicator_catalogue")
    assert client.get(url).status_code == 200
    with django_assert_num_queries(CATALOGUE_QUERIES + HEADER):
        assert client.get(url).status_code == 200
    for _ in range(5):
        _start(cast, CaseFactory(owner=cast.association))
    with django_assert_num_queries(CATALOGUE_QUERIES + HEADER):
        assert client.get(url).status_code == 200
