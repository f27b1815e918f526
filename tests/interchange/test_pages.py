"""Workbook pages: who may use them, what they show, and how many queries they make."""

import copy

import pytest
from django.urls import reverse

from goals import models as m
from goals.interchange.importer import KINDS, import_strategy
from goals.interchange.onboarding import PENDING
from tests import factories
from tests.interchange.workbooks import SMALL_DOCUMENT, SMALL_ROWS, SMALL_STRATEGY_ROWS, filled_template, small_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, url, content: bytes, name="plan.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"workbook": SimpleUploadedFile(name, content, content_type=XLSX)})


def rows_and_history() -> dict:
    counts = {model.__name__: model.objects.count() for model in KINDS}
    counts.update({f"{model.__name__} history": model.history.count() for model in KINDS if hasattr(model, "history")})
    return counts


@pytest.fixture
def strategy(db):
    return import_strategy(copy.deepcopy(SMALL_DOCUMENT)).strategy


@pytest.fixture
def lead(make_user):
    return make_user("lead", person=factories.PersonFactory(key="a-lead", name="A Lead"))


def page_urls(strategy) -> dict[str, str]:
    return {
        "template": reverse("goals:workbook_template"),
        "export": reverse("goals:workbook_export", args=[strategy.slug]),
        "upload": reverse("goals:workbook_upload", args=[strategy.slug]),
        "upload_new": reverse("goals:workbook_upload_new"),
    }


# -- permissions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in(client, strategy):
    before = rows_and_history()
    for name, url in page_urls(strategy).items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
        if name.startswith("upload"):
            response = upload(client, url, small_workbook())
            assert response.status_code == 302 and "login" in response["Location"], url
    assert rows_and_history() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["director", "secretary", "lead"])
def test_users_without_the_role_get_403_and_nothing_changes(client, strategy, request, who):
    client.force_login(request.getfixturevalue(who))
    before = rows_and_history()
    for name, url in page_urls(strategy).items():
        assert client.get(url).status_code == 403, name
        if name.startswith("upload"):
            assert upload(client, url, small_workbook()).status_code == 403, name
    assert rows_and_history() == before
    assert PENDING not in client.session


@pytest.mark.django_db
def test_a_preview_is_only_for_the_session_that_uploaded_it(client, strategy, admin_user, make_user):
    client.force_login(admin_user)
    response = upload(client, reverse("goals:workbook_upload_new"), changed_workbook())
    preview = response["Location"]
    assert client.get(preview).status_code == 200

    other = make_user("other-admin", role="Strategy admins")
    client.force_login(other)  # a new session
    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
    assert client.get(reverse("goals:workbook_preview", args=["0" * 64])).status_code == 404
    assert m.Action.objects.get(objective__key="access", number=1).title == "One phone number"


@pytest.mark.django_db
def test_unknown_strategies_answer_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("goals:workbook_upload", args=["nowhere"])).status_code == 404
    assert client.get(reverse("goals:workbook_export", args=["nowhere"])).status_code == 404


@pytest.mark.django_db
def test_a_workbook_for_another_strategy_is_refused_on_this_one(client, strategy, admin_user):
    other = factories.StrategyFactory(slug="other-strategy")
    client.force_login(admin_user)
    before = rows_and_history()
    response = upload(client, reverse("goals:workbook_upload", args=[other.slug]), small_workbook())
    assert response.status_code == 200
    assert "Strategy!B2: this workbook is for &quot;small-trust&quot;, not &quot;other-strategy&quot;" in (
        response.content.decode()
    )
    assert rows_and_history() == before


# -- the pages ---------------------------------------------------------------------------------


def changed_workbook() -> bytes:
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][2][3] = "One phone number for every service"
    rows["Actions"].append(["Great Place to Work", "Staff wellbeing", 3, "Mentoring"])
    return filled_template(rows, SMALL_STRATEGY_ROWS)


@pytest.mark.django_db
def test_the_downloads(client, strategy, admin_user):
    client.force_login(admin_user)
    template = client.get(reverse("goals:workbook_template"))
    assert template.status_code == 200 and template["Content-Type"] == XLSX
    assert 'filename="strategy-workbook-template.xlsx"' in template["Content-Disposition"]
    export = client.get(reverse("goals:workbook_export", args=[strategy.slug]))
    assert export.status_code == 200 and 'filename="small-trust.xlsx"' in export["Content-Disposition"]
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert reverse("goals:workbook_export", args=[strategy.slug]) in page


@pytest.mark.django_db
def test_the_strategy_page_offers_the_workbook_to_admins_only(client, strategy, director):
    client.force_login(director)
    page = client.get(strategy.get_absolute_url()).content.decode()
    assert reverse("goals:workbook_export", args=[strategy.slug]) not in page


@pytest.mark.django_db
def test_upload_preview_confirm(client, strategy, admin_user):
    client.force_login(admin_user)
    url = reverse("goals:workbook_upload", args=[strategy.slug])
    assert client.get(url).status_code == 200
    before = rows_and_history()

    response = upload(client, url, changed_workbook())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "1 row will be created, 1 changed" in page
    assert "Action 3: Mentoring" in page and "Action 1: One phone number for every service" in page
    assert rows_and_history() == before  # the preview wrote nothing

    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302 and confirmed["Location"] == strategy.get_absolute_url()
    assert m.Action.objects.get(objective__key="access", number=1).title == "One phone number for every service"
    assert m.Action.objects.filter(objective__key="wellbeing").count() == 3
    assert PENDING not in client.session
    assert client.get(response["Location"]).status_code == 404  # confirmed once only


@pytest.mark.django_db
def test_a_new_strategy_from_a_workbook(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, reverse("goals:workbook_upload_new"), small_workbook())
    assert "This workbook creates a new strategy" in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    strategy = m.Strategy.objects.get(slug="small-trust")
    assert strategy.history.get().history_user == admin_user


@pytest.mark.django_db
def test_a_workbook_with_errors_lists_them_in_the_error_summary_and_writes_nothing(client, admin_user):
    rows = copy.deepcopy(SMALL_ROWS)
    rows["Actions"][0][8] = "Jo Blogs"
    client.force_login(admin_user)
    response = upload(client, reverse("goals:workbook_upload_new"), filled_template(rows, SMALL_STRATEGY_ROWS))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Actions!I2: unknown person &quot;Jo Blogs&quot; — did you mean &quot;Jo Bloggs&quot;?" in page
    assert not m.Strategy.objects.exists()
    assert PENDING not in client.session


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, reverse("goals:workbook_upload_new"), b"format: strategy-tracker/1\n", "plan.yaml")
    assert "this is not an Excel workbook" in response.content.decode()


# -- query counts ------------------------------------------------------------------------------

# preview: + the owning organisation and raising the data versions
PINNED = {"template": 3, "upload": 4, "preview": 35, "export": 22}


def more_rows(actions: int) -> dict:
    """The small workbook with `actions` more actions, each with an update, and one more person."""
    rows = copy.deepcopy(SMALL_ROWS)
    for number in range(3, 3 + actions):
        rows["Actions"].append(["Great Place to Work", "Staff wellbeing", number, f"Action {number}", None, None])
        rows["Updates"].append(
            ["Great Place to Work", "Staff wellbeing", number, "2024-Q3", "green", "Done.", None, None, None, "draft"]
        )
    rows["People"].append([None, "Extra Person", "Nurse"])
    return rows


@pytest.mark.django_db
def test_the_pages_make_a_fixed_number_of_queries(client, admin_user, count_queries):
    client.force_login(admin_user)
    counts = []
    for rows in (more_rows(2), more_rows(20)):
        m.Strategy.objects.all().delete()
        m.Person.objects.all().delete()
        import_strategy(copy.deepcopy(SMALL_DOCUMENT))
        upload_url = reverse("goals:workbook_upload", args=["small-trust"])
        response = upload(client, upload_url, filled_template(rows, SMALL_STRATEGY_ROWS))
        found = {
            "template": count_queries(client, reverse("goals:workbook_template")),
            "upload": count_queries(client, upload_url),
            "preview": count_queries(client, response["Location"]),
        }
        client.post(response["Location"])
        found["export"] = count_queries(client, reverse("goals:workbook_export", args=["small-trust"]))
        counts.append(found)
    assert counts[0] == counts[1] == PINNED
