"""URLs of the signed-in home (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.dashboard import views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
]
