"""URLs of strategy administration (/setup/…). A row is reached only through its strategy's slug;
each kind (goal, objective, measure, action, metric) has the same set of pages, named
`<kind>_create`, `<kind>_edit`, `<kind>_reorder`, `<kind>_archive`, `<kind>_restore`, `<kind>_delete`."""

from django.urls import path

from goals.setup import views

# kind → (URL segment, the kind of its parent in the create URL, or None: the strategy)
KIND_URLS = {
    "goal": ("goals", None),
    "objective": ("objectives", "goal"),
    "measure": ("measures", "objective"),
    "action": ("actions", "objective"),
    "metric": ("metrics", None),
}
PARENT_SEGMENTS = {"goal": "goals", "objective": "objectives"}

urlpatterns = [
    path("setup/strategies/new/", views.strategy_create, name="strategy_create"),
    path("setup/strategies/<slug:slug>/", views.strategy_setup, name="strategy_setup"),
    path("setup/strategies/<slug:slug>/edit/", views.strategy_edit, name="strategy_edit"),
    path(
        "setup/strategies/<slug:slug>/success-statements/",
        views.success_statements_edit,
        name="success_statements_edit",
    ),
    path("setup/strategies/<slug:slug>/actions/<int:pk>/move/", views.action_move, name="action_move"),
]

for kind, (segment, parent) in KIND_URLS.items():
    base = f"setup/strategies/<slug:slug>/{segment}/<int:pk>/"
    new = f"{PARENT_SEGMENTS[parent]}/<int:parent>/{segment}/new/" if parent else f"{segment}/new/"
    urlpatterns += [
        path(f"setup/strategies/<slug:slug>/{new}", views.row_create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{base}edit/", views.row_edit, {"kind": kind}, name=f"{kind}_edit"),
        path(f"{base}archive/", views.row_archive, {"kind": kind}, name=f"{kind}_archive"),
        path(f"{base}restore/", views.row_restore, {"kind": kind}, name=f"{kind}_restore"),
        path(f"{base}delete/", views.row_delete, {"kind": kind}, name=f"{kind}_delete"),
    ]
    if kind != "metric":
        urlpatterns.append(path(f"{base}reorder/", views.row_reorder, {"kind": kind}, name=f"{kind}_reorder"))
