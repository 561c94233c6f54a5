"""URLs of data protection (included in opennrm.web.urls, namespace "web").

Exceptional access ("break-glass"), the person's rights (subject access export in JSON and
PDF, rectification), the retention report, and the audit trail's CSV export.
"""

from django.urls import URLPattern, path

from opennrm.web.views import privacy

urlpatterns: list[URLPattern] = [
    path(
        "privacy/exceptional-access/",
        privacy.exceptional_access,
        name="privacy_exceptional_access",
    ),
    path(
        "privacy/exceptional-access/new/",
        privacy.exceptional_access_new,
        name="privacy_exceptional_access_new",
    ),
    path(
        "privacy/exceptional-access/<int:pk>/close/",
        privacy.exceptional_access_revoke,
        name="privacy_exceptional_access_revoke",
    ),
    path(
        "privacy/cases/<str:reference>/",
        privacy.person_rights,
        name="privacy_person_rights",
    ),
    path(
        "privacy/cases/<str:reference>/subject-access.json",
        privacy.subject_access_json,
        name="privacy_subject_access_json",
    ),
    path(
        "privacy/cases/<str:reference>/subject-access.pdf",
        privacy.subject_access_pdf,
        name="privacy_subject_access_pdf",
    ),
    path(
        "privacy/cases/<str:reference>/rectification/",
        privacy.rectification,
        name="privacy_rectification",
    ),
    path("privacy/retention/", privacy.retention_report, name="privacy_retention"),
    path("audit/export.csv", privacy.audit_export, name="audit_export"),
]
