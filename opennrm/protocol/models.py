"""A snapshot of the protocol's structured data, kept each time the profile or the catalogue
changes, so that the changes between consecutive versions can be shown."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtocolVersion(models.Model):
    """The protocol as it was: its data (`building.build`), the versions it was built from and
    a digest of the data (a new snapshot is kept when the digest of the newest one differs)."""

    profile_code = models.CharField(_("profile"), max_length=40)
    profile_version = models.CharField(_("profile version"), max_length=40)
    catalogue_version = models.CharField(_("catalogue version"), max_length=40)
    digest = models.CharField(max_length=64)
    data = models.JSONField()
    created_at = models.DateTimeField(_("first published on"), auto_now_add=True)

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering: ClassVar = ["profile_code", "-created_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["profile_code", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.profile_code} {self.profile_version} / {self.catalogue_version}"
