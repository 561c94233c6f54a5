from django.urls import path

from opennrm.web import (
    urls_cases,
    urls_concerns,
    urls_identification,
    urls_privacy,
    urls_protection,
    urls_support,
)
from opennrm.web.views import audit, dashboard, directory, organisations, overdue, public

app_name = "web"

urlpatterns = [
    path("", public.home, name="home"),
    path("legal/", public.legal, name="legal"),
    path("directory/", public.directory, name="directory"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("organisation/switch/", dashboard.switch_organisation, name="switch_organisation"),
    path("organisations/<int:pk>/", organisations.organisation, name="organisation"),
    path("organisations/<int:pk>/invite/", organisations.invite, name="invite"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/training/",
        organisations.add_training,
        name="add_training",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/deactivate/",
        organisations.deactivate,
        name="deactivate_member",
    ),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/resend-invitation/",
        organisations.resend_invitation,
        name="resend_invitation",
    ),
    path("manage/directory/", directory.manage, name="directory_manage"),
    path("manage/directory/new/", directory.create, name="directory_create"),
    path("manage/directory/<int:pk>/", directory.edit, name="directory_edit"),
    path("manage/directory/<int:pk>/confirm/", directory.confirm, name="directory_confirm"),
    path("manage/directory/<int:pk>/unpublish/", directory.unpublish, name="directory_unpublish"),
    path("manage/directory/coverage/", directory.coverage_view, name="directory_coverage"),
    path("audit/", audit.audit_log, name="audit"),
    path("overdue/", overdue.overdue, name="overdue"),
]

urlpatterns += urls_concerns.urlpatterns + urls_cases.urlpatterns + urls_protection.urlpatterns
urlpatterns += urls_identification.urlpatterns
urlpatterns += urls_support.urlpatterns
urlpatterns += urls_privacy.urlpatterns
