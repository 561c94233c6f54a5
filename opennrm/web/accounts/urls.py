"""URLs of the person's account (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.accounts import views

urlpatterns: list[URLPattern] = [
    path("cases/<str:reference>/account/", views.account_page, name="account"),
    path(
        "cases/<str:reference>/account/situations/",
        views.situation_add,
        name="account_situation_add",
    ),
    path(
        "cases/<str:reference>/account/situations/<int:pk>/",
        views.situation_edit,
        name="account_situation",
    ),
    path(
        "cases/<str:reference>/account/situations/<int:pk>/remove/",
        views.situation_remove,
        name="account_situation_remove",
    ),
    path(
        "cases/<str:reference>/account/<slug:section>/",
        views.account_section,
        name="account_section",
    ),
]
