"""The quarterly cycle's pages. Leads: My updates and the update (and evidence) form. SROs: To
review and the decision on an update's page. Programme office: the tracker and the quarters.

Views parse input, call one service or selector and render. Every page needs a signed-in user
(LoginRequiredMiddleware); each also checks the role and the object: an update page of an action
the user has nothing to do with is a 404, a write they may not make a 403 (before the input is
even read), and the services check the same rules again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from goals.core import permissions
from goals.core.choices import UpdateState
from goals.core.forms import ConfirmForm, apply_errors
from goals.core.names import display_name
from goals.core.numbering import action_number_of
from goals.core.quarters import Quarter, parse_quarter
from goals.cycle import selectors as update_selectors
from goals.cycle import services
from goals.cycle.filters import EvidenceTrackerFilter, TrackerFilter
from goals.cycle.forms import (
    ActionUpdateForm,
    MeasureEvidenceForm,
    PeriodDeadlineForm,
    PeriodOpenForm,
    PeriodReopenForm,
    ReviewForm,
)
from goals.cycle.tables import TrackerTable, evidence_rows
from goals.models import Strategy
from goals.risks import selectors as risk_selectors

TRACKER_PAGE_SIZE = 50
CONFLICT = 409  # refused: stale version, or the cycle does not allow it now


def _names(people) -> str:
    return ", ".join(person.name for person in people) or "nobody yet"


# --- Lead: My updates; SRO: To review -------------------------------------------------------


def _personal_page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    """A page listing the user's own work. Opening it also refreshes the header's role flags."""
    update_selectors.remember_cycle_roles(request)
    breadcrumbs = [("Strategies", reverse("goals:strategy_list")), (title, None)]
    return render(request, template, {**context, "breadcrumbs": breadcrumbs})


@require_safe
def my_updates(request: HttpRequest) -> HttpResponse:
    """The lead's updates for every open quarter, returned first, with deadline and days left."""
    return _personal_page(
        request, "cycle/my_updates.html", "My updates", quarters=update_selectors.my_updates(request.user)
    )


@require_safe
def to_review(request: HttpRequest) -> HttpResponse:
    """The SRO's submitted updates, and the submitted evidence the user reviews, waiting for a
    decision."""
    return _personal_page(
        request,
        "cycle/to_review.html",
        "To review",
        updates=update_selectors.to_review(request.user),
        evidence=update_selectors.evidence_to_review(request.user),
    )


# --- Writing an update or evidence: one flow for both ----------------------------------------


@dataclass
class Writing:
    """What differs between writing an action update and a success measure's evidence."""

    row: object | None  # the saved row, or None before the first save
    form_class: type
    may_write: bool
    editable: bool  # the quarter is open and the row in a state its writer may change
    save: Callable
    submit: Callable
    start_field: str  # the field "start from last quarter's focus" fills
    previous_focus: str
    submitted_message: str
    done_url: str


def _start_from_last_focus(request: HttpRequest, writing: Writing):
    """An unsaved form holding what was typed, with last quarter's focus added to the start
    field (appended, so nothing typed is lost). Works without JavaScript."""
    initial = {name: request.POST.get(name, "") for name in writing.form_class.base_fields}
    typed = initial[writing.start_field].strip()
    initial[writing.start_field] = f"{typed}\n\n{writing.previous_focus}" if typed else writing.previous_focus
    return writing.form_class(initial=initial)


def _write(request: HttpRequest, writing: Writing):
    """GET: the form (when the user may write now). POST: save a draft, submit, or start from
    last quarter's focus. Returns a redirect, or (form, conflict row, status) to render."""
    if request.method != "POST":
        form = writing.form_class(instance=writing.row) if writing.may_write and writing.editable else None
        return form, None, 200
    if not writing.may_write:
        raise PermissionDenied("Only the people who write this can change it.")
    intent = request.POST.get("intent", "save")
    if intent == "use_last_focus" and writing.editable:
        return _start_from_last_focus(request, writing), None, 200
    form = writing.form_class(request.POST, submitting=intent == "submit")
    if not form.is_valid():
        return form, None, 200
    service = writing.submit if intent == "submit" else writing.save
    try:
        service(fields=form.fields_for_service(), version=form.cleaned_data["version"], by=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return form, None, 200
    except services.StaleVersion as stale:
        # Nothing was saved: the form keeps what this user typed, the page shows what was saved
        # meanwhile, and the form now carries the new version so a save after merging works.
        data = request.POST.copy()
        data["version"] = stale.current.version if stale.current else 0
        form = writing.form_class(data, submitting=intent == "submit")
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this while you were editing it, so your changes have not been saved. "
            "Their version is shown below yours: copy what you need into the form, then save again.",
        )
        return form, stale.current, CONFLICT
    except services.WorkflowError as refused:
        form.add_error(None, refused.message)
        return form, None, CONFLICT
    if intent == "submit":
        messages.success(request, writing.submitted_message)
        return redirect(writing.done_url)
    messages.success(request, "Draft saved. It is not sent to anyone until you submit it.")
    return redirect(request.path)


def _update_breadcrumbs(request, page, *, may_write: bool, may_review: bool) -> list:
    action, period = page.action, page.period
    if may_write:
        first = ("My updates", reverse("goals:my_updates"))
    elif may_review:
        first = ("To review", reverse("goals:to_review"))
    elif permissions.may_run_cycle(request.user, action.objective.goal.strategy):
        first = ("Tracker", reverse("goals:tracker", kwargs={"slug": period.strategy.slug, "period": period.slug}))
    else:
        first = (action.objective.goal.strategy.name, action.objective.goal.strategy.get_absolute_url())
    return [first, (f"Action {action_number_of(action)}: {period.label} update", None)]


def _when(moment) -> str:
    return date_format(localtime(moment), "j F Y, H:i") if moment else ""


def _who(user) -> str:
    return display_name(user)


def _update_notes(update, action) -> tuple[list[str], dict | None]:
    """What the page says about where the update stands, and the SRO's comment if any."""
    return _review_notes(update, [f"SRO: {_names(action.sros.all())}"])


def _review_notes(row, notes: list[str]) -> tuple[list[str], dict | None]:
    """`notes` and where a reviewed row stands (submitted, approved), and the reviewer's comment."""
    if row is None:
        return notes, None
    if row.submitted_at:
        notes.append(f"Last submitted by {_who(row.submitted_by)} on {_when(row.submitted_at)}")
    if row.state == UpdateState.APPROVED:
        notes.append(f"Approved by {_who(row.reviewed_by)} on {_when(row.reviewed_at)}")
    review_note = None
    if row.review_comment:
        verb = "Approved" if row.state == UpdateState.APPROVED else "Returned"
        review_note = {
            "title": f"{verb} by {_who(row.reviewed_by)} on {_when(row.reviewed_at)}",
            "text": row.review_comment,
        }
    return notes, review_note


def _render_writing(
    request, writing: Writing, *, form, conflict, status, previous, history, review_form=None, hidden=False, **context
) -> HttpResponse:
    """`hidden`: the row is a draft the user may not read; the page shows its state only."""
    row = writing.row
    return render(
        request,
        "cycle/writing_page.html",
        {
            "state": update_selectors.state_tag(row.state if row else None),
            # `form` is the page's one form (the writer's, or the SRO's decision): base.html
            # prefixes the <title> with "Error:" when it has errors.
            "form": form or review_form,
            "write_form": form,
            "review_form": review_form,
            "saved_fields": [] if hidden else writing.form_class.shown(row),
            "conflict": conflict,
            "conflict_fields": writing.form_class.shown(conflict),
            "previous": previous,
            "previous_fields": [shown for shown in writing.form_class.shown(previous) if shown[1]],
            "start_label": writing.form_class.base_fields[writing.start_field].label,
            "history": [] if hidden else history,
            **context,
        },
        status=status,
    )


def _update_writing(request, page) -> Writing:
    action, period, update = page.action, page.period, page.update
    return Writing(
        row=update,
        form_class=ActionUpdateForm,
        may_write=permissions.may_write_update(request.user, action),
        editable=services.update_is_editable(period=period, update=update),
        save=partial(services.update_save, action=action, period=period),
        submit=partial(services.update_submit, action=action, period=period),
        start_field="progress",
        previous_focus=page.previous.next_focus if page.previous else "",
        submitted_message=f"Update on action {action_number_of(action)} submitted for approval. "
        f"{_names(action.sros.all())} will be emailed.",
        done_url=reverse("goals:my_updates"),
    )


def _render_update_page(request, page, writing: Writing, *, form, conflict, status, review_form) -> HttpResponse:
    action, period = page.action, page.period
    notes, review_note = _update_notes(page.update, action)
    hidden = not permissions.may_read_update(request.user, action, page.update)
    if hidden:
        notes.append("This update is a draft: only the action's leads can read it until it is submitted.")
    return _render_writing(
        request,
        writing,
        form=form,
        conflict=conflict,
        status=status,
        previous=page.previous,
        history=page.history,
        review_form=review_form,
        hidden=hidden,
        caption=f"{action.objective.goal.strategy.name} · {action.objective.title}",
        heading=f"{period.label} update: {action_number_of(action)}. {action.title}",
        period=period,
        deadline_text=update_selectors.deadline_text(period.deadline),
        status_notes=notes,
        review_note=review_note,
        saved_heading="The update",
        submit_label="Submit for approval",
        review_action=reverse("goals:update_review", kwargs={"pk": action.pk, "period": period.slug}),
        breadcrumbs=_update_breadcrumbs(
            request, page, may_write=writing.may_write, may_review=permissions.may_review_update(request.user, action)
        ),
    )


@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: int, period: Quarter) -> HttpResponse:
    """An action's update for one quarter: the lead's form (or the update read-only), last
    quarter's update beside it, the SRO's decision when submitted, and the history."""
    page = update_selectors.update_page(request.user, pk, period)
    writing = _update_writing(request, page)
    result = _write(request, writing)
    if isinstance(result, HttpResponse):
        return result
    form, conflict, status = result
    update = page.update
    review_form = None
    if (
        form is None
        and update is not None
        and update.state == UpdateState.SUBMITTED
        and page.period.is_open
        and permissions.may_review_update(request.user, page.action)
    ):
        review_form = ReviewForm(initial={"version": update.version})
    return _render_update_page(
        request, page, writing, form=form, conflict=conflict, status=status, review_form=review_form
    )


@dataclass
class Review:
    """A reviewer's decision on submitted work (an update or evidence): the services that approve
    and return it (given comment, version and by) and what the reviewer is told."""

    approve: Callable
    return_: Callable
    approved: str
    returned: Callable[[], str]
    changed: str  # the refusal when the work changed after the reviewer opened it


def _decide(request, review: Review) -> tuple[HttpResponse | None, ReviewForm, int]:
    """Approve or return as the posted ReviewForm says: a redirect to To review when done, else
    None with the form (its errors added) and the status to answer with."""
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return None, form, 200
    approving = form.cleaned_data["decision"] == ReviewForm.APPROVE
    decide = review.approve if approving else review.return_
    try:
        decide(comment=form.cleaned_data["review_comment"], version=form.cleaned_data["version"], by=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return None, form, 200
    except services.StaleVersion:
        form.add_error(None, review.changed)
        return None, form, CONFLICT
    except services.WorkflowError as refused:
        form.add_error(None, refused.message)
        return None, form, CONFLICT
    messages.success(request, review.approved if approving else review.returned())
    return redirect("goals:to_review"), form, 200


@require_POST
def update_review(request: HttpRequest, pk: int, period: Quarter) -> HttpResponse:
    """The SRO's decision on a submitted update: Approve, or Return to lead with a comment."""
    page = update_selectors.update_page(request.user, pk, period)
    if not permissions.may_review_update(request.user, page.action):
        raise PermissionDenied("Only an SRO of this action can approve or return its update.")
    if page.update is None:
        raise PermissionDenied("There is no update to review.")
    number = action_number_of(page.action)
    decided, form, status = _decide(
        request,
        Review(
            approve=partial(services.update_approve, update=page.update),
            return_=partial(services.update_return, update=page.update),
            approved=f"Update on action {number} approved.",
            returned=lambda: (
                f"Update on action {number} returned to {_names(page.action.leads.all())}, "
                "who will be emailed your comment."
            ),
            changed="The update changed after you opened it. Read it again before you decide.",
        ),
    )
    if decided:
        return decided
    return _render_update_page(
        request, page, _update_writing(request, page), form=None, conflict=None, status=status, review_form=form
    )


def _evidence_writing(request, page) -> Writing:
    measure, period, evidence = page.measure, page.period, page.evidence
    return Writing(
        row=evidence,
        form_class=MeasureEvidenceForm,
        may_write=permissions.may_write_evidence(request.user, measure),
        editable=services.evidence_is_editable(period=period, evidence=evidence),
        save=partial(services.evidence_save, measure=measure, period=period),
        submit=partial(services.evidence_submit, measure=measure, period=period),
        start_field="evidence",
        previous_focus=page.previous.next_focus if page.previous else "",
        submitted_message="Evidence submitted for approval. The objective's lead director and the SROs "
        "of its actions will be emailed.",
        done_url=reverse("goals:my_updates"),
    )


def _render_evidence_page(request, page, writing: Writing, *, form, conflict, status, review_form) -> HttpResponse:
    measure, period, evidence = page.measure, page.period, page.evidence
    objective = measure.objective
    notes = []
    if evidence is not None and evidence.updated_at:
        notes.append(f"Last saved by {_who(evidence.updated_by)} on {_when(evidence.updated_at)}")
    notes, review_note = _review_notes(evidence, notes)
    may_review = permissions.may_review_evidence(request.user, measure)
    first = ("To review", reverse("goals:to_review")) if may_review and not writing.may_write else None
    return _render_writing(
        request,
        writing,
        form=form,
        conflict=conflict,
        status=status,
        previous=page.previous,
        history=page.history,
        review_form=review_form,
        caption=f"{objective.goal.strategy.name} · {objective.title} · We know we are great when",
        heading=f"{period.label} evidence: {_short(measure.title)}",
        measure=measure,
        period=period,
        deadline_text=update_selectors.deadline_text(period.deadline),
        status_notes=notes,
        review_note=review_note,
        saved_heading="The evidence",
        submit_label="Submit for approval",
        return_label="Return with a comment",
        review_action=reverse("goals:evidence_review", kwargs={"pk": measure.pk, "period": period.slug}),
        breadcrumbs=[
            first or ("My updates", reverse("goals:my_updates")),
            (f"{objective.title}: {period.label} evidence", None),
        ],
    )


@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, pk: int, period: Quarter) -> HttpResponse:
    """A success measure's evidence for one quarter ("We know we are great when …"): the
    writer's form (or the evidence read-only), the reviewer's decision when submitted, the history."""
    page = update_selectors.evidence_page(request.user, pk, period)
    writing = _evidence_writing(request, page)
    result = _write(request, writing)
    if isinstance(result, HttpResponse):
        return result
    form, conflict, status = result
    review_form = None
    if (
        form is None
        and services.evidence_is_reviewable(period=page.period, evidence=page.evidence)
        and permissions.may_review_evidence(request.user, page.measure)
    ):
        review_form = ReviewForm(initial={"version": page.evidence.version})
    return _render_evidence_page(
        request, page, writing, form=form, conflict=conflict, status=status, review_form=review_form
    )


@require_POST
def evidence_review(request: HttpRequest, pk: int, period: Quarter) -> HttpResponse:
    """The reviewer's decision on submitted evidence: Approve, or Return with a comment."""
    page = update_selectors.evidence_page(request.user, pk, period)
    if not permissions.may_review_evidence(request.user, page.measure):
        raise PermissionDenied("Only the objective's lead director or an SRO of its actions can review this.")
    if page.evidence is None:
        raise PermissionDenied("There is no evidence to review.")
    title = _short(page.measure.title, 60)
    decided, form, status = _decide(
        request,
        Review(
            approve=partial(services.evidence_approve, evidence=page.evidence),
            return_=partial(services.evidence_return, evidence=page.evidence),
            approved=f"Evidence for “{title}” approved.",
            returned=lambda: f"Evidence for “{title}” returned; its writers will be emailed your comment.",
            changed="The evidence changed after you opened it. Read it again before you decide.",
        ),
    )
    if decided:
        return decided
    return _render_evidence_page(
        request, page, _evidence_writing(request, page), form=None, conflict=None, status=status, review_form=form
    )


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# --- Programme office: tracker and quarters --------------------------------------------------


def _require_cycle_runner(request: HttpRequest, strategy) -> None:
    """The programme office runs the cycle; `strategy` is None on the pages of every strategy."""
    if not permissions.may_run_cycle(request.user, strategy):
        raise PermissionDenied("Only the programme office can do this.")


@require_safe
def tracker_home(request: HttpRequest) -> HttpResponse:
    """The tracker of the open quarter; with several strategies open, a choice between them."""
    _require_cycle_runner(request, None)
    periods = update_selectors.open_periods(user=request.user)
    if len(periods) == 1:
        return redirect("goals:tracker", slug=periods[0].strategy.slug, period=periods[0].slug)
    return render(
        request,
        "cycle/tracker_home.html",
        {"periods": periods, "breadcrumbs": [("Strategies", reverse("goals:strategy_list")), ("Tracker", None)]},
    )


@require_safe
def tracker(request: HttpRequest, slug: str, period: Quarter) -> HttpResponse:
    """Every active action of a quarter (lead, SRO, state, RAG, last change) and every success
    measure's evidence (state, last change); one filter narrows both, e.g. to the missing ones."""
    period_obj = update_selectors.tracker_period(slug, period)
    _require_cycle_runner(request, period_obj.strategy)
    filterset = TrackerFilter(request.GET, queryset=update_selectors.tracker_actions(period_obj))
    evidence = EvidenceTrackerFilter(request.GET, queryset=update_selectors.tracker_evidence(period_obj))
    counts = update_selectors.tracker_counts(period_obj)

    def paginated_table():
        table = TrackerTable(filterset.qs, period=period_obj, count=filterset.count_in(counts))
        RequestConfig(request, paginate={"per_page": TRACKER_PAGE_SIZE}).configure(table)
        return table

    return render(
        request,
        "cycle/tracker.html",
        {
            "period": period_obj,
            "strategy": period_obj.strategy,
            "filter": filterset,
            # Built when drawn: when the page's tables for this query are cached, no row is read.
            "table": SimpleLazyObject(paginated_table),
            "counts": counts,
            "risks_not_scored": risk_selectors.risks_not_scored([period_obj]),
            "evidence": SimpleLazyObject(lambda: evidence_rows(evidence.qs, period_obj)),
            "evidence_counts": update_selectors.tracker_evidence_counts(period_obj),
            "deadline_text": update_selectors.deadline_text(period_obj.deadline),
            "breadcrumbs": [
                ("Quarters", reverse("goals:period_list")),
                (f"{period_obj.strategy.name}: {period_obj.label} tracker", None),
            ],
        },
    )


@require_safe
def period_list(request: HttpRequest) -> HttpResponse:
    _require_cycle_runner(request, None)
    return render(
        request,
        "cycle/period_list.html",
        {
            "strategies": update_selectors.strategies_with_periods(user=request.user),
            "breadcrumbs": [("Strategies", reverse("goals:strategy_list")), ("Quarters", None)],
        },
    )


def _period_form_page(request, *, strategy, form, title, button, intro, done, act, warning=False, period=None):
    """GET shows the form; a valid POST runs `act(form.cleaned_data)` (a service call) and
    goes back to the quarters page with `done` as the message."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except services.WorkflowError as refused:
            form.add_error(None, refused.message)
            status = CONFLICT
        else:
            messages.success(request, done)
            return redirect("goals:period_list")
    return render(
        request,
        "cycle/period_form.html",
        {
            "strategy": strategy,
            "period": period,
            "form": form,
            "title": title,
            "button": button,
            "intro": intro,
            "warning": warning,
            "breadcrumbs": [("Quarters", reverse("goals:period_list")), (f"{strategy.name}: {title}", None)],
        },
        status=status,
    )


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
def period_open(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = get_object_or_404(Strategy, slug=slug)
    _require_cycle_runner(request, strategy)
    quarters = update_selectors.quarters_to_open(strategy)
    initial = {"quarter": quarters[0].slug if quarters else None}
    form = PeriodOpenForm(_data(request), quarters=quarters, initial=initial)

    def act(data):
        services.period_open(
            strategy=strategy, quarter=parse_quarter(data["quarter"]), deadline=data["deadline"], by=request.user
        )

    return _period_form_page(
        request,
        strategy=strategy,
        form=form,
        title="Open a quarter",
        button="Open quarter",
        intro="Leads can write their updates for the quarter until you lock it. The deadline is shown on their "
        "My updates page and in reminder emails.",
        done="Quarter opened. Leads can now write their updates.",
        act=act,
    )


@require_http_methods(["GET", "POST"])
def period_deadline(request: HttpRequest, slug: str, period: Quarter) -> HttpResponse:
    period_obj = update_selectors.tracker_period(slug, period)
    _require_cycle_runner(request, period_obj.strategy)
    form = PeriodDeadlineForm(_data(request), initial={"deadline": period_obj.deadline})
    return _period_form_page(
        request,
        strategy=period_obj.strategy,
        period=period_obj,
        form=form,
        title=f"Change the {period_obj.label} deadline",
        button="Change deadline",
        intro="Leads see the new deadline straight away; reminders count down to it.",
        done=f"{period_obj.label} deadline changed.",
        act=lambda data: services.period_set_deadline(period=period_obj, deadline=data["deadline"], by=request.user),
    )


@require_http_methods(["GET", "POST"])
def period_lock(request: HttpRequest, slug: str, period: Quarter) -> HttpResponse:
    period_obj = update_selectors.tracker_period(slug, period)
    _require_cycle_runner(request, period_obj.strategy)
    counts = update_selectors.tracker_counts(period_obj)
    missing = sum(c.count for c in counts if c.state.value in update_selectors.NOT_SUBMITTED)
    return _period_form_page(
        request,
        strategy=period_obj.strategy,
        period=period_obj,
        form=ConfirmForm(_data(request)),
        title=f"Lock {period_obj.label}",
        button="Lock quarter",
        warning=True,
        intro="Locking freezes every update of the quarter as it is now and records people's names and job "
        "titles for its reports. Updates not submitted by then stay out of the report."
        + (f" {missing} action{'s have' if missing != 1 else ' has'} not submitted yet." if missing else ""),
        done=f"{period_obj.label} locked.",
        act=lambda data: services.period_lock(period=period_obj, by=request.user),
    )


@require_http_methods(["GET", "POST"])
def period_reopen(request: HttpRequest, slug: str, period: Quarter) -> HttpResponse:
    period_obj = update_selectors.tracker_period(slug, period)
    _require_cycle_runner(request, period_obj.strategy)
    return _period_form_page(
        request,
        strategy=period_obj.strategy,
        period=period_obj,
        form=PeriodReopenForm(_data(request)),
        title=f"Re-open {period_obj.label}",
        button="Re-open quarter",
        warning=True,
        intro="Leads can change their updates again until you lock the quarter. The reason is kept in the "
        "quarter's history.",
        done=f"{period_obj.label} re-opened.",
        act=lambda data: services.period_reopen(
            period=period_obj, reason=data["reason"], deadline=data.get("deadline"), by=request.user
        ),
    )
