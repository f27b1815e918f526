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
    path("accounts/users/", views.user_list, name="user_list"),
    path("accounts/users/invite/", views.user_invite, name="user_invite"),
    path("accounts/users/<int:pk>/", views.user_detail, name="user_detail"),
    path("accounts/users/<int:pk>/roles/<int:grant>/revoke/", views.role_revoke, name="role_revoke"),
    path("accounts/users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("accounts/set-password/<uidb64>/<token>/", views.set_password, name="set_password"),
]
