"""URLs of HTCDS exchange (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.exchange import views

urlpatterns: list[URLPattern] = [
    path("exchange/", views.exchange_page, name="exchange"),
    path("exchange/export.<str:kind>", views.bulk_export, name="exchange_bulk_export"),
    path("cases/<str:reference>/htcds/", views.case_exchange, name="case_exchange"),
    path(
        "cases/<str:reference>/htcds/<int:pk>.<str:kind>",
        views.case_export,
        name="case_export",
    ),
]
