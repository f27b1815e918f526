"""Email reminders of the quarterly cycle; run it from cron, e.g. every weekday at 8:00:

    0 8 * * 1-5  cd /srv/strategy-tracker && .venv/bin/python manage.py send_reminders

One email per person per run: a lead hears about every missing or returned update once the
deadline is --days away or has passed; an SRO about every update waiting for review; a BAF risk
owner about every risk not yet scored in such a quarter.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goals.cycle.notifications import DEFAULT_REMINDER_DAYS, reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Email leads with missing or returned updates near the deadline, SROs with updates to review, "
        "and owners of BAF risks not yet scored."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_REMINDER_DAYS,
            help=f"Remind leads when the deadline is this many days away or fewer (default {DEFAULT_REMINDER_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say who would be emailed; send nothing.")
        parser.add_argument(
            "--date", dest="as_of", help="Act as if today were this date (YYYY-MM-DD), e.g. to check a cron set-up."
        )

    def handle(self, *args, days: int, dry_run: bool, as_of: str | None, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more")
        today = self._today(as_of)
        reminder_list = reminders(today=today, days=days)
        for reminder in reminder_list:
            parts = []
            if reminder.to_write:
                parts.append(f"{len(reminder.to_write)} to write")
            if reminder.to_review:
                parts.append(f"{len(reminder.to_review)} to review")
            if reminder.to_score:
                parts.append(f"{len(reminder.to_score)} BAF risk(s) to score")
            where = reminder.address or "no email address: skipped"
            self.stdout.write(f"{reminder.person.name} <{where}>: {', '.join(parts)}")
        if dry_run:
            self.stdout.write(f"Dry run: {len(reminder_list)} email(s) would be sent; nothing was sent.")
            return
        sent, skipped = send_reminders(reminder_list, today=today)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder email(s)."))
        for reminder in skipped:
            self.stderr.write(f"No email address for {reminder.person.name}: add one to remind them.")

    @staticmethod
    def _today(text: str | None):
        if not text:
            return timezone.localdate()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CommandError(f'--date "{text}" is not a date: write it as YYYY-MM-DD') from None
