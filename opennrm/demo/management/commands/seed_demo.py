"""Load fictional demo data: idempotent, refused outside demo mode."""

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User
from opennrm.demo.personas import DEMO_PASSWORD, PERSONAS
from opennrm.directory.models import ContactEntry

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


class Command(BaseCommand):
    help = "Create the fictional demo organisations, personas and directory (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode (OPENNRM_DEMO_MODE=true).")
        call_command("load_territories", verbosity=0)
        with transaction.atomic():
            organisations = self._organisations()
            self._personas(organisations)
            self._directory(organisations)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} fictional organisations, "
                f"{len(PERSONAS)} personas (password: {DEMO_PASSWORD})."
            )
        )

    def _organisations(self) -> dict[str, Organisation]:
        today = timezone.localdate()
        result: dict[str, Organisation] = {}
        national, _ = Organisation.objects.update_or_create(
            name="Coordination nationale fictive (démo)",
            defaults={
                "kind": "national_coordinator",
                "national": True,
                "email": "coordination@demo.opennrm.invalid",
            },
        )
        result["national"] = national
        for code in DEPARTEMENTS:
            territory = Territory.objects.get(code=code)
            for kind, label in LOCAL_KINDS:
                reporter = kind in REPORTER_KINDS
                org, _ = Organisation.objects.update_or_create(
                    name=f"{label} — {territory.name} (démo)",
                    defaults={
                        "kind": kind,
                        "authorised_reporter": reporter,
                        "reporter_recognised_on": today.replace(year=today.year - 1)
                        if reporter
                        else None,
                        "reporter_recognition_ref": f"DEMO-AR-{code}-{kind}" if reporter else "",
                        "agreement_signed_on": today.replace(year=today.year - 1),
                        "agreement_ref": f"DEMO-CONV-{code}-{kind}",
                        "email": f"{kind.replace('_', '-')}.{code.lower()}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 00",
                    },
                )
                org.territories.set([territory])
                result[f"{code}:{kind}"] = org
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
            if persona.role in {"field_worker", "judicial_officer"}:
                TrainingRecord.objects.get_or_create(
                    user=user,
                    course="Formation fictive : repérer et protéger les victimes de traite",
                    defaults={
                        "provider": "Organisme de formation fictif",
                        "completed_on": today - datetime.timedelta(days=200),
                        "expires_on": today + datetime.timedelta(days=900),
                    },
                )

    def _directory(self, organisations: dict[str, Organisation]) -> None:
        today = timezone.localdate()
        for code in DEPARTEMENTS:
            territory = Territory.objects.get(code=code)
            for kind, (post, remit) in CONTACT_REMITS.items():
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
                        "email": f"teh.{kind.replace('_', '-')}.{code}@demo.opennrm.invalid",
                        "phone": "01 99 00 00 01",
                        "last_confirmed_on": confirmed,
                        "is_published": True,
                    },
                )
