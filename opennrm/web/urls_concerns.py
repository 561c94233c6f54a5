"""URLs of the concerns area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.views import concerns

urlpatterns: list[URLPattern] = [
    path("report/", concerns.report, name="report"),
    path("report/thanks/", concerns.report_thanks, name="report_thanks"),
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns/new/", concerns.create, name="concern_create"),
    path("concerns/<str:reference>/", concerns.detail, name="concern"),
    path("concerns/<str:reference>/open-case/", concerns.open_case, name="concern_open_case"),
    path("concerns/<str:reference>/attach/", concerns.attach, name="concern_attach"),
    path("concerns/<str:reference>/close/", concerns.close, name="concern_close"),
]
