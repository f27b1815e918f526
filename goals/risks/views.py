"""The BAF risk register (for a strategy's administrators) and each open quarter's scoring (for
risk owners, the programme office and strategy admins). Views parse input, call one selector or
service and render; the selectors answer 404 for another strategy's risk and 403 without the role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from goals.core.forms import ConfirmForm
from goals.core.pages import form_page
from goals.core.permissions import may_see_risk_scores
from goals.core.quarters import Quarter
from goals.people.selectors import administered_strategy
from goals.risks import selectors, services
from goals.risks.forms import RiskForm, RiskScoreForm


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _register_url(strategy) -> str:
    return reverse("goals:risk_register", kwargs={"slug": strategy.slug})


def _risk_url(risk) -> str:
    return reverse("goals:risk_detail", kwargs={"slug": risk.strategy.slug, "pk": risk.pk})


def _scoring_url(period) -> str:
    return reverse("goals:risk_scoring", kwargs={"slug": period.strategy.slug, "period": period.slug})


def _crumbs(strategy, risk=None, *last) -> list:
    crumbs = [(strategy.name, strategy.get_absolute_url()), ("BAF risks", _register_url(strategy))]
    if risk is not None:
        crumbs.append((f"BAF {risk.number}", _risk_url(risk)))
    return crumbs + [(label, None) for label in last]


@require_safe
def risk_register(request: HttpRequest, slug: str) -> HttpResponse:
    register = selectors.risk_register(request.user, slug=slug)
    strategy = register.strategy
    return render(
        request,
        "risks/risk_register.html",
        {
            "register": register,
            "strategy": strategy,
            "breadcrumbs": [(strategy.name, strategy.get_absolute_url()), ("BAF risks", None)],
        },
    )


@require_http_methods(["GET", "POST"])
def risk_add(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = administered_strategy(request.user, slug)

    def act(data):
        risk = services.risk_create(strategy=strategy, by=request.user, **data)
        return _risk_url(risk), f"BAF {risk.number} added."

    return form_page(
        request,
        form=RiskForm(_data(request), strategy=strategy),
        act=act,
        title="Add a BAF risk",
        caption=strategy.name,
        button="Add risk",
        cancel_url=_register_url(strategy),
        breadcrumbs=_crumbs(strategy, None, "Add a BAF risk"),
    )


@require_safe
def risk_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    page = selectors.risk_page(request.user, slug=slug, pk=pk)
    return render(
        request,
        "risks/risk_detail.html",
        {"page": page, "breadcrumbs": _crumbs(page.risk.strategy, None, f"BAF {page.risk.number}")},
    )


@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    risk = selectors.administered_risk(request.user, slug=slug, pk=pk)

    def act(data):
        services.risk_update(risk=risk, by=request.user, **data)
        return _risk_url(risk), f"BAF {risk.number} saved."

    return form_page(
        request,
        form=RiskForm(_data(request), instance=risk, strategy=risk.strategy),
        act=act,
        title=f"Edit BAF {risk.number}",
        caption=risk.strategy.name,
        button="Save changes",
        cancel_url=_risk_url(risk),
        breadcrumbs=_crumbs(risk.strategy, risk, "Edit"),
    )


@require_http_methods(["GET", "POST"])
def risk_archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    risk = selectors.administered_risk(request.user, slug=slug, pk=pk)
    archived = risk.archived_at is None
    verb = "Archive" if archived else "Restore"

    def act(data):
        services.risk_archive(risk=risk, archived=archived, by=request.user)
        return _risk_url(risk), f"BAF {risk.number} {'archived' if archived else 'restored'}."

    return form_page(
        request,
        form=ConfirmForm(_data(request)),
        act=act,
        title=f"{verb} BAF {risk.number}",
        caption=risk.strategy.name,
        intro="Its scores stay in every quarter that has them, but it is not scored again. Risks are never deleted."
        if archived
        else "It will be scored again from the open quarter.",
        warning=archived,
        button=verb,
        cancel_url=_risk_url(risk),
        breadcrumbs=_crumbs(risk.strategy, risk, verb),
    )


@require_safe
def risk_scoring(request: HttpRequest, slug: str, period: Quarter) -> HttpResponse:
    scoring = selectors.scoring(request.user, slug=slug, quarter=period)
    strategy = scoring.strategy
    return render(
        request,
        "risks/risk_scoring.html",
        {
            "scoring": scoring,
            "breadcrumbs": [
                (strategy.name, strategy.get_absolute_url()),
                (f"Score BAF risks: {scoring.period.label}", None),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def risk_score(request: HttpRequest, slug: str, period: Quarter, pk: int) -> HttpResponse:
    page = selectors.score_page(request.user, slug=slug, quarter=period, pk=pk)
    risk, period_obj, row = page.risk, page.period, page.row
    initial = {"likelihood": row.likelihood, "consequence": row.consequence, "rationale": row.rationale} if row else {}

    def act(data):
        saved = services.risk_score_save(risk=risk, period=period_obj, by=request.user, **data)
        done = _scoring_url(period_obj) if may_see_risk_scores(request.user, risk.strategy) else request.path
        return (
            done,
            f"BAF {risk.number} scored {saved.score} ({saved.likelihood} × {saved.consequence}) for {period_obj.label}.",
        )

    return form_page(
        request,
        form=RiskScoreForm(_data(request), initial=initial),
        act=act,
        template="risks/risk_score.html",
        page=page,
        title=f"Score BAF {risk.number} for {period_obj.label}",
        caption=risk.title,
        button="Save score",
        cancel_url=_scoring_url(period_obj),
        breadcrumbs=[
            (risk.strategy.name, risk.strategy.get_absolute_url()),
            (f"Score BAF risks: {period_obj.label}", _scoring_url(period_obj)),
            (f"BAF {risk.number}", None),
        ],
    )
