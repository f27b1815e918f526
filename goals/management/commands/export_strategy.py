"""manage.py export_strategy SLUG [-o FILE] [--format yaml|xlsx]: write a strategy in the YAML
import format, or as a strategy workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from goals.interchange.exporter import dump_yaml, export_strategy
from goals.interchange.workbook import export_workbook
from goals.models import Strategy


class Command(BaseCommand):
    help = "Export a whole strategy as a YAML document (docs/import-format.md) that import_strategy reads back."

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG", help="The strategy's slug.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
        parser.add_argument(
            "--format",
            choices=("yaml", "xlsx"),
            default="yaml",
            help="yaml (default) or xlsx: the strategy workbook (docs/onboarding.md); xlsx needs -o FILE.",
        )

    def handle(self, *args, slug, output, format, **options):
        strategy = Strategy.objects.filter(slug=slug).first()
        if strategy is None:
            known = ", ".join(Strategy.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f'unknown strategy "{slug}"; known strategies: {known}')
        if format == "xlsx":
            if not output:
                raise CommandError("--format xlsx writes a binary file: give -o FILE.xlsx")
            Path(output).write_bytes(export_workbook(strategy))
            self.stderr.write(f"Wrote {strategy.slug} to {output}")
            return
        text = dump_yaml(export_strategy(strategy))
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {strategy.slug} to {output}")
        else:
            self.stdout.write(text, ending="")
