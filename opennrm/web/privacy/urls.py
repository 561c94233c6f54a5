"""URLs of data protection (included in opennrm.web.urls, namespace "web").

Exceptional access ("break-glass"), the person's rights (subject access export in JSON and
PDF, rectification) and the retention report. The audit trail and its export: opennrm.web.audit.
"""

from django.urls import URLPattern, path

from opennrm.web.privacy import views

urlpatterns: list[URLPattern] = [
    path(
        "privacy/exceptional-access/",
        views.exceptional_access,
        name="privacy_exceptional_access",
    ),
    path(
        "privacy/exceptional-access/new/",
        views.exceptional_access_new,
        name="privacy_exceptional_access_new",
    ),
    path(
        "privacy/exceptional-access/<int:pk>/close/",
        views.exceptional_access_revoke,
        name="privacy_exceptional_access_revoke",
    ),
    path(
        "privacy/cases/<str:reference>/",
        views.person_rights,
        name="privacy_person_rights",
    ),
    path(
        "privacy/cases/<str:reference>/subject-access.json",
        views.subject_access_json,
        name="privacy_subject_access_json",
    ),
    path(
        "privacy/cases/<str:reference>/subject-access.pdf",
        views.subject_access_pdf,
        name="privacy_subject_access_pdf",
    ),
    path(
        "privacy/cases/<str:reference>/subject-access.zip",
        views.subject_access_archive,
        name="privacy_subject_access_archive",
    ),
    path(
        "privacy/cases/<str:reference>/rectification/",
        views.rectification,
        name="privacy_rectification",
    ),
    path("privacy/retention/", views.retention_report, name="privacy_retention"),
]
