"""Coverage: which départements lack a published contact person in each contact body."""

import datetime

from django.urls import reverse
from django.utils import timezone

from opennrm.core.models import Territory
from opennrm.directory.models import ContactEntry, coverage
from opennrm.profiles.loader import active_profile
from tests.factories import ContactEntryFactory

BODIES = ["prefecture", "prosecutor", "labour_directorate"]


def _row(rows, code: str):
    return next(row for row in rows if row["territory"].code == code)


def _cells(row) -> dict[str, tuple[bool, bool]]:
    return {cell["body"]: (cell["present"], cell["fresh"]) for cell in row["cells"]}


def test_the_contact_bodies_of_the_france_profile():
    assert [kind.code for kind in active_profile().contact_bodies] == BODIES


def test_coverage_lists_every_local_unit_and_no_region(territories):
    rows = coverage()
    codes = [row["territory"].code for row in rows]
    assert codes == list(
        Territory.objects.local_units().order_by("code").values_list("code", flat=True)
    )
    assert "93" in codes and "971" in codes
    assert not any(code.startswith("R") for code in codes)


def test_coverage_marks_missing_and_stale_bodies(cast, bodies):
    today = timezone.localdate()
    rows = coverage()
    row_93 = _row(rows, "93")
    # Prefecture and prosecutor present; the labour directorate has no entry; the unpublished
    # prefecture entry does not count.
    assert _cells(row_93) == {
        "prefecture": (True, True),
        "prosecutor": (True, True),
        "labour_directorate": (False, False),
    }
    assert row_93["complete"] is False
    row_13 = _row(rows, "13")
    assert _cells(row_13)["prefecture"] == (True, True)
    assert _cells(row_13)["prosecutor"] == (False, False)
    assert _row(rows, "971")["complete"] is False

    # The labour directorate's entry exists but is stale: present, not fresh; 93 is complete.
    ContactEntryFactory(
        organisation=bodies.labour_93,
        last_confirmed_on=today - datetime.timedelta(days=400),
    )
    row_93 = _row(coverage(), "93")
    assert _cells(row_93)["labour_directorate"] == (True, False)
    assert row_93["complete"] is True


def test_a_fresh_entry_outweighs_a_stale_one_of_the_same_body(cast, bodies):
    ContactEntry.objects.filter(pk=bodies.entry_93.pk).update(
        last_confirmed_on=datetime.date(2020, 1, 1)
    )
    assert _cells(_row(coverage(), "93"))["prefecture"] == (True, False)
    ContactEntryFactory(organisation=cast.prefecture)
    assert _cells(_row(coverage(), "93"))["prefecture"] == (True, True)


def test_an_unpublished_entry_leaves_the_body_missing(cast, bodies):
    ContactEntry.objects.filter(pk=bodies.entry_prosecutor_93.pk).update(is_published=False)
    assert _cells(_row(coverage(), "93"))["prosecutor"] == (False, False)


def test_the_coverage_page(cast, bodies):
    response = cast.client_for(cast.nadia).get(reverse("web:directory_coverage"))
    assert response.status_code == 200
    rows = response.context["rows"]
    local_units = Territory.objects.local_units().count()
    assert len(rows) == local_units
    # Every local unit lacks at least one body (no département has all three in this data).
    assert response.context["missing"] == local_units
    ContactEntryFactory(organisation=bodies.labour_93)
    response = cast.client_for(cast.nadia).get(reverse("web:directory_coverage"))
    assert response.context["missing"] == local_units - 1
    assert 'class="opennrm-missing"' in response.content.decode()
