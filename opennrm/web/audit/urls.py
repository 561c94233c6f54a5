"""URLs of the audit trail viewer and its CSV export (included in opennrm.web.urls, namespace
"web")."""

from django.urls import URLPattern, path

from opennrm.web.audit import views

urlpatterns: list[URLPattern] = [
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
