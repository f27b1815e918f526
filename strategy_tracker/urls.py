from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("goals.urls")),
    path("reports/", include("reports.urls")),
    path("", include("api.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler400 = "goals.operations.views.bad_request"
handler403 = "goals.operations.views.permission_denied"
handler404 = "goals.operations.views.page_not_found"
