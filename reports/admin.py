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
    list_display = ("period", "layout", "version", "published_at", "published_by")
    readonly_fields = ("period", "layout", "version", "published_at", "published_by")
    inlines = [PublishedFileInline]
