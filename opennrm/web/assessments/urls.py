"""URLs of the preliminary assessment (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.assessments import views

urlpatterns: list[URLPattern] = [
    path(
        "cases/<str:reference>/assessments/new/",
        views.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("indicators/catalogue/", views.indicator_catalogue, name="indicator_catalogue"),
]
