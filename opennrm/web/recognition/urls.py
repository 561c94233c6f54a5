"""URLs of the recognition of authorised reporters (included in opennrm.web.urls, namespace
"web"). The public list is a public page."""

from django.urls import URLPattern, path

from opennrm.web.recognition import views

urlpatterns: list[URLPattern] = [
    path("authorised-reporters/", views.public_list, name="authorised_reporters"),
    path("manage/recognitions/", views.recognitions, name="recognitions"),
    path("manage/recognitions/<int:pk>/", views.history, name="recognition_history"),
    path("manage/recognitions/<int:pk>/recognise/", views.recognise, name="recognition_recognise"),
    path("manage/recognitions/<int:pk>/withdraw/", views.withdraw, name="recognition_withdraw"),
]
