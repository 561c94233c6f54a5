"""URLs of the cases area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.views import assessments, cases

urlpatterns: list[URLPattern] = [
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<str:reference>/", cases.case_detail, name="case"),
    path("cases/<str:reference>/details/", cases.case_edit, name="case_edit"),
    path("cases/<str:reference>/identity/", cases.case_identity, name="case_identity"),
    path(
        "cases/<str:reference>/identity/edit/",
        cases.case_identity_edit,
        name="case_identity_edit",
    ),
    path("cases/<str:reference>/close/", cases.case_close, name="case_close"),
    path("cases/<str:reference>/reopen/", cases.case_reopen, name="case_reopen"),
    path(
        "cases/<str:reference>/assessments/new/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
]
