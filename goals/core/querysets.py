from django.db import models

from goals.core.choices import UpdateState

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
