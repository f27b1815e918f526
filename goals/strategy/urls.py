from django.urls import path

from goals.strategy import views

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("strategies/<slug:slug>/", views.strategy_detail, name="strategy_detail"),
    path("strategies/<slug:slug>/goals/<slug:goal>/", views.goal_detail, name="goal_detail"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
