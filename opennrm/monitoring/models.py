"""Counts per département kept for the monitoring pages (opennrm.monitoring.counts)."""

from typing import ClassVar

from django.db import models

from opennrm.core.models import Territory


class TerritoryCount(models.Model):
    """One measure (what is overdue, what is due soon) in one département, as counted at
    `computed_at`. Counts only: nothing here names a case or a person."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=48)
    value = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["measure", "territory"], name="monitoring_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.territory_id}: {self.value}"


class KeptTable(models.Model):
    """A monitoring table (rows of counts, as the page shows them) for one département, or for
    the whole country when `territory` is empty, as counted at `computed_at`. Counts only."""

    name = models.CharField(max_length=48)
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [models.Index(fields=["name", "territory"])]

    def __str__(self) -> str:
        return f"{self.name} {self.territory_id or 'national'}: {len(self.rows)} rows"
