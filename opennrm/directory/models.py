"""The public directory of contact persons: posts (not people) in each body and local unit."""

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opennrm.audit.trail import record
from opennrm.core.acting import Actor
from opennrm.core.models import Organisation, Territory
from opennrm.profiles.loader import active_profile

# Fields a directory edit may change; anything else is set by the system.
EDITABLE_FIELDS = ("organisation", "territory", "post_title", "remit", "email", "phone", "address")


def stale_before(today: datetime.date | None = None) -> datetime.date:
    """Entries last confirmed before this day are stale (profile: directory_confirmation_months)."""
    today = today or timezone.localdate()
    months = active_profile().directory_confirmation_months
    year, month = divmod(today.month - 1 - months, 12)
    first = today.replace(year=today.year + year, month=month + 1, day=1)
    last_day = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first.replace(day=min(today.day, (last_day - datetime.timedelta(days=1)).day))


class ContactEntryQuerySet(models.QuerySet["ContactEntry"]):
    def published(self) -> "ContactEntryQuerySet":
        return self.filter(is_published=True)

    def stale(self, today: datetime.date | None = None) -> "ContactEntryQuerySet":
        return self.filter(last_confirmed_on__lt=stale_before(today))

    def for_display(self) -> "ContactEntryQuerySet":
        return self.select_related("organisation", "territory").order_by(
            "territory__code", "organisation__kind", "organisation__name", "post_title"
        )


class ContactEntry(models.Model):
    """How to reach the THB contact post of a body (prefecture, prosecutor's office…)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="contact_entries",
        verbose_name=_("body"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="contact_entries",
        verbose_name=_("département"),
    )
    post_title = models.CharField(
        _("post"),
        max_length=200,
        help_text=_(
            "The post, never a person's name, e.g. “THB contact person, foreigners office”."
        ),
    )
    remit = models.CharField(
        _("role"),
        max_length=300,
        help_text=_("What to contact this post for, e.g. residence permits for victims."),
    )
    email = models.EmailField(
        _("functional e-mail address"),
        blank=True,
        help_text=_("A shared mailbox of the post, not a personal address."),
    )
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True, max_length=500)
    last_confirmed_on = models.DateField(_("last confirmed on"))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        ordering: ClassVar = ["territory__code", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.post_title} — {self.organisation}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        # The organisation may be missing (a form refused it already): check only what is set.
        if self.organisation_id:
            body = active_profile().organisation_type(self.organisation.kind)
            if body is None or not body.contact_body:
                errors["organisation"] = _("This organisation is not a body with contact persons.")
        if self.territory_id and self.territory.level not in active_profile().local_unit_levels:
            errors["territory"] = _("Choose a département (or an overseas collectivity).")
        elif self.territory_id and self.organisation_id and not self.organisation.national:
            covered = self.organisation.territories.all()
            if covered and self.territory not in covered:
                errors["territory"] = _("This body does not cover this département.")
        if not (self.email or self.phone):
            errors["email"] = _("Give at least a functional e-mail address or a telephone number.")
        if errors:
            raise ValidationError(errors)

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return self.last_confirmed_on < stale_before(today)

    @property
    def body_label(self) -> str:
        return self.organisation.kind_label

    # State changes: each one checked, audited, in one transaction.
    @classmethod
    def create(cls, *, actor: Actor, **values: Any) -> "ContactEntry":
        with transaction.atomic():
            entry = cls(last_confirmed_on=timezone.localdate(), **values)
            entry.full_clean()
            entry.save()
            record("directory.create", target=entry, actor=actor)
        return entry

    def update(self, *, actor: Actor, changed: list[str]) -> None:
        """Save edits already applied by a validated form; editing confirms the entry."""
        with transaction.atomic():
            self.last_confirmed_on = timezone.localdate()
            self.full_clean()
            self.save()
            record(
                "directory.update",
                target=self,
                actor=actor,
                details={"fields": sorted(set(changed) & set(EDITABLE_FIELDS))},
            )

    def confirm(self, *, actor: Actor) -> None:
        with transaction.atomic():
            self.last_confirmed_on = timezone.localdate()
            self.save(update_fields=["last_confirmed_on", "updated_at"])
            record("directory.confirm", target=self, actor=actor)

    def unpublish(self, *, actor: Actor) -> None:
        with transaction.atomic():
            self.is_published = False
            self.save(update_fields=["is_published", "updated_at"])
            record("directory.unpublish", target=self, actor=actor)


def coverage(today: datetime.date | None = None) -> list[dict[str, Any]]:
    """For every local unit, which contact bodies have a published entry (and whether stale)."""
    profile = active_profile()
    bodies = [kind.code for kind in profile.contact_bodies]
    units = list(Territory.objects.local_units().order_by("code"))
    limit = stale_before(today)
    found: dict[tuple[int, str], bool] = {}
    rows = (
        ContactEntry.objects.published()
        .filter(organisation__kind__in=bodies)
        .values_list("territory_id", "organisation__kind", "last_confirmed_on")
    )
    for territory_id, kind, confirmed in rows:
        key = (territory_id, kind)
        found[key] = found.get(key, False) or confirmed >= limit
    return [
        {
            "territory": unit,
            "cells": [
                {
                    "body": body,
                    "present": (unit.pk, body) in found,
                    "fresh": found.get((unit.pk, body), False),
                }
                for body in bodies
            ],
            "complete": all((unit.pk, body) in found for body in bodies),
        }
        for unit in units
    ]
