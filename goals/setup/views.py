"""Strategy administration pages: a strategy's set-up page, the create/edit forms of the strategy,
its goals, objectives, success measures, actions and metrics, and the buttons that reorder,
move, archive, restore and delete them.

Every page and POST asks `may_administer(user, strategy)` before reading any input (403), and
finds rows only through their strategy's URL (404 for another strategy's row); the services
check the same again. Views parse input, call one service or selector and render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from goals.core import permissions
from goals.models import Strategy
from goals.setup import selectors, services
from goals.setup.forms import (
    ActionForm,
    ActionMoveForm,
    GoalForm,
    MetricForm,
    ObjectiveForm,
    StrategyForm,
    SuccessMeasureForm,
    apply_errors,
)

FORMS = {
    "goal": GoalForm,
    "objective": ObjectiveForm,
    "measure": SuccessMeasureForm,
    "action": ActionForm,
    "metric": MetricForm,
}
# What each kind is called on its pages.
NOUNS = {
    "goal": "goal",
    "objective": "objective",
    "measure": "success measure",
    "action": "action",
    "metric": "metric",
}
CREATE_SERVICES = {
    "goal": services.goal_create,
    "objective": services.objective_create,
    "measure": services.measure_create,
    "action": services.action_create,
    "metric": services.metric_create,
}
UPDATE_SERVICES = {
    "goal": services.goal_update,
    "objective": services.objective_update,
    "measure": services.measure_update,
    "action": services.action_update,
    "metric": services.metric_update,
}
# The parent a new row is created in: (kind of parent, keyword of the create service).
PARENTS = {
    "goal": (None, "strategy"),
    "metric": (None, "strategy"),
    "objective": ("goal", "goal"),
    "measure": ("objective", "objective"),
    "action": ("objective", "objective"),
}


def _strategy_administered(request: HttpRequest, slug: str) -> Strategy:
    strategy = selectors.strategy_for_setup(slug)
    if not permissions.may_administer(request.user, strategy):
        raise PermissionDenied("Only an administrator of this strategy can set it up.")
    return strategy


def _setup_url(strategy: Strategy, anchor: str = "") -> str:
    return reverse("goals:strategy_setup", kwargs={"slug": strategy.slug}) + (f"#{anchor}" if anchor else "")


def _crumbs(strategy: Strategy | None, title: str) -> list[tuple[str, str | None]]:
    trail = [("Strategies", reverse("goals:strategy_list"))]
    if strategy is not None:
        trail += [(strategy.name, strategy.get_absolute_url()), ("Set up", _setup_url(strategy))]
    return [*trail, (title, None)]


def _form_page(request, strategy, *, form, title, button, history=(), status=200, **context) -> HttpResponse:
    cancel = _setup_url(strategy) if strategy is not None else reverse("goals:strategy_list")
    return render(
        request,
        "setup/edit_form.html",
        {
            "strategy": strategy,
            "form": form,
            "title": title,
            "button": button,
            "cancel_url": cancel,
            "history": history,
            "breadcrumbs": _crumbs(strategy, title),
            **context,
        },
        status=status,
    )


def _run(form, call: Callable) -> object | None:
    """Call the service; on a ValidationError put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        apply_errors(form, error)
        return None


# --- Strategy ----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def strategy_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may_administer(request.user, Strategy()):
        raise PermissionDenied("Only a strategy administrator can create a strategy.")
    form = StrategyForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        strategy = _run(form, lambda: services.strategy_create(fields=form.cleaned_data, by=request.user))
        if strategy:
            messages.success(request, f"{strategy.name} created. Add its goals next.")
            return redirect(_setup_url(strategy))
    return _form_page(request, None, form=form, title="Create a strategy", button="Create strategy")


@require_safe
def strategy_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """The strategy's whole structure with edit, add, move, archive and delete controls."""
    strategy = selectors.strategy_setup(_strategy_administered(request, slug))
    return render(
        request,
        "setup/strategy_setup.html",
        {
            "strategy": strategy,
            "breadcrumbs": [
                ("Strategies", reverse("goals:strategy_list")),
                (strategy.name, strategy.get_absolute_url()),
                ("Set up", None),
            ],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def strategy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        if _run(form, lambda: services.strategy_update(strategy=strategy, fields=form.cleaned_data, by=request.user)):
            messages.success(request, "Strategy saved.")
            return redirect(_setup_url(strategy))
        strategy.refresh_from_db()
    return _form_page(
        request,
        strategy,
        form=form,
        title="Edit the strategy",
        button="Save strategy",
        history=selectors.history_for("strategy", strategy),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def success_statements_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The "we will know we are successful when" list: edit, add, move up/down and remove each
    statement with buttons (no JavaScript); nothing is saved until "Save statements"."""
    strategy = _strategy_administered(request, slug)
    statements = list(strategy.success_statements) if request.method != "POST" else request.POST.getlist("statement")
    error = ""
    if request.method == "POST":
        intent = request.POST.get("intent", "save")
        verb, _, at = intent.partition(":")
        i = int(at) if at.isdigit() and int(at) < len(statements) else None
        if verb == "add":
            statements.append("")
        elif verb == "remove" and i is not None:
            statements.pop(i)
        elif verb in ("up", "down") and i is not None:
            j = i - 1 if verb == "up" else i + 1
            if 0 <= j < len(statements):
                statements[i], statements[j] = statements[j], statements[i]
        else:
            try:
                services.strategy_update(strategy=strategy, fields={"success_statements": statements}, by=request.user)
            except ValidationError as refused:
                error = refused.message_dict["success_statements"][0]
            else:
                messages.success(request, "Success statements saved.")
                return redirect(_setup_url(strategy, "success-statements"))
    title = "We will know we are successful when"
    return render(
        request,
        "setup/success_statements.html",
        {
            "strategy": strategy,
            "statements": statements or [""],
            "error": error,
            "limit": services.STATEMENT_LIMIT,
            "title": title,
            "history": selectors.history_for("strategy", strategy),
            "breadcrumbs": _crumbs(strategy, "Success statements"),
        },
    )


# --- Goals, objectives, measures, actions, metrics ----------------------------------------------


def _form_for(kind: str, strategy: Strategy, data=None, instance=None):
    form_class = FORMS[kind]
    extra = {"strategy": strategy} if kind == "metric" else {}
    return form_class(data, instance=instance, **extra)


def _call_service(service, form, by, **target):
    """Call a create or update service with the form's fields (and people, for the forms that choose them)."""
    if form.people_fields:
        return service(**target, fields=form.fields_for_service(), **form.people_for_service(), by=by)
    return service(**target, fields=form.fields_for_service(), by=by)


@require_http_methods(["GET", "HEAD", "POST"])
def row_create(request: HttpRequest, slug: str, kind: str, parent: int | None = None) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    parent_kind, keyword = PARENTS[kind]
    owner = selectors.row_for_setup(parent_kind, strategy, parent) if parent_kind else strategy
    form = _form_for(kind, strategy, request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = _run(form, lambda: _call_service(CREATE_SERVICES[kind], form, request.user, **{keyword: owner}))
        if row:
            messages.success(request, f"The {NOUNS[kind]} has been added.")
            return redirect(_setup_url(strategy, f"{kind}-{row.pk}"))
    where = f" to {owner}" if parent_kind else ""
    return _form_page(
        request, strategy, form=form, title=f"Add a {NOUNS[kind]}{where}", button=f"Add {NOUNS[kind]}", kind=kind
    )


@require_http_methods(["GET", "HEAD", "POST"])
def row_edit(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    row = selectors.row_for_setup(kind, strategy, pk)
    form = _form_for(kind, strategy, request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        saved = _run(form, lambda: _call_service(UPDATE_SERVICES[kind], form, request.user, **{kind: row}))
        if saved:
            messages.success(request, f"The {NOUNS[kind]} has been saved.")
            return redirect(_setup_url(strategy, f"{kind}-{row.pk}"))
    return _form_page(
        request,
        strategy,
        form=form,
        title=f"Edit {NOUNS[kind]}: {_short(row)}",
        button=f"Save {NOUNS[kind]}",
        history=selectors.history_for(kind, row),
        kind=kind,
        row=row,
    )


def _short(row) -> str:
    text = str(getattr(row, "title", "") or getattr(row, "name", "") or row)
    return text if len(text) <= 80 else text[:79] + "…"


@require_POST
def row_reorder(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    row = selectors.row_for_setup(kind, strategy, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    try:
        services.row_reorder(row=row, step=step, by=request.user)
    except services.SetupError as refused:
        messages.error(request, refused.message)
    return redirect(_setup_url(strategy, f"{kind}-{row.pk}"))


@require_http_methods(["GET", "HEAD", "POST"])
def action_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    action = selectors.row_for_setup("action", strategy, pk)
    objectives = [o for o in selectors.objectives_of(strategy) if o.pk != action.objective_id]
    form = ActionMoveForm(request.POST or None, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        services.action_move(action=action, objective=form.cleaned_data["objective"], by=request.user)
        messages.success(request, f"Action moved: it is now number {action.number} of {action.objective.title}.")
        return redirect(_setup_url(strategy, f"action-{action.pk}"))
    return _form_page(
        request,
        strategy,
        form=form,
        title=f"Move action {action.objective.order}.{action.number}",
        button="Move action",
        intro=f"{action.title}. It takes the next number in the objective you choose; the actions after it "
        "in its current objective move up one number.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def row_delete(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    """A confirmation page saying what goes with the row; offered only for rows never reported on."""
    strategy = _strategy_administered(request, slug)
    row = selectors.row_for_setup(kind, strategy, pk)
    reach = services.row_reach(row)
    if request.method == "POST" and not reach.reported:
        services.row_delete(row=row, by=request.user)
        messages.success(request, f"Deleted {reach.summary}.")
        return redirect(_setup_url(strategy))
    return render(
        request,
        "setup/confirm_delete.html",
        {
            "strategy": strategy,
            "row": row,
            "kind": kind,
            "noun": NOUNS[kind],
            "reach": reach,
            "title": f"Delete {NOUNS[kind]}: {_short(row)}",
            "breadcrumbs": _crumbs(strategy, f"Delete {NOUNS[kind]}"),
        },
        status=409 if request.method == "POST" else 200,
    )


def _archive_step(request, slug: str, kind: str, pk: int, service, done: str) -> HttpResponse:
    strategy = _strategy_administered(request, slug)
    row = selectors.row_for_setup(kind, strategy, pk)
    try:
        service(row=row, by=request.user)
    except services.SetupError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"The {NOUNS[kind]} has been {done}.")
    return redirect(_setup_url(strategy, f"{kind}-{row.pk}"))


@require_POST
def row_archive(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    return _archive_step(request, slug, kind, pk, services.row_archive, "archived")


@require_POST
def row_restore(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    return _archive_step(request, slug, kind, pk, services.row_restore, "restored")
