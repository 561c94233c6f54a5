"""URLs of an organisation's page and its administration (included in opennrm.web.urls,
namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.organisations import views

urlpatterns: list[URLPattern] = [
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/training/",
        views.add_training,
        name="add_training",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/deactivate/",
        views.deactivate,
        name="deactivate_member",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/resend-invitation/",
        views.resend_invitation,
        name="resend_invitation",
    ),
]
