"""URLs of the protection area (included in opennrm.web.urls, namespace "web").

Rights information and leaflet, consent, children (guardian, child protection), protection
(reflection period, attestation, immediate needs), referral and anonymous notification.
"""

from django.urls import URLPattern, path

from opennrm.web.protection import documents, views

urlpatterns: list[URLPattern] = [
    path("leaflet/<str:language>/", documents.public_leaflet, name="public_leaflet"),
    path("cases/<str:reference>/rights/", views.rights, name="rights"),
    path("cases/<str:reference>/leaflet/", documents.leaflet, name="leaflet"),
    path("cases/<str:reference>/consents/", views.consents, name="consents"),
    path(
        "cases/<str:reference>/consents/<int:pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("cases/<str:reference>/guardian/", views.guardian, name="guardian"),
    path(
        "cases/<str:reference>/child-protection/",
        views.child_protection,
        name="child_protection",
    ),
    path("cases/<str:reference>/protection/", views.protection, name="protection"),
    path(
        "cases/<str:reference>/protection/attestation/",
        documents.reflection_attestation,
        name="reflection_attestation",
    ),
    path("cases/<str:reference>/referral/", views.referral, name="refer"),
    path(
        "cases/<str:reference>/referral/anonymous-notification/",
        views.anonymous_notification,
        name="anonymous_notification",
    ),
]
