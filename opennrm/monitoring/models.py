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
