import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_render(client, structure):
    s = structure
    client.force_login(s.admin)
    slug = s.strategy.slug
    urls = [
        reverse("goals:strategy_create"),
        reverse("goals:strategy_setup", kwargs={"slug": slug}),
        reverse("goals:strategy_edit", kwargs={"slug": slug}),
        reverse("goals:success_statements_edit", kwargs={"slug": slug}),
        reverse("goals:goal_create", kwargs={"slug": slug}),
        reverse("goals:goal_edit", kwargs={"slug": slug, "pk": s.access.pk}),
        reverse("goals:objective_create", kwargs={"slug": slug, "parent": s.access.pk}),
        reverse("goals:objective_edit", kwargs={"slug": slug, "pk": s.waits.pk}),
        reverse("goals:measure_create", kwargs={"slug": slug, "parent": s.waits.pk}),
        reverse("goals:measure_edit", kwargs={"slug": slug, "pk": s.measure.pk}),
        reverse("goals:action_create", kwargs={"slug": slug, "parent": s.waits.pk}),
        reverse("goals:action_edit", kwargs={"slug": slug, "pk": s.reported.pk}),
        reverse("goals:action_move", kwargs={"slug": slug, "pk": s.reported.pk}),
        reverse("goals:action_delete", kwargs={"slug": slug, "pk": s.reported.pk}),
        reverse("goals:goal_delete", kwargs={"slug": slug, "pk": s.quality.pk}),
        reverse("goals:metric_create", kwargs={"slug": slug}),
        reverse("goals:metric_edit", kwargs={"slug": slug, "pk": s.metric.pk}),
        reverse("goals:strategy_detail", kwargs={"slug": slug}),
        reverse("goals:action_detail", kwargs={"pk": s.reported.pk}),
        reverse("goals:strategy_list"),
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
