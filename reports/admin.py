from django.contrib import admin

from .models import Publication, PublishedFile


class PublishedFileInline(admin.TabularInline):
    model = PublishedFile
    fields = ("format", "filename", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only: packs are published from the Board packs page and never change or go away."""

    list_display = ("period", "layout", "version", "published_at", "published_by")
    readonly_fields = ("period", "layout", "version", "published_at", "published_by")
    inlines = [PublishedFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
