"""The Django admin changes and deletes nothing that has been reported on.

Walks every model registered with the admin, with every row of a strategy that has published and
locked quarters, updates, evidence, risk scores, metric values and a published pack, as a superuser."""

import hashlib

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from goals import models
from reports.models import Publication, PublishedFile
from tests import factories

# Rows of these models are never reported on: the admin may manage them.
# Not reported on, so not under the rule: groups, and the operational records of the sign-in lockout
# (deleting an attempt is how an admin unlocks an account) and of the background task queue.
NOT_REPORTED = {Group, AccessAttempt, AccessFailureLog, AccessLog, DBTaskResult}


@pytest.fixture
def reported(rated, make_user):
    q1 = rated.q1
    factories.MeasureEvidenceFactory(measure=factories.SuccessMeasureFactory(objective=rated.objectives[0]), period=q1)
    factories.RiskScoreFactory(risk=factories.RiskFactory(strategy=rated.strategy), period=q1)
    factories.MetricValueFactory(metric=factories.MetricFactory(strategy=rated.strategy))
    models.JobTitle.objects.create(person=rated.sharon, job_title="Director of Finance")
    publication = Publication.objects.create(period=q1, layout="progress", version=1)
    content = b"%PDF- the published pack"
    PublishedFile.objects.create(
        publication=publication,
        format="pdf",
        filename="pack.pdf",
        content_type="application/pdf",
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    return rated


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_superuser=True, is_staff=True)


def registered_rows():
    for model, model_admin in admin.site._registry.items():
        if model in NOT_REPORTED:
            continue
        for obj in model._default_manager.all():
            yield model, model_admin, obj


@pytest.mark.django_db
def test_every_admin_model_refuses_to_delete_or_change_reported_rows(reported, superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    seen = set()
    for model, model_admin, obj in registered_rows():
        seen.add(model)
        assert not model_admin.has_delete_permission(request, obj), (model, obj)
        if model is not models.Person and model is not type(superuser):
            assert not model_admin.has_change_permission(request, obj), (model, obj)
        assert not model_admin.get_actions(request), model
        for inline in model_admin.get_inline_instances(request, obj):
            assert not inline.has_delete_permission(request, obj), (model, inline)
            assert not inline.has_change_permission(request, obj), (model, inline)
            assert not inline.has_add_permission(request, obj), (model, inline)
    # Every registered model was walked with at least one row.
    assert seen == set(admin.site._registry) - NOT_REPORTED


WORKFLOW = [
    models.Period,
    models.ActionUpdate,
    models.MeasureEvidence,
    models.RiskScore,
    models.MetricValue,
    models.PersonTitle,
    models.JobTitle,
    Publication,
]


@pytest.mark.django_db
@pytest.mark.parametrize("model", WORKFLOW)
def test_workflow_and_audit_rows_cannot_be_added(reported, superuser, model):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert not admin.site._registry[model].has_add_permission(request)


@pytest.mark.django_db
def test_admin_posts_change_nothing(reported, superuser, client):
    """Through the real URLs: deleting the published quarter or an approved update, editing a locked
    quarter's update text or reverting it from its history are refused and nothing changes."""
    client.force_login(superuser)
    update = models.ActionUpdate.objects.get(action=reported.worse, period=reported.q2)
    progress = update.progress
    refused = [
        reverse("admin:goals_period_delete", args=[reported.q1.pk]),
        reverse("admin:goals_actionupdate_delete", args=[update.pk]),
        reverse("admin:goals_action_delete", args=[reported.worse.pk]),
        reverse("admin:goals_strategy_delete", args=[reported.strategy.pk]),
    ]
    for url in refused:
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    change = reverse("admin:goals_actionupdate_change", args=[update.pk])
    client.post(change, {"progress": "Rewritten", "rag": "green", "state": "approved"})
    history = update.history.earliest()
    revert = reverse("admin:goals_actionupdate_simple_history", args=[update.pk, history.history_id])
    assert client.post(revert, {"progress": "Reverted"}).status_code == 403
    changelist = reverse("admin:goals_actionupdate_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"})
    update.refresh_from_db()
    assert update.progress == progress
    assert models.Period.objects.filter(pk=reported.q1.pk).exists()
    assert models.ActionUpdate.objects.filter(pk=update.pk).exists()
    assert models.Action.objects.filter(pk=reported.worse.pk).exists()
    # The change page still shows the row (read-only).
    assert client.get(change).status_code == 200
