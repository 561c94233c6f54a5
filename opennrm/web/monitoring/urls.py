"""URLs of monitoring (included in opennrm.web.urls, namespace "web"): what is overdue, the
deadlines of identification decisions, residence outcomes per authority."""

from django.urls import URLPattern, path

from opennrm.web.monitoring import views

urlpatterns: list[URLPattern] = [
    path("overdue/", views.overdue, name="overdue"),
    path("monitoring/funnel/", views.funnel, name="monitoring_funnel"),
    path("monitoring/indicators/", views.directive_indicators, name="monitoring_indicators"),
    path("identification/deadlines/", views.deadlines, name="identification_deadlines"),
    path(
        "monitoring/residence/",
        views.residence_outcomes,
        name="support_residence_outcomes",
    ),
]
