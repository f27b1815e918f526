"""manage.py export_report <strategy-slug> <quarter> --layout progress|highlight --format html|pdf|docx|xlsx -o FILE

Writes a board pack for scripted board-paper runs, rendered now from the quarter's reported
updates (the same builder and renderers as the browser). Published packs are downloaded from the
Board packs page instead: they are never rendered again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from reports.builder import LAYOUTS, build_report, report_period
from reports.renderers import FORMAT_NAMES, output_format


class Command(BaseCommand):
    help = "Write a strategy's board pack for one quarter as HTML, PDF, Word or Excel."

    def add_arguments(self, parser):
        parser.add_argument("strategy", help="the strategy's slug, e.g. step-up-to-great")
        parser.add_argument("quarter", help="the quarter's slug or label, e.g. 2024-Q2 or 'Q2 2024/25'")
        parser.add_argument(
            "--layout",
            choices=LAYOUTS,
            default=None,
            help="progress or highlight (default: the strategy's default layout)",
        )
        parser.add_argument(
            "--format", dest="format_name", choices=FORMAT_NAMES, default="pdf", help="output format (default pdf)"
        )
        parser.add_argument(
            "-o",
            "--output",
            default=None,
            help="file to write (default: the pack's own file name, e.g. "
            "step-up-to-great-2024-Q2-progress.pdf, in the current directory); - for stdout",
        )

    def handle(self, *args, strategy, quarter, layout, format_name, output, **options):
        try:
            period = report_period(strategy, quarter)
        except Http404:
            raise CommandError(
                f'No quarter "{quarter}" of a strategy "{strategy}": check both with the Board packs page.'
            )
        layout = layout or period.strategy.default_layout
        spec = output_format(format_name)
        report = build_report(period=period, layout=layout)
        content = spec.render(report)
        if output == "-":
            binary = getattr(self.stdout._out, "buffer", None)
            if binary is None:
                raise CommandError("Standard output cannot take binary data here: give -o FILE.")
            binary.write(content)
            binary.flush()
            return
        path = Path(output or report.filename(spec.extension))
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}")
        self.stderr.write(f"Wrote {path} ({len(content):,} bytes): {report.title}, {spec.label}")
