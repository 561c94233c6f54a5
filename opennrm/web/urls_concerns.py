"""URLs of the concerns area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
