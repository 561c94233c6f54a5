"""Administration of the core models. Every change made here is audited (see core.signals)."""

from typing import ClassVar

from django.contrib import admin

from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User

# Bulk deletions are logged by Django with bulk_create, which sends no signal and would escape
# the audit trail; objects are deleted one at a time from their own page instead.
admin.site.disable_action("delete_selected")


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    fields = ("organisation", "role", "is_admin", "is_active")
    autocomplete_fields = ("organisation",)


class TrainingRecordInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TrainingRecord
    extra = 0
    fields = ("course", "provider", "completed_on", "expires_on")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Passwords are never set here: people choose theirs through the invitation link."""

    list_display = ("email", "full_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    fields = (
        "email",
        "full_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    inlines: ClassVar = [MembershipInline, TrainingRecordInline]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data loaded from the profile (load_territories); read here, not edited."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "national", "authorised_reporter")
    list_filter = ("kind", "national", "authorised_reporter")
    search_fields = ("name",)
    filter_horizontal = ("territories",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "organisation", "role", "is_admin", "is_active")
    list_filter = ("role", "is_admin", "is_active")
    search_fields = ("user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "course", "completed_on", "expires_on")
    search_fields = ("user__email", "course")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)
