"""`manage.py publish_imported`: a published pack, in each layout, for every quarter that was
imported as published and has none (`load_demo` does this for the demo itself; run it after
importing a strategy's history with `import_strategy`). Idempotent."""

from django.core.management.base import BaseCommand

from reports.services import publications_record_imported


def describe(publication) -> str:
    """One line per publication made: what it is and how its rendering ended."""
    return (
        f"{publication.period.strategy} {publication.period.label} {publication.get_layout_display()}: "
        f"{publication.get_status_display().lower()}"
        + (f" ({publication.failure_reason})" if publication.failure_reason else "")
    )


class Command(BaseCommand):
    help = "Build the published packs of quarters imported as published (labelled as published by import)."

    def handle(self, *args, **options):
        for publication in publications_record_imported():
            self.stdout.write(describe(publication))
