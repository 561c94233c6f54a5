"""URLs of the transfers area (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.transfers import views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/transfer/", views.case_transfer, name="case_transfer"),
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/decline/", views.transfer_decline, name="transfer_decline"),
    path("transfers/<int:pk>/withdraw/", views.transfer_withdraw, name="transfer_withdraw"),
    path(
        "transfers/<int:pk>/end-former-access/",
        views.transfer_end_former_access,
        name="transfer_end_former_access",
    ),
]
