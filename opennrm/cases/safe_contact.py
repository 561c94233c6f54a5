"""How the person can be reached safely (issue #12, point 6): recorded by the responsible
organisation's field staff, shown wherever someone might contact the person.

A wrong call or letter can put a person in danger (an exploiter who reads the post, a phone
that is checked): the safe contact says how to reach the person, through whom, in which
language, when, and what never to do. Every change checks the writer's right, writes the audit
entry (the case and the names of the fields changed, never their values) and the case's
timeline, in one transaction. Reading goes through opennrm.cases.access (those who may see the
identity) and opennrm.support.access (a provider, for an orientation).
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opennrm.audit.trail import record
from opennrm.cases.models import Case, CaseEvent, SafeContact, TransitionError
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation
from opennrm.profiles.capabilities import Capability


def may_record(actor: Actor, case: Case) -> bool:
    """The responsible organisation's field staff (who assess and report) record it."""
    membership = actor.membership
    return (
        membership is not None
        and membership.organisation_id == case.owner_id
        and membership.can(Capability.REPORT)
    )


def record_safe_contact(case: Case, values: dict[str, Any], *, actor: Actor) -> SafeContact:
    """Create or change the case's safe contact with `values` (by field name; fields left out
    keep their value). Refused for anyone but the owner's field staff, and on a closed case."""
    if not may_record(actor, case):
        raise TransitionError(
            _("Only the responsible organisation's field staff record how to reach the person.")
        )
    if case.is_closed:
        raise TransitionError(_("This case is closed: reopen it first."))
    with transaction.atomic():
        contact = (
            SafeContact.objects.select_for_update(of=("self",)).filter(case_id=case.pk).first()
        )
        created = contact is None
        if contact is None:
            contact = SafeContact(
                case=case,
                recorded_by=actor.signed_in_user(),
                organisation=actor.organisation_acted_for(),
            )
        before = {name: getattr(contact, _attname(name)) for name in SafeContact.FIELDS}
        for name in SafeContact.FIELDS:
            if name in values:
                value = values[name]
                if name == "contact_organisation":
                    contact.contact_organisation_id = getattr(value, "pk", value)
                else:
                    setattr(contact, name, value if value is not None else "")
        changed = sorted(
            name for name in SafeContact.FIELDS if getattr(contact, _attname(name)) != before[name]
        )
        if not created and not changed:
            return contact
        contact.recorded_by = actor.signed_in_user()
        contact.organisation = actor.organisation_acted_for()
        contact.full_clean()
        contact.save()
        CaseEvent.log(
            case,
            "safe_contact.recorded" if created else "safe_contact.updated",
            actor=actor,
            details={"fields": changed},
        )
        record(
            "safe_contact.create" if created else "safe_contact.update",
            target=contact,
            actor=actor,
            details={"case": case.pk, "fields": changed},
        )
    return contact


def _attname(name: str) -> str:
    return "contact_organisation_id" if name == "contact_organisation" else name


def contact_organisations(case: Case) -> QuerySet[Organisation]:
    """Organisations the person may be reached through: those covering the case's
    département, the responsible organisation and any already named."""
    named = SafeContact.objects.filter(case_id=case.pk).values("contact_organisation_id")
    return Organisation.objects.filter(
        Q(territories=case.territory_id) | Q(pk=case.owner_id) | Q(pk__in=named)
    ).distinct()


@dataclass(frozen=True)
class SafeContactNotice:
    """What a reader is shown of a safe contact: the precautions always; the telephone and
    the address only to those who may see the identity (`coordinates`)."""

    coordinates: bool
    phone: str
    address: str
    through_organisation: bool
    organisation: Organisation | None
    organisation_other: str
    preferred_language: str
    safe_times: str
    do_not_write: bool
    do_not_call: bool
    precautions: str
    updated_at: Any
    recorded_for: Organisation

    @property
    def has_warning(self) -> bool:
        return self.do_not_call or self.do_not_write or self.through_organisation

    @property
    def language_name(self) -> str:
        from opennrm.cases.reference_data import language_name

        return language_name(self.preferred_language)

    @classmethod
    def of(cls, contact: SafeContact, *, coordinates: bool) -> "SafeContactNotice":
        return cls(
            coordinates=coordinates,
            phone=contact.phone if coordinates else "",
            address=contact.address if coordinates else "",
            through_organisation=contact.through_organisation,
            organisation=contact.contact_organisation,
            organisation_other=contact.contact_organisation_other,
            preferred_language=contact.preferred_language,
            safe_times=contact.safe_times,
            do_not_write=contact.do_not_write,
            do_not_call=contact.do_not_call,
            precautions=contact.precautions,
            updated_at=contact.updated_at,
            recorded_for=contact.organisation,
        )
