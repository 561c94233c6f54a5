"""URLs of the protocol (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.protocol import views

urlpatterns: list[URLPattern] = [
    path("protocol/", views.protocol, name="protocol"),
    path("protocol/pdf/", views.protocol_pdf, name="protocol_pdf"),
    path("protocol/changes/", views.protocol_changes, name="protocol_changes"),
]
