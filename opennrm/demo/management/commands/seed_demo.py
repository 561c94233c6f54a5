"""Load fictional demo data: idempotent, refused outside demo mode.

Organisations, personas and the directory of contact posts are created or updated. The rest —
concerns, cases, the platform of 93 and its members, votes and decisions, the service directory,
support plans — is made through the domain actions, as the pages make it (so timelines,
transition logs and audit entries exist), under fixed references: a second run finds what it
made and leaves it as it is (see opennrm/demo/detection.py, identification.py, support.py).
"""

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from opennrm.cases.models import Case
from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User
from opennrm.demo import places
from opennrm.demo.acting import as_persona
from opennrm.demo.detection import Detection
from opennrm.demo.identification import Identification
from opennrm.demo.personas import (
    DEMO_CONCERNS,
    DEMO_PASSWORD,
    DEMO_SERVICES,
    EXTRA_ORGANISATIONS,
    PERSONAS,
    PLATFORM_93,
)
from opennrm.demo.support import Support
from opennrm.directory.models import ContactEntry
from opennrm.profiles.loader import active_profile
from opennrm.recognition.actions import recognise

DEPARTEMENTS = ("93", "13", "974")  # Seine-Saint-Denis, Bouches-du-Rhône, La Réunion (overseas)
LOCAL_KINDS = (
    ("association", "Association fictive d’aide aux victimes"),
    ("trade_union", "Union syndicale fictive"),
    ("police", "Commissariat fictif"),
    ("labour_inspection", "Inspection du travail fictive"),
    ("prefecture", "Préfecture fictive"),
    ("prosecutor", "Parquet fictif"),
    ("labour_directorate", "DDETS fictive"),
    ("accommodation", "Centre d’hébergement fictif"),
    ("local_coordination", "Coordination départementale fictive"),
)
REPORTER_KINDS = {"association", "trade_union", "police", "labour_inspection"}
CONTACT_REMITS = {
    "prefecture": ("Référent traite — bureau du séjour (fictif)", "Titres de séjour des victimes"),
    "prosecutor": ("Référent traite — parquet (fictif)", "Non-sanction, suites pénales"),
    "labour_directorate": ("Référent traite — DDETS (fictif)", "Exploitation par le travail"),
}
# The same posts under another profile (the OSCE model): English first.
CONTACT_REMITS_EN = {
    "prefecture": ("THB contact — residence permits (fictional)", "Residence permits for victims"),
    "prosecutor": ("THB contact — prosecution (fictional)", "Non-punishment, criminal proceedings"),
    "labour_directorate": ("THB contact — labour office (fictional)", "Labour exploitation"),
}


class Command(BaseCommand):
    help = (
        "Create the fictional demo organisations, personas, directories, cases, platform and "
        "support (demo mode only)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode (OPENNRM_DEMO_MODE=true).")
        call_command("load_territories", verbosity=0)
        with transaction.atomic():
            organisations = self._organisations()
            self._personas(organisations)
            self._recognitions(organisations)
            self._directory(organisations)
            Detection(organisations).seed()
            Identification(organisations).seed()
            Support(organisations).seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} fictional organisations, "
                f"{len(PERSONAS)} personas (password: {DEMO_PASSWORD}), "
                f"{len(DEMO_CONCERNS)} concerns, "
                f"{Case.objects.filter(reference__startswith='C-DEM0-').count()} cases, "
                f"{len(PLATFORM_93)} seats on the platform of {places.unit('93')} and "
                f"{len(DEMO_SERVICES)} services."
            )
        )

    def _recognitions(self, organisations: dict[str, Organisation]) -> None:
        """The demo's authorised reporters get their recognition record, made by the national
        coordinator persona through the domain action (once: a second run finds them)."""
        nadia = as_persona(PERSONAS[0].email)
        for organisation in organisations.values():
            if not organisation.authorised_reporter or organisation.recognitions.in_force():
                continue
            recognise(
                organisation,
                actor=nadia,
                reference=organisation.reporter_recognition_ref,
                recognised_on=organisation.reporter_recognised_on or timezone.localdate(),
                expires_on=(organisation.reporter_recognised_on or timezone.localdate())
                + datetime.timedelta(days=3 * 365),
                agreement_clauses=[
                    clause.code for clause in active_profile().recognition.agreement_clauses
                ],
                agreement_signed_on=organisation.agreement_signed_on,
            )

    def _organisations(self) -> dict[str, Organisation]:
        a_year_ago = timezone.localdate() - datetime.timedelta(days=365)
        result: dict[str, Organisation] = {}
        national, _ = Organisation.objects.update_or_create(
            name="Coordination nationale fictive (démo)"
            if places.is_french()
            else "Fictional national coordination (demo)",
            defaults={
                "kind": "national_coordinator",
                "national": True,
                "email": "coordination@demo.opennrm.invalid",
            },
        )
        result["national"] = national
        for code in DEPARTEMENTS:
            territory = places.territory(code)
            for kind, label in LOCAL_KINDS:
                reporter = kind in REPORTER_KINDS
                org, _ = Organisation.objects.update_or_create(
                    name=places.organisation_name(kind, label, territory.name),
                    defaults={
                        "kind": places.kind(kind),
                        "authorised_reporter": reporter,
                        "reporter_recognised_on": a_year_ago if reporter else None,
                        "reporter_recognition_ref": f"DEMO-AR-{code}-{kind}" if reporter else "",
                        "agreement_signed_on": a_year_ago,
                        "agreement_ref": f"DEMO-CONV-{code}-{kind}",
                        "email": f"{places.kind(kind).replace('_', '-')}."
                        f"{places.unit(code).lower()}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 00",
                    },
                )
                org.territories.set([territory])
                result[f"{code}:{kind}"] = org
        # A child protection service in OpenNRM, for the child's case of La Réunion.
        reunion = places.territory("974")
        service, _ = Organisation.objects.update_or_create(
            name=places.organisation_name(
                "child_protection", "Aide sociale à l’enfance fictive", reunion.name
            )
            if places.is_french()
            else f"Fictional child protection service — {reunion.name} (demo)",
            defaults={
                "kind": places.kind("child_protection"),
                "email": "child-protection.974@demo.opennrm.invalid",
                "phone": "01 99 00 00 00",
            },
        )
        service.territories.set([reunion])
        result["974:child_protection"] = service
        # Providers of 93 and its neighbours, and national services (personas.py).
        for item in EXTRA_ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                name=item.name if places.is_french() else item.english_name,
                defaults={
                    "kind": places.kind(item.kind),
                    "national": item.national,
                    "agreement_signed_on": a_year_ago,
                    "agreement_ref": f"DEMO-CONV-{item.key.replace(':', '-')}",
                    "email": f"{item.key.replace(':', '.').replace('_', '-')}@demo.opennrm.invalid",
                    "phone": "01 99 00 00 00",
                },
            )
            org.territories.set(Territory.objects.filter(code__in=places.units(item.territories)))
            result[item.key] = org
        return result

    def _personas(self, organisations: dict[str, Organisation]) -> None:
        today = timezone.localdate()
        for persona in PERSONAS:
            user, created = User.objects.get_or_create(
                email=persona.email, defaults={"full_name": persona.full_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            EmailAddress.objects.get_or_create(
                user=user, email=persona.email, defaults={"primary": True, "verified": True}
            )
            Membership.objects.update_or_create(
                user=user,
                organisation=organisations[persona.organisation],
                role=persona.role,
                defaults={"is_admin": persona.is_admin, "is_active": True},
            )
            for organisation, role in persona.also:
                Membership.objects.update_or_create(
                    user=user,
                    organisation=organisations[organisation],
                    role=role,
                    defaults={"is_active": True},
                )
            if persona.role in {"field_worker", "judicial_officer"}:
                TrainingRecord.objects.get_or_create(
                    user=user,
                    course="Formation fictive : repérer et protéger les victimes de traite"
                    if places.is_french()
                    else "Fictional course: identifying and protecting victims of trafficking",
                    defaults={
                        "provider": "Organisme de formation fictif"
                        if places.is_french()
                        else "Fictional training body",
                        "completed_on": today - datetime.timedelta(days=200),
                        "expires_on": today + datetime.timedelta(days=900),
                    },
                )

    def _directory(self, organisations: dict[str, Organisation]) -> None:
        today = timezone.localdate()
        for code in DEPARTEMENTS:
            territory = places.territory(code)
            remits = CONTACT_REMITS if places.is_french() else CONTACT_REMITS_EN
            for kind, (post, remit) in remits.items():
                if code == "974" and kind == "labour_directorate":
                    continue  # a gap, so that the coverage view has something to show
                org = organisations[f"{code}:{kind}"]
                # One entry in 93 is old, so that the stale flag shows.
                confirmed = today - datetime.timedelta(
                    days=250 if (code, kind) == ("93", "prosecutor") else 20
                )
                ContactEntry.objects.update_or_create(
                    organisation=org,
                    territory=territory,
                    post_title=post,
                    defaults={
                        "remit": remit,
                        "email": f"teh.{places.kind(kind).replace('_', '-')}."
                        f"{places.unit(code).lower()}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 01",
                        "last_confirmed_on": confirmed,
                        "is_published": True,
                    },
                )
