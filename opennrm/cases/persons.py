"""Changes to a person's identity, whichever step or right asks for them (detection's case
page, a rectification at the person's request)."""

from django.db import transaction

from opennrm.audit.trail import record
from opennrm.cases.duplicates import check_for_duplicates
from opennrm.cases.models import Case, CaseEvent, Person
from opennrm.core.acting import Actor


def update_person(actor: Actor, case: Case, person: Person, changed: list[str]) -> None:
    """Save identity changes already applied by a validated form; age rules follow; a change to
    a name or the date of birth looks for duplicates again."""
    with transaction.atomic():
        person.full_clean()
        person.save()
        case.refresh_age()
        Case.objects.filter(pk=case.pk).update(
            age_at_detection=case.age_at_detection, child=case.child
        )
        CaseEvent.log(case, "person.updated", actor=actor, details={"fields": sorted(changed)})
        record("person.update", target=person, actor=actor, details={"fields": sorted(changed)})
        if Person.INDEXED_FIELDS & set(changed):
            check_for_duplicates(case, actor=actor)
