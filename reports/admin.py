from django.contrib import admin

from goals.admin import ReadOnlyInline

from .models import Publication, PublishedFile


class PublishedFileInline(ReadOnlyInline):
    model = PublishedFile
    fields = ("format", "filename", "size", "sha256")
    readonly_fields = fields


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: packs are published from the Board packs page and never change or go away."""

    list_display = ("period", "layout", "version", "published_at", "published_by")
    readonly_fields = ("period", "layout", "version", "published_at", "published_by")
    inlines = [PublishedFileInline]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
