"""URLs of the support area (included in opennrm.web.urls, namespace "web").

The service directory and a provider's own services; orientations received by a provider;
a case's support plan (needs, orientations, accommodation matching, closure), residence,
non-punishment and compensation; residence outcomes per prefecture.
"""

from django.urls import URLPattern, path

from opennrm.web.views import support, support_legal, support_provider, support_services

CASE = "cases/<str:reference>/support/"

urlpatterns: list[URLPattern] = [
    # Service directory
    path("services/", support_services.services, name="services"),
    path("services/mine/", support_services.services_mine, name="services_mine"),
    path("services/new/", support_services.service_create, name="service_create"),
    path("services/<int:pk>/edit/", support_services.service_edit, name="service_edit"),
    path(
        "services/<int:pk>/capacity/",
        support_services.service_capacity,
        name="service_capacity",
    ),
    # Orientations received by a provider
    path("orientations/", support_provider.received, name="orientations_received"),
    path(
        "orientations/<int:pk>/",
        support_provider.received_detail,
        name="orientation_received",
    ),
    path(
        "orientations/<int:pk>/accept/",
        support_provider.received_accept,
        name="orientation_accept",
    ),
    path(
        "orientations/<int:pk>/decline/",
        support_provider.received_decline,
        name="orientation_decline",
    ),
    path(
        "orientations/<int:pk>/start/",
        support_provider.received_start,
        name="orientation_start",
    ),
    path(
        "orientations/<int:pk>/complete/",
        support_provider.received_complete,
        name="orientation_provider_complete",
    ),
    # Support plan of a case
    path(CASE, support.plan, name="support_plan"),
    path(f"{CASE}needs/new/", support.need_add, name="support_need_add"),
    path(f"{CASE}needs/import/", support.needs_import, name="support_needs_import"),
    path(f"{CASE}needs/<int:need_pk>/orient/", support.orient, name="support_orient"),
    path(
        f"{CASE}needs/<int:need_pk>/accommodation/",
        support.accommodation_match,
        name="support_accommodation",
    ),
    path(f"{CASE}orientations/<int:pk>/", support.orientation, name="support_orientation"),
    path(
        f"{CASE}orientations/<int:pk>/consent/",
        support.orientation_consent,
        name="support_orientation_consent",
    ),
    path(
        f"{CASE}orientations/<int:pk>/consent-again/",
        support.orientation_consent_again,
        name="support_orientation_consent_again",
    ),
    path(
        f"{CASE}orientations/<int:pk>/share-again/",
        support.orientation_share_again,
        name="support_orientation_share_again",
    ),
    path(
        f"{CASE}orientations/<int:pk>/send/",
        support.orientation_send,
        name="support_orientation_send",
    ),
    path(
        f"{CASE}orientations/<int:pk>/cancel/",
        support.orientation_cancel,
        name="support_orientation_cancel",
    ),
    path(
        f"{CASE}orientations/<int:pk>/complete/",
        support.orientation_complete,
        name="support_orientation_complete",
    ),
    path(f"{CASE}close/", support.close, name="support_close"),
    path(f"{CASE}reopen/", support.reopen, name="support_reopen"),
    path(f"{CASE}follow-up/", support.follow_up, name="support_follow_up"),
    # Residence
    path(f"{CASE}residence/", support_legal.residence_list, name="support_residence"),
    path(
        f"{CASE}residence/<int:pk>/",
        support_legal.residence_detail,
        name="support_residence_detail",
    ),
    path(
        f"{CASE}residence/<int:pk>/decision/",
        support_legal.residence_decide,
        name="support_residence_decide",
    ),
    path(
        f"{CASE}residence/<int:pk>/receipt/",
        support_legal.residence_receipt,
        name="support_residence_receipt",
    ),
    path(
        f"{CASE}residence/<int:pk>/renewal/",
        support_legal.residence_renew,
        name="support_residence_renew",
    ),
    path(
        f"{CASE}residence/<int:pk>/letter/",
        support_legal.residence_letter,
        name="support_residence_letter",
    ),
    # Non-punishment
    path(
        f"{CASE}non-punishment/",
        support_legal.non_punishment_list,
        name="support_non_punishment",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/",
        support_legal.non_punishment_detail,
        name="support_non_punishment_detail",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/sent/",
        support_legal.non_punishment_sent,
        name="support_non_punishment_sent",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/outcome/",
        support_legal.non_punishment_outcome,
        name="support_non_punishment_outcome",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/note/",
        support_legal.non_punishment_note,
        name="support_non_punishment_note",
    ),
    # Compensation and labour rights
    path(
        f"{CASE}compensation/",
        support_legal.compensation_list,
        name="support_compensation",
    ),
    path(
        f"{CASE}compensation/<int:pk>/",
        support_legal.compensation_detail,
        name="support_compensation_detail",
    ),
    path(
        f"{CASE}compensation/<int:pk>/decision/",
        support_legal.compensation_decide,
        name="support_compensation_decide",
    ),
    # Monitoring
    path(
        "monitoring/residence/",
        support_legal.residence_outcomes,
        name="support_residence_outcomes",
    ),
]
