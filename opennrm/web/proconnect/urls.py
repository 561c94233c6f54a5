"""ProConnect's routes, mounted by allauth under /accounts/ (its provider registry)."""

from django.urls import path

from opennrm.web.proconnect import views

urlpatterns = [
    path("proconnect/login/", views.login, name="proconnect_login"),
    path("proconnect/login/callback/", views.callback, name="proconnect_callback"),
    path("proconnect/logout/", views.logout, name="proconnect_logout"),
    path(
        "proconnect/logout/callback/",
        views.logout_callback,
        name="proconnect_logout_callback",
    ),
]
