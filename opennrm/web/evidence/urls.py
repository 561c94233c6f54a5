"""URLs of the case's documents (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.evidence import views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/evidence/", views.evidence_page, name="evidence"),
    path(
        "cases/<str:reference>/evidence/<int:pk>/download/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "cases/<str:reference>/evidence/<int:pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    # A document of the file put to formal identification, for those who decide on it.
    path(
        "identification/evidence/<int:pk>/",
        views.referred_evidence_download,
        name="referred_evidence_download",
    ),
]
