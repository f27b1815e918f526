"""Input a page cannot use is refused with a page or message that says so, never a 500 or a bare
400: a NUL byte in a metric CSV or in the address, a form post too large to read, malformed data."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals.models import ActionUpdate, MetricValue
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def falls(cycle):
    metric = factories.MetricFactory(strategy=cycle.strategy, key="falls", name="Falls")
    MetricValue.objects.create(metric=metric, date=datetime.date(2024, 1, 1), value=Decimal(3))
    return metric


def test_a_metric_csv_with_a_nul_byte_is_refused_with_a_message(client, secretary, falls):
    client.force_login(secretary)
    upload = SimpleUploadedFile("falls.csv", b"date,value,annotation\n01/02/2024,4,Agency\x00spend\n")
    response = client.post(reverse("goals:metric_values_upload", args=["better-care", "falls"]), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content and "The file contains NUL characters" in content
    assert falls.values.count() == 1


def test_a_metric_csv_that_is_not_utf8_is_refused_with_a_message(client, secretary, falls):
    client.force_login(secretary)
    upload = SimpleUploadedFile("falls.csv", b"date,value\n01/02/2024,4\xff\xfe\n")
    response = client.post(reverse("goals:metric_values_upload", args=["better-care", "falls"]), {"file": upload})
    assert response.status_code == 200 and "The file is not UTF-8 text" in response.content.decode()
    assert falls.values.count() == 1


def test_a_nul_byte_in_the_address_gets_a_400_page(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("goals:action_list") + "?q=waits%00")
    assert response.status_code == 400
    assert "Sorry, there is a problem with what was sent" in response.content.decode()


def update_url(cycle):
    return reverse("goals:update_edit", args=[cycle.action.pk, "2024-Q3"])


def test_a_3_mb_update_is_shown_again_as_typed_with_the_limit(client, cycle):
    client.force_login(cycle.lead)
    typed = "Waits are down. " + "x" * 3_000_000
    response = client.post(update_url(cycle), {"rag": "green", "progress": typed, "action": "save"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "nhsuk-error-summary" in content and "Waits are down. xxxx" in content
    assert not ActionUpdate.objects.filter(action=cycle.action, period=cycle.period).exists()


def test_a_post_too_large_to_read_shows_the_form_again_with_a_message(client, cycle, settings):
    settings.REQUEST_MAX_BYTES = 1_000_000
    client.force_login(cycle.lead)
    response = client.post(update_url(cycle), {"rag": "green", "progress": "x" * 1_200_000, "action": "save"})
    assert response.status_code == 413
    content = response.content.decode()
    assert "What you sent is larger than 1 MB, so nothing was saved" in content
    assert 'name="progress"' in content  # the form, ready to try again
    assert not ActionUpdate.objects.filter(action=cycle.action, period=cycle.period).exists()


def test_a_malformed_request_gets_the_friendly_400_page(client, cycle, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(cycle.lead)
    response = client.post(update_url(cycle), {f"field{n}": "x" for n in range(10)})
    assert response.status_code == 400
    assert "Sorry, there is a problem with what was sent" in response.content.decode()
