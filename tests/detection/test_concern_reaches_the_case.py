"""What a concern says travels to the case opened from it (issue #12, point 5): the
organisation responsible for the case reads what was seen, where and the signs on the case
page (audited), and may open the concern itself, read only; outsiders still get 404. How to
contact a public reporter stays with the coordinators who triage."""

import pytest
from django.conf import settings
from django.urls import reverse

from opennrm.audit.models import AuditEntry
from opennrm.cases.enums import DetectionChannel
from opennrm.core.acting import Actor
from opennrm.detection import actions
from opennrm.detection.access import concerns_of_case, get_concern_for_member
from opennrm.privacy.models import CaseRetention, RetentionStage
from tests.acting import actor_for
from tests.factories import CaseFactory

SEEN = "Fictional: a girl sleeps in the back room of the nail bar and never goes out."
TOWN = "Fictional Bourg-des-Ongles"
CONTACT = "reporter.fictional@example.org"


def _client(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def public_concern(cast):
    from opennrm.core.models import Territory

    return actions.submit_concern(
        Actor.public(),
        channel=DetectionChannel.PUBLIC_REPORT,
        territory=Territory.objects.get(code="93"),
        commune=TOWN,
        place_type="shop",
        sector="unknown",
        description=SEEN,
        signs=["cannot_leave", "housed_at_work"],
        child_involved="yes",
        contact=CONTACT,
    )


@pytest.fixture
def opened(cast, public_concern):
    """Louis, coordinator of 93, opens a case and gives it to Association 93."""
    case = actions.open_case_from_concern(
        public_concern, owner=cast.association, actor=actor_for(cast.louis)
    )
    public_concern.refresh_from_db()
    return case


def test_the_association_reads_the_concern_on_the_case_page(cast, public_concern, opened):
    page = _client(cast, cast.hugo).get(reverse("web:case", args=[opened.reference]))
    text = page.content.decode()
    assert SEEN in text and TOWN in text
    assert "The person seems unable to leave or move freely" in text
    assert public_concern.reference in text
    assert CONTACT not in text
    read = AuditEntry.objects.filter(action="concern.read", actor=cast.hugo).get()
    assert read.details["via"] == "case"
    assert read.details["concerns"] == [public_concern.pk]
    assert SEEN not in str(read.details) and TOWN not in str(read.details)


def test_the_association_opens_the_concern_read_only_without_the_reporter_contact(
    cast, public_concern, opened
):
    url = reverse("web:concern", args=[public_concern.reference])
    for user in (cast.hugo, cast.amina):
        page = _client(cast, user).get(url)
        assert page.status_code == 200, user
        text = page.content.decode()
        assert SEEN in text and TOWN in text
        assert CONTACT not in text
        assert "The reporter left a way to be contacted" in text
        assert reverse("web:concern_open_case", args=[public_concern.reference]) not in text
        assert reverse("web:case", args=[opened.reference]) in text
    # The coordinator who triages still sees how to contact the reporter.
    assert CONTACT in _client(cast, cast.louis).get(url).content.decode()
    # Read only: triage stays the coordinator's.
    for name in ("concern_attach", "concern_close"):
        action = reverse(f"web:{name}", args=[public_concern.reference])
        assert _client(cast, cast.hugo).post(action).status_code == 404


def test_outsiders_still_get_404(cast, public_concern, opened):
    url = reverse("web:concern", args=[public_concern.reference])
    for user in (cast.paul, cast.yasmine, cast.ines, cast.claire, cast.sophie, cast.nadia):
        assert _client(cast, user).get(url).status_code == 404, user
        assert concerns_of_case(actor_for(user), opened) == [], user
    # Before triage the association had no way to it.
    other = actions.submit_concern(
        Actor.public(),
        channel=DetectionChannel.PUBLIC_REPORT,
        territory=public_concern.territory,
        place_type="shop",
        description="Fictional: another report.",
    )
    other_url = reverse("web:concern", args=[other.reference])
    assert _client(cast, cast.hugo).get(other_url).status_code == 404


def test_a_concern_attached_to_the_association_case_reaches_it_too(cast, public_concern):
    case = CaseFactory(owner=cast.association)
    assert (
        _client(cast, cast.hugo)
        .get(reverse("web:concern", args=[public_concern.reference]))
        .status_code
        == 404
    )
    actions.attach_concern(public_concern, case=case, actor=actor_for(cast.louis))
    assert get_concern_for_member(actor_for(cast.hugo), public_concern.reference)
    text = _client(cast, cast.hugo).get(reverse("web:case", args=[case.reference])).content
    assert SEEN in text.decode()


def test_a_case_out_of_view_closes_the_concern_again(cast, public_concern, opened):
    CaseRetention.objects.update_or_create(case=opened, defaults={"stage": RetentionStage.ARCHIVED})
    url = reverse("web:concern", args=[public_concern.reference])
    assert _client(cast, cast.hugo).get(url).status_code == 404


def test_a_concern_the_association_entered_keeps_its_contact(cast):
    from opennrm.core.models import Territory

    concern = actions.submit_concern(
        actor_for(cast.amina),
        channel="hotline",
        territory=Territory.objects.get(code="93"),
        place_type="shop",
        description=SEEN,
        contact=CONTACT,
    )
    actions.open_case_from_concern(concern, owner=cast.association, actor=actor_for(cast.louis))
    text = _client(cast, cast.hugo).get(reverse("web:concern", args=[concern.reference]))
    assert CONTACT in text.content.decode()
