"""URLs of the cases area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.cases import printing, views

urlpatterns: list[URLPattern] = [
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/details/", views.case_edit, name="case_edit"),
    path("cases/<str:reference>/identity/", views.case_identity, name="case_identity"),
    path(
        "cases/<str:reference>/identity/edit/",
        views.case_identity_edit,
        name="case_identity_edit",
    ),
    path("cases/<str:reference>/safe-contact/", views.case_safe_contact, name="case_safe_contact"),
    path("cases/<str:reference>/print/", printing.case_print, name="case_print"),
    path("cases/<str:reference>/close/", views.case_close, name="case_close"),
    path("cases/<str:reference>/reopen/", views.case_reopen, name="case_reopen"),
]
