"""URLs of the directory's management (included in opennrm.web.urls, namespace "web"). The
public directory is a public page (opennrm.web.public)."""

from django.urls import URLPattern, path

from opennrm.web.directory import views

urlpatterns: list[URLPattern] = [
    path("manage/directory/", views.manage, name="directory_manage"),
    path("manage/directory/new/", views.create, name="directory_create"),
    path("manage/directory/<int:pk>/", views.edit, name="directory_edit"),
    path("manage/directory/<int:pk>/confirm/", views.confirm, name="directory_confirm"),
    path("manage/directory/<int:pk>/unpublish/", views.unpublish, name="directory_unpublish"),
    path("manage/directory/coverage/", views.coverage_view, name="directory_coverage"),
]
