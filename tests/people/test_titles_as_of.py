"""A job-title change dated after Q2 2024/25 leaves that quarter's pack and status pages with the
old title, and Q3 2024/25 prints the new one; Q1 2023/24 keeps the title imported for it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.models import Period, Person, people_as_of
from goals.people import services
from reports.builder import build_report
from reports.renderers.html import render_html

OLD = "David Williams, Executive Director of Strategy and Partnerships"
NEW = "David Williams, Chief Strategy Officer"
FIRST = "David Williams, Group Director of Strategy &amp; Partnerships"


@pytest.fixture
def promoted(demo_data):
    david = Person.objects.get(key="david-williams")
    periods = {p.slug: p for p in Period.objects.filter(strategy__slug="step-up-to-great")}
    services.person_title_change(
        strategy=periods["2024-Q2"].strategy,
        person=david,
        job_title="Chief Strategy Officer",
        starts_on=datetime.date(2024, 10, 1),
        by=get_user_model().objects.get(username="admin"),
    )
    return david, periods


def pack(period, layout="progress") -> str:
    return render_html(build_report(period=period, layout=layout)).decode()


@pytest.mark.django_db
def test_people_as_of_reads_the_snapshot_then_the_dated_title_then_todays(promoted):
    david, periods = promoted
    assert str(people_as_of(periods["2023-Q1"], [david])[david.pk]) == FIRST.replace("&amp;", "&")
    assert str(people_as_of(periods["2024-Q2"], [david])[david.pk]) == OLD
    assert str(people_as_of(periods["2024-Q3"], [david])[david.pk]) == NEW
    david.refresh_from_db()
    assert david.job_title == "Chief Strategy Officer"  # in force today


@pytest.mark.django_db
def test_the_q2_pack_keeps_the_old_title_and_q3_prints_the_new(promoted):
    _, periods = promoted
    q2 = pack(periods["2024-Q2"])
    assert OLD in q2 and NEW not in q2
    q3 = pack(periods["2024-Q3"])
    assert NEW in q3 and OLD not in q3
    q1 = pack(periods["2023-Q1"], layout="highlight")
    assert FIRST in q1 and NEW not in q1


@pytest.mark.django_db
def test_the_status_pages_print_the_title_of_their_quarter(client, promoted):
    client.force_login(get_user_model().objects.get(username="director"))
    address = reverse("goals:action_list")
    q2 = client.get(address, {"strategy": "step-up-to-great", "quarter": "2024-Q2"}).content.decode()
    assert OLD in q2 and NEW not in q2
    q3 = client.get(address, {"strategy": "step-up-to-great", "quarter": "2024-Q3"}).content.decode()
    assert NEW in q3 and OLD not in q3
    dashboard = client.get(reverse("goals:dashboard", kwargs={"slug": "step-up-to-great", "quarter": "2024-Q2"}))
    assert OLD in dashboard.content.decode()
