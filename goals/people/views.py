"""The people directory of a strategy, for its administrators: search, add, edit, change a job
title (dated), archive, delete someone named nowhere. Views parse input, call one selector or
service and render; `administered_strategy` answers 404 for an unknown strategy and 403 without
the role, and a person outside the strategy's directory is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_safe

from goals.core.forms import ConfirmForm
from goals.core.pages import form_page
from goals.people import selectors, services
from goals.people.forms import PersonForm, PersonSearchForm, PersonTitleForm


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _day(day) -> str:
    return date_format(day, "j F Y")


def _directory_url(strategy) -> str:
    return reverse("goals:person_list", kwargs={"slug": strategy.slug})


def _person_url(strategy, person) -> str:
    return reverse("goals:person_detail", kwargs={"slug": strategy.slug, "pk": person.pk})


def _crumbs(strategy, person=None, *last) -> list:
    crumbs = [(strategy.name, strategy.get_absolute_url()), ("People", _directory_url(strategy))]
    if person is not None:
        crumbs.append((person.name, _person_url(strategy, person)))
    return crumbs + [(label, None) for label in last]


@require_safe
def person_list(request: HttpRequest, slug: str) -> HttpResponse:
    search = PersonSearchForm(request.GET)
    search.is_valid()
    directory = selectors.person_directory(
        request.user,
        slug=slug,
        query=search.cleaned_data.get("q", ""),
        show_archived=search.cleaned_data.get("archived", False),
    )
    strategy = directory.strategy
    return render(
        request,
        "people/person_list.html",
        {
            "directory": directory,
            "strategy": strategy,
            "search": search,
            "breadcrumbs": [(strategy.name, strategy.get_absolute_url()), ("People", None)],
        },
    )


@require_http_methods(["GET", "POST"])
def person_add(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = selectors.administered_strategy(request.user, slug)

    def act(data):
        person = services.person_create(strategy=strategy, by=request.user, **data)
        return _person_url(strategy, person), f"{person.name} added."

    return form_page(
        request,
        form=PersonForm(_data(request)),
        act=act,
        title="Add a person",
        caption=strategy.name,
        intro="Add someone so they can be named as an SRO, programme lead, lead director or BAF risk owner.",
        button="Add person",
        cancel_url=_directory_url(strategy),
        breadcrumbs=_crumbs(strategy, None, "Add a person"),
    )


@require_safe
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    page = selectors.person_page(request.user, slug=slug, pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {"page": page, "breadcrumbs": _crumbs(page.strategy, None, page.person.name)},
    )


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, person = selectors.directory_person(request.user, slug=slug, pk=pk)

    def act(data):
        services.person_update(strategy=strategy, person=person, by=request.user, **data)
        return _person_url(strategy, person), f"{person.name}'s details saved."

    return form_page(
        request,
        form=PersonForm(_data(request), instance=person),
        act=act,
        title=f"Edit {person.name}",
        caption=strategy.name,
        intro="A change of job title applies from a date: use Change job title on their page.",
        button="Save changes",
        cancel_url=_person_url(strategy, person),
        breadcrumbs=_crumbs(strategy, person, "Edit"),
    )


@require_http_methods(["GET", "POST"])
def person_title_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, person = selectors.directory_person(request.user, slug=slug, pk=pk)

    def act(data):
        services.person_title_change(strategy=strategy, person=person, by=request.user, **data)
        return _person_url(strategy, person), f"{person.name} is {data['job_title']} from {_day(data['starts_on'])}."

    return form_page(
        request,
        form=PersonTitleForm(_data(request)),
        act=act,
        title=f"Change {person.name}'s job title",
        caption=f"Job title now: {person.job_title or 'none'}",
        intro="Reports of quarters ending before the date keep printing the title they had then.",
        button="Change job title",
        cancel_url=_person_url(strategy, person),
        breadcrumbs=_crumbs(strategy, person, "Change job title"),
    )


@require_http_methods(["GET", "POST"])
def person_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, person = selectors.directory_person(request.user, slug=slug, pk=pk)
    archived = person.archived_at is None

    def act(data):
        services.person_archive(strategy=strategy, person=person, archived=archived, by=request.user)
        return _person_url(strategy, person), f"{person.name} {'archived' if archived else 'restored'}."

    verb = "Archive" if archived else "Restore"
    return form_page(
        request,
        form=ConfirmForm(_data(request)),
        act=act,
        title=f"{verb} {person.name}",
        caption=strategy.name,
        intro="Archived people stay in every quarter that named them, but are offered in no new choice."
        if archived
        else "They will be offered again as SRO, lead, lead director and risk owner.",
        warning=archived,
        button=verb,
        cancel_url=_person_url(strategy, person),
        breadcrumbs=_crumbs(strategy, person, verb),
    )


@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy, person = selectors.directory_person(request.user, slug=slug, pk=pk)
    named = selectors.is_named_anywhere(person)

    def act(data):
        services.person_delete(strategy=strategy, person=person, by=request.user)
        return _directory_url(strategy), f"{person.name} deleted."

    return form_page(
        request,
        form=ConfirmForm(_data(request)),
        act=act,
        title=f"Delete {person.name}",
        caption=strategy.name,
        intro=f"{person.name} is named in a strategy or a reported quarter, so they cannot be deleted: archive "
        "them instead."
        if named
        else "They are named nowhere, so they and their job titles are deleted for good.",
        warning=True,
        button="Delete",
        cancel_url=_person_url(strategy, person),
        breadcrumbs=_crumbs(strategy, person, "Delete"),
    )
