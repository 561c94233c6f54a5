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
    # Before the sections' pattern, which would take "facts", "exploiters" and "workplaces".
    path("cases/<str:reference>/account/facts/", views.facts_page, name="account_facts"),
    path(
        "cases/<str:reference>/account/exploiters/",
        views.exploiters_page,
        name="account_parties",
    ),
    path(
        "cases/<str:reference>/account/exploiters/add/",
        views.exploiter_add,
        name="account_exploiter_add",
    ),
    path(
        "cases/<str:reference>/account/exploiters/<int:pk>/",
        views.exploiter_edit,
        name="account_exploiter",
    ),
    path(
        "cases/<str:reference>/account/exploiters/<int:pk>/remove/",
        views.exploiter_remove,
        name="account_exploiter_remove",
    ),
    path(
        "cases/<str:reference>/account/workplaces/add/",
        views.workplace_add,
        name="account_workplace_add",
    ),
    path(
        "cases/<str:reference>/account/workplaces/<int:pk>/",
        views.workplace_edit,
        name="account_workplace",
    ),
    path(
        "cases/<str:reference>/account/workplaces/<int:pk>/remove/",
        views.workplace_remove,
        name="account_workplace_remove",
    ),
    path(
        "cases/<str:reference>/account/<slug:section>/",
        views.account_section,
        name="account_section",
    ),
]
