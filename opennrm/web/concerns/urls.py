"""URLs of the concerns area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.concerns import views

urlpatterns: list[URLPattern] = [
    path("report/", views.report, name="report"),
    path("report/thanks/", views.report_thanks, name="report_thanks"),
    path("concerns/", views.concern_list, name="concerns"),
    path("concerns/new/", views.create, name="concern_create"),
    path("concerns/<str:reference>/", views.detail, name="concern"),
    path("concerns/<str:reference>/open-case/", views.open_case, name="concern_open_case"),
    path("concerns/<str:reference>/attach/", views.attach, name="concern_attach"),
    path("concerns/<str:reference>/cases/", views.case_options, name="concern_case_options"),
    path("concerns/<str:reference>/close/", views.close, name="concern_close"),
]
