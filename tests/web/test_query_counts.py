"""The number of queries of the main pages is pinned, and does not grow with the data."""

import pytest

from opennrm.audit.trail import record
from opennrm.core.models import Territory
from tests.factories import (
    ContactEntryFactory,
    MembershipFactory,
    OrganisationFactory,
    TrainingRecordFactory,
)

# (persona or None for anonymous, URL template, queries). Signed-in pages include the session,
# the user, the memberships, the MFA check, the header's count of unread notifications and,
# where the page reads personal data, the audit
# entry (one INSERT, on every database: appends take no lock, ADR 0013). The audit page also
# counts the entries waiting for their seal and reads the last seal.
PAGES = [
    (None, "/", 0),
    (None, "/directory/", 2),
    (None, "/directory/?territory=93", 3),
    ("nadia", "/dashboard/", 9),
    ("amina", "/organisations/{association}/", 8),
    ("nadia", "/manage/directory/", 6),
    ("nadia", "/manage/directory/?stale=1", 6),
    ("sophie", "/manage/directory/", 6),
    ("nadia", "/manage/directory/coverage/", 7),
    ("robert", "/audit/", 11),
]


def _grow(cast) -> None:
    """30 more of everything the pages list: entries, bodies, members with training, audit."""
    t93 = Territory.objects.get(code="93")
    t13 = Territory.objects.get(code="13")
    for i in range(30):
        body = OrganisationFactory(kind="prosecutor", territories=[t93 if i % 2 else t13])
        ContactEntryFactory(organisation=body, territory=t93 if i % 2 else t13)
        ContactEntryFactory(organisation=cast.prefecture, is_published=bool(i % 3))
        member = MembershipFactory(organisation=cast.association, is_admin=bool(i % 5 == 0))
        TrainingRecordFactory(user=member.user)
        TrainingRecordFactory(user=member.user, course="Second fictional course")
        record("test.filler", details={"i": i})
        record("test.filler", details={"i": -i})


@pytest.mark.parametrize(
    ("persona", "url", "queries"), PAGES, ids=[f"{p}-{u}" for p, u, _ in PAGES]
)
def test_queries_are_pinned_and_constant(cast, django_assert_num_queries, persona, url, queries):
    url = url.format(association=cast.association.pk)
    client = cast.client_for(getattr(cast, persona) if persona else None)
    client.get(url)  # warm up: content types and other per-process caches
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    _grow(cast)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
