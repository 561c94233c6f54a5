"""Administration of the directory. The web pages (manage/directory/) are the usual way."""

from django.contrib import admin

from opennrm.directory.models import ContactEntry


@admin.register(ContactEntry)
class ContactEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("post_title", "organisation", "territory", "last_confirmed_on", "is_published")
    list_filter = ("is_published", "organisation__kind")
    search_fields = ("post_title", "organisation__name", "territory__code")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "territory")
    readonly_fields = ("updated_at",)
