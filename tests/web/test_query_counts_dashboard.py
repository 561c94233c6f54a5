"""The dashboard's tiles (issue 13, point 3) cost the same number of queries whatever waits:
each count is one bounded read, and which tiles a role gets depends on its capabilities only.
Signed-in pages include the session, the user, the memberships, the MFA check and the
header's count of unread notifications (which the notifications tile reuses)."""

import pytest

from tests.identification.conftest import platform93  # noqa: F401

# persona: queries (the shell's five, the exceptional-access notices of an organisation that
# owns cases, then one per count; the deadline scope reads the coordinator's départements and
# the member's seats once each: a member who sits nowhere costs one query less, as the seats'
# empty list selects nothing without asking the database)
PINS = {
    "nadia": 9,
    "louis": 16,
    "amina": 13,
    "hugo": 12,
    "claire": 14,
    "sophie": 9,
    "paul": 12,
    "ines": 11,
    "robert": 8,
    "yasmine": 13,
}


def _more(cast) -> None:
    """Ten more of every waiting item."""
    from tests.web import test_dashboard_tiles

    for _ in range(10):
        test_dashboard_tiles.waiting.__wrapped__(cast, None)


@pytest.mark.usefixtures("platform93")
@pytest.mark.parametrize(("persona", "queries"), PINS.items(), ids=list(PINS))
def test_dashboard_queries_are_pinned_and_constant(
    cast,
    django_assert_num_queries,
    persona,
    queries,
):
    client = cast.client_for(getattr(cast, persona))
    client.get("/dashboard/")  # warm up: content types and other per-process caches
    with django_assert_num_queries(queries):
        assert client.get("/dashboard/").status_code == 200
    _more(cast)
    with django_assert_num_queries(queries):
        assert client.get("/dashboard/").status_code == 200
