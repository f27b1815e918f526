"""The NHS.UK page shell, the RAG tag and the crispy `nhsuk` form pack, rendered directly."""

import re

import django_tables2 as tables
import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Button, ButtonHolder, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from goals.core.choices import NOT_RATED, RAG, RAG_MEANINGS, RAG_STYLES


class UpdateForm(forms.Form):
    """A stand-in for a quarterly update form, with one field of each kind the pack draws."""

    title = forms.CharField(max_length=100, help_text="A short name.")
    rag = forms.ChoiceField(label="RAG rating", choices=RAG.choices, widget=forms.RadioSelect)
    narrative = forms.CharField(widget=forms.Textarea, max_length=4000)
    due = forms.DateField(widget=forms.SelectDateWidget, required=False)

    choice_hints = {"rag": RAG_MEANINGS}


def render_form(form, template="{% load crispy_forms_tags %}{% crispy form %}"):
    request = RequestFactory().post("/update/")
    request.user = AnonymousUser()
    return Template(template).render(Context({"form": form, "request": request}))


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def rendered_with_errors():
    form = UpdateForm(data={"title": "", "rag": "amber", "narrative": "Typed before the error"})
    assert not form.is_valid()
    return squash(render_form(form))


def test_the_error_summary_links_to_the_field_with_the_error(rendered_with_errors):
    assert 'class="nhsuk-error-summary"' in rendered_with_errors
    assert "There is a problem" in rendered_with_errors
    assert '<div role="alert">' in rendered_with_errors
    assert '<a href="#id_title">This field is required.</a>' in rendered_with_errors


def test_the_error_message_is_printed_at_the_field(rendered_with_errors):
    assert "nhsuk-form-group nhsuk-form-group--error" in rendered_with_errors
    assert (
        '<span class="nhsuk-error-message" id="id_title_error"> '
        '<span class="nhsuk-u-visually-hidden">Error: </span>This field is required.'
    ) in rendered_with_errors
    title_input = re.search(r'<input type="text" name="title"[^>]*>', rendered_with_errors).group()
    assert "nhsuk-input--error" in title_input
    assert 'aria-describedby="id_title_helptext id_title_error"' in title_input


def test_what_the_user_typed_is_kept(rendered_with_errors):
    assert "Typed before the error</textarea>" in rendered_with_errors
    amber = re.search(r'<input type="radio" name="rag" value="amber"[^>]*>', rendered_with_errors).group()
    assert " checked" in amber


def test_the_error_summary_is_printed_once_when_the_page_prints_it_above_the_heading():
    form = UpdateForm(data={})
    html = render_form(
        form,
        '{% load crispy_forms_tags %}{% include "includes/error_summary.html" with form=form %}'
        "<h1>Update</h1>{{ form|crispy }}",
    )
    assert html.count("nhsuk-error-summary__heading") == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")


def test_radios_are_a_fieldset_with_a_hint_for_each_choice():
    html = squash(render_form(UpdateForm()))
    assert '<legend class="nhsuk-fieldset__legend">RAG rating</legend>' in html
    assert 'class="nhsuk-radios" data-module="nhsuk-radios"' in html
    # The first radio carries the field's id, so error summary links land on it.
    assert re.search(r'<input type="radio" name="rag" value="green"[^>]*id="id_rag"', html)
    assert re.search(r'value="amber"[^>]*aria-describedby="id_rag-2-item-hint"', html)
    assert (
        '<div class="nhsuk-hint nhsuk-radios__hint" id="id_rag-2-item-hint">'
        "At risk: slippage, with a mitigation in hand.</div>"
    ) in html


def test_choice_hints_can_come_from_the_widget():
    class Form(forms.Form):
        status = forms.ChoiceField(choices=[("a", "Active"), ("b", "Stepped down")], widget=forms.RadioSelect)

    form = Form()
    form.fields["status"].widget.choice_hints = {"b": "Improvements were sustained."}
    html = squash(render_form(form))
    assert 'id="id_status-2-item-hint">Improvements were sustained.</div>' in html
    assert "choice_hints" not in html


def test_a_textarea_with_a_limit_gets_the_nhs_character_count():
    html = squash(render_form(UpdateForm()))
    assert 'class="nhsuk-form-group nhsuk-character-count" id="div_id_narrative" ' in html
    assert 'data-module="nhsuk-character-count" data-maxlength="4000"' in html
    assert "You can enter up to 4000 characters" in html
    textarea = re.search(r"<textarea[^>]*>", html).group()
    assert "nhsuk-textarea nhsuk-js-character-count" in textarea
    assert 'aria-describedby="id_narrative-info"' in textarea
    assert "maxlength" not in textarea  # the count warns; a long paste is not cut off


def test_a_date_is_three_boxes_that_keep_what_was_typed():
    form = UpdateForm(data={"due_day": "31", "due_month": "02", "due_year": "twenty"})
    html = squash(render_form(form))
    assert 'class="nhsuk-fieldset" role="group"' in html
    assert 'id="id_due_day"' in html and 'value="31"' in html
    assert 'name="due_year" type="text" value="twenty"' in html
    assert '<a href="#id_due_day">Enter a valid date.</a>' in html


def test_optional_fields_say_so_in_the_label():
    html = squash(render_form(UpdateForm()))
    assert '<legend class="nhsuk-fieldset__legend">Due (optional)</legend>' in html
    assert '<label class="nhsuk-label" for="id_title">Title</label>' in html


def test_layout_buttons_are_nhs_buttons_in_a_button_group():
    form = UpdateForm()
    form.helper = FormHelper()
    form.helper.layout = Layout(
        Fieldset("Progress this quarter", "title", "rag", "narrative", "due"),
        ButtonHolder(Submit("submit", "Submit for approval"), Button("cancel", "Cancel")),
    )
    html = squash(render_form(form))
    assert '<h2 class="nhsuk-fieldset__heading">Progress this quarter</h2>' in html
    assert '<div class="nhsuk-button-group">' in html
    assert '<button type="submit" class="nhsuk-button" data-module="nhsuk-button" name="submit"' in html
    assert 'class="nhsuk-button nhsuk-button--secondary"' in html
    assert "btn" not in html


def test_a_helper_without_a_form_tag_renders_only_the_fields():
    form = UpdateForm()
    form.helper = FormHelper()
    form.helper.form_tag = False
    html = render_form(form)
    assert "<form" not in html
    assert 'name="title"' in html


@pytest.mark.parametrize("value", [RAG.GREEN, RAG.AMBER, RAG.RED, RAG.BLUE, NOT_RATED, None])
def test_rag_tag_prints_the_word_with_its_nhs_tag_colour(value):
    style = RAG_STYLES[value or NOT_RATED]
    html = Template("{% load nhsuk %}{% rag_tag value %}").render(Context({"value": value}))
    assert html.strip() == f'<strong class="nhsuk-tag {style.tag_class}">{style.label}</strong>'


def test_amber_is_a_yellow_tag():
    html = Template("{% load nhsuk %}{% rag_tag 'amber' %}").render(Context())
    assert 'class="nhsuk-tag nhsuk-tag--yellow">Amber<' in html


@pytest.mark.parametrize("value", [RAG.GREEN, RAG.AMBER, RAG.RED, RAG.BLUE, NOT_RATED])
def test_compact_rag_tag_prints_the_letter_and_a_hidden_word(value):
    style = RAG_STYLES[value]
    html = Template("{% load nhsuk %}{% rag_tag value compact=True %}").render(Context({"value": value}))
    assert f'<span aria-hidden="true">{style.letter}</span>' in html
    assert f'<span class="nhsuk-u-visually-hidden">{style.label}</span>' in html
    assert style.tag_class in html


def test_rag_filters():
    html = Template("{% load nhsuk %}{{ v|rag_label }} {{ v|rag_letter }} {{ n|rag_label }}").render(
        Context({"v": "red", "n": ""})
    )
    assert html == "Red R Not rated"


def render_page(context=None, path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return render_to_string("base.html", context or {}, request=request)


def test_base_page_is_english_with_a_skip_link_to_main():
    html = render_page()
    assert '<html lang="en">' in html
    skip_link = '<a class="nhsuk-skip-link" data-module="nhsuk-skip-link" href="#maincontent">Skip to main content</a>'
    assert skip_link in html
    assert '<main class="nhsuk-main-wrapper ' in html and 'id="maincontent"' in html
    assert 'class="nhsuk-header__service-name">Strategy Tracker</span>' in html
    # NHS.UK frontend is started by a module script file (the Content-Security-Policy allows no inline script).
    assert '<script type="module" src="/static/js/init.js"></script>' in html and "<script>" not in html
    assert "initAll()" in (settings.BASE_DIR / "static" / "js" / "init.js").read_text()
    assert "Sign out" not in html  # anonymous


def test_breadcrumbs_link_parents_and_not_the_current_page():
    html = squash(render_page({"breadcrumbs": [("Strategies", "/"), ("Step Up To Great", "/s/"), ("Goal 1", None)]}))
    assert '<a class="nhsuk-breadcrumb__link" href="/s/">Step Up To Great</a>' in html
    assert '<li class="nhsuk-breadcrumb__list-item" aria-current="page">Goal 1</li>' in html
    back_link = '<a class="nhsuk-back-link" href="/s/"> <span class="nhsuk-u-visually-hidden">Back to </span>'
    assert back_link + "Step Up To Great" in html  # what small screens show


def test_a_signed_in_user_can_sign_out_with_a_post_form(django_user_model):
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user(username="lead", first_name="Ann", last_name="Lead")
    html = squash(render_to_string("base.html", {}, request=request))
    assert "Ann Lead" in html
    assert f'action="{reverse("logout")}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button class="nhsuk-header__account-button">Sign out</button>' in html


def test_the_login_page_renders_for_anonymous_users(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = squash(response.content.decode())
    assert "<h1>Sign in</h1>" in html
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert "nhsuk-error-summary" not in html
    assert "autofocus" not in html  # the skip link stays the first thing Tab reaches


def test_a_bad_password_shows_the_error_summary(client, django_user_model):
    django_user_model.objects.create_user(username="lead", password="right-password-123")
    response = client.post(reverse("login"), {"username": "lead", "password": "wrong", "next": "/"})
    assert response.status_code == 200
    html = squash(response.content.decode())
    assert html.count("nhsuk-error-summary__heading") == 1
    assert '<a href="#id_username">Enter a correct username and password</a>' in html
    assert '<span class="nhsuk-u-visually-hidden">Error: </span>Enter a correct username and password' in html
    assert 'value="lead"' in html  # the username typed is kept
    assert "<title>Error: Sign in" in html


class ActionTable(tables.Table):
    caption = "Actions"
    title = tables.Column()
    rag = tables.TemplateColumn("{% load nhsuk %}{% rag_tag value compact=True %}", verbose_name="RAG", orderable=False)


def test_tables_are_nhs_tables_with_sortable_headers_and_pagination():
    request = RequestFactory().get("/actions/", {"sort": "-title", "page": "2", "goal": "3"})
    request.user = AnonymousUser()
    table = ActionTable([{"title": f"Action {n}", "rag": "amber"} for n in range(30)])
    tables.RequestConfig(request, paginate={"per_page": 10}).configure(table)
    html = squash(
        Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request})
        )
    )
    assert 'class="nhsuk-table nhsuk-table--sortable"' in html
    assert '<caption class="nhsuk-table__caption" id="table-caption">Actions' in html
    assert 'data-sort aria-sort="descending"> <a class="nhsuk-link" href="?sort=title&amp;goal=3">Title</a>' in html
    assert '<td class="nhsuk-table__cell"><strong class="nhsuk-tag nhsuk-tag--yellow app-tag--compact"' in html
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in html
    current = re.search(r"href=.\?([^\"]*). aria-label=.Page 2. aria-current=.page.", html)
    assert sorted(current.group(1).split("&amp;")) == ["goal=3", "page=2", "sort=-title"]  # filters kept


def test_filter_forms_do_not_mark_their_fields_optional():
    from goals.status.filters import ActionFilterChoices, ActionFilterSet

    choices = ActionFilterChoices(strategies=[], quarters=[], goals=[], objectives=[])
    form = ActionFilterSet(queryset=None, choices=choices).form
    for name in ("rag", "goal", "q", "sro", "lead"):
        assert "(optional)" not in render_to_string("nhsuk/field.html", {"field": form[name]})


def test_the_table_tag_draws_the_one_nhs_table_around_the_rows():
    html = squash(
        Template(
            '{% load nhsuk %}{% table caption_id="people-caption" caption_class="nhsuk-u-visually-hidden"'
            ' headers="Name|Age|Action" numeric="Age" hidden="Action" %}People of {{ team }}{% rows %}'
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">Ann</td></tr>{% endtable %}'
        ).render(Context({"team": "A & B"}))
    )
    assert '<div class="app-table-scroll" role="region" aria-labelledby="people-caption" tabindex="0">' in html
    assert (
        '<caption class="nhsuk-table__caption nhsuk-u-visually-hidden" id="people-caption">People of A &amp; B</caption>'
        in html
    )
    assert '<th scope="col" class="nhsuk-table__header nhsuk-table__header--numeric">Age</th>' in html
    assert (
        '<th scope="col" class="nhsuk-table__header"><span class="nhsuk-u-visually-hidden">Action</span></th>' in html
    )
    assert (
        '<tbody class="nhsuk-table__body"> <tr class="nhsuk-table__row"><td class="nhsuk-table__cell">Ann</td></tr>'
        in html
    )


def test_a_table_without_a_caption_id_is_named_by_its_label_or_caption():
    html = squash(
        Template('{% load nhsuk %}{% table caption="Users" headers="User|Email" %}{% endtable %}').render(Context())
    )
    assert (
        'role="region" aria-label="Users" tabindex="0"' in html
        and '<caption class="nhsuk-table__caption">Users</caption>' in html
    )
