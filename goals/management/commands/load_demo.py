from django.core.management.base import BaseCommand, CommandError

from goals.interchange.demo import DemoError, load_demo
from goals.interchange.importer import StrategyImportError


class Command(BaseCommand):
    help = "Import the demo strategies in fixtures/ and create the demo users. Safe to run again."

    def handle(self, *args, **options):
        try:
            lines = load_demo()
        except (DemoError, StrategyImportError) as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
