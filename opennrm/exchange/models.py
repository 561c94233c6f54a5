"""What an HTCDS import keeps beside the concern it creates."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from opennrm.crypto.fields import EncryptedJSONField
from opennrm.detection.models import Concern


class ImportedRecord(models.Model):
    """One record of an imported HTCDS file, as the file gave it (checked against the mapping),
    kept with the concern it became so that the coordinator triaging it reads every field, and
    OpenNRM's codes for the mapped ones. The record may name the person: encrypted (ADR 0008)."""

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="htcds_record")
    batch = models.CharField(_("import"), max_length=32, db_index=True)
    file_name = models.CharField(_("file"), max_length=200)
    row = models.PositiveIntegerField(_("row"))
    record = EncryptedJSONField(_("HTCDS record"), default=dict)
    codes = EncryptedJSONField(_("OpenNRM codes"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported HTCDS record")
        verbose_name_plural = _("imported HTCDS records")
        ordering: ClassVar = ["batch", "row"]

    def __str__(self) -> str:
        return f"{self.batch}#{self.row}"
