from django.urls import path

from goals.accounts import views

urlpatterns = [
    path("session/", views.session_status, name="session_status"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("accounts/locked/", views.lockout_list, name="lockout_list"),
    path("accounts/locked/<int:pk>/unlock/", views.lockout_unlock, name="lockout_unlock"),
    path("sso/start/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("sso/refused/", views.sso_refused, name="sso_refused"),
]
