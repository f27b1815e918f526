from django.db import models
from django.shortcuts import get_object_or_404

from goals.core.choices import UpdateState
from goals.core.quarters import Quarter, parse_quarter

# An update counts as "reported" once its lead has submitted it; drafts and returned updates
# are still the lead's work in progress and are not shown to readers as the action's RAG.
REPORTED_STATES = (UpdateState.SUBMITTED, UpdateState.APPROVED)


class ActionUpdateQuerySet(models.QuerySet):
    def reported(self):
        return self.filter(state__in=REPORTED_STATES)

    def latest_first(self):
        return self.order_by("-period__year", "-period__quarter")


class PeriodQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("year", "quarter")

    def at(self, quarter: Quarter | str):
        """The periods of one quarter (a `Quarter`, or a slug such as "2024-Q2"): the one way a
        quarter is looked up. A slug that is not a quarter matches nothing."""
        if not isinstance(quarter, Quarter):
            try:
                quarter = parse_quarter(str(quarter))
            except ValueError:
                return self.none()
        return self.filter(year=quarter.year, quarter=quarter.quarter)

    def get_at_or_404(self, quarter: Quarter | str, **lookup):
        """The period of `quarter` matching `lookup` (e.g. `strategy_id=…`), or Http404."""
        return get_object_or_404(self.at(quarter), **lookup)
