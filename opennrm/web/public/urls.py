"""URLs of the public pages (included in opennrm.web.urls, namespace "web")."""

from django.urls import URLPattern, path

from opennrm.web.public import guidance, views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("legal/", views.legal, name="legal"),
    path("personal-data/", views.personal_data, name="personal_data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("directory/", views.directory, name="directory"),
    path("guidance/", guidance.guidance_index, name="guidance"),
    path("guidance/<slug:sector>/", guidance.guidance_sector, name="guidance_sector"),
    path("guidance/<slug:sector>/poster/", guidance.guidance_poster, name="guidance_poster"),
]
