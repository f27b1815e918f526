"""`manage.py load_demo`: the demo strategies in fixtures/ and the demo users
(`goals.interchange.demo.load_demo`), then the published packs of the quarters the demo imports as
published (`reports.services.publications_record_imported`, labelled as published by import), so the
demo's Board packs pages list them. The command lives with the board pack because the goals app does
not depend on it. `--without-packs` leaves the packs out (rendering them takes a while: the tests'
demo data is loaded without them). Idempotent: a second run changes nothing and renders nothing."""

from django.core.management.base import BaseCommand, CommandError

from goals.interchange.demo import DemoError, load_demo
from goals.interchange.importer import StrategyImportError
from reports.services import publications_record_imported

from .publish_imported import describe


class Command(BaseCommand):
    help = (
        "Import the demo strategies in fixtures/, create the demo users and publish the quarters imported "
        "as published. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-packs",
            action="store_true",
            help="Do not render the published packs of the quarters imported as published.",
        )

    def handle(self, *args, without_packs=False, **options):
        try:
            lines = load_demo()
        except (DemoError, StrategyImportError) as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
        if not without_packs:
            for publication in publications_record_imported():
                self.stdout.write(describe(publication))
