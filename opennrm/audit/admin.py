"""The audit trail in the administration: read-only, nobody may add, change or delete."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opennrm.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "id",
        "created_at",
        "action",
        "actor",
        "organisation",
        "object_type",
        "object_id",
    )
    list_filter = ("action",)
    search_fields = ("action", "object_type", "object_id")
    list_select_related = ("actor", "organisation")
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
