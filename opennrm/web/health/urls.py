"""URLs of the health endpoints (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.health import views

urlpatterns: list[URLPattern] = [
    path("health/live/", views.live, name="health_live"),
    path("health/ready/", views.ready, name="health_ready"),
]
