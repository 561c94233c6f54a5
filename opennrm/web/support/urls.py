"""URLs of the support area (included in opennrm.web.urls, namespace "web").

The service directory and a provider's own services; orientations received by a provider;
a case's support plan (needs, orientations, accommodation matching, closure), residence,
non-punishment and compensation. Residence outcomes per prefecture are monitoring
(opennrm.web.monitoring).
"""

from django.urls import URLPattern, path

from opennrm.web.support.views import legal, plan, provider, services

CASE = "cases/<str:reference>/support/"

urlpatterns: list[URLPattern] = [
    # Service directory
    path("services/", services.services, name="services"),
    path("services/mine/", services.services_mine, name="services_mine"),
    path("services/new/", services.service_create, name="service_create"),
    path("services/<int:pk>/edit/", services.service_edit, name="service_edit"),
    path(
        "services/<int:pk>/capacity/",
        services.service_capacity,
        name="service_capacity",
    ),
    # Orientations received by a provider
    path("orientations/", provider.received, name="orientations_received"),
    path(
        "orientations/<int:pk>/",
        provider.received_detail,
        name="orientation_received",
    ),
    path(
        "orientations/<int:pk>/accept/",
        provider.received_accept,
        name="orientation_accept",
    ),
    path(
        "orientations/<int:pk>/decline/",
        provider.received_decline,
        name="orientation_decline",
    ),
    path(
        "orientations/<int:pk>/start/",
        provider.received_start,
        name="orientation_start",
    ),
    path(
        "orientations/<int:pk>/complete/",
        provider.received_complete,
        name="orientation_provider_complete",
    ),
    # Support plan of a case
    path(CASE, plan.plan, name="support_plan"),
    path(f"{CASE}needs/new/", plan.need_add, name="support_need_add"),
    path(f"{CASE}needs/import/", plan.needs_import, name="support_needs_import"),
    path(f"{CASE}needs/<int:need_pk>/orient/", plan.orient, name="support_orient"),
    path(
        f"{CASE}needs/<int:need_pk>/accommodation/",
        plan.accommodation_match,
        name="support_accommodation",
    ),
    path(f"{CASE}orientations/<int:pk>/", plan.orientation, name="support_orientation"),
    path(
        f"{CASE}orientations/<int:pk>/consent/",
        plan.orientation_consent,
        name="support_orientation_consent",
    ),
    path(
        f"{CASE}orientations/<int:pk>/consent-again/",
        plan.orientation_consent_again,
        name="support_orientation_consent_again",
    ),
    path(
        f"{CASE}orientations/<int:pk>/share-again/",
        plan.orientation_share_again,
        name="support_orientation_share_again",
    ),
    path(
        f"{CASE}orientations/<int:pk>/send/",
        plan.orientation_send,
        name="support_orientation_send",
    ),
    path(
        f"{CASE}orientations/<int:pk>/cancel/",
        plan.orientation_cancel,
        name="support_orientation_cancel",
    ),
    path(
        f"{CASE}orientations/<int:pk>/complete/",
        plan.orientation_complete,
        name="support_orientation_complete",
    ),
    path(f"{CASE}close/", plan.close, name="support_close"),
    path(f"{CASE}reopen/", plan.reopen, name="support_reopen"),
    path(f"{CASE}follow-up/", plan.follow_up, name="support_follow_up"),
    # Residence
    path(f"{CASE}residence/", legal.residence_list, name="support_residence"),
    path(
        f"{CASE}residence/<int:pk>/",
        legal.residence_detail,
        name="support_residence_detail",
    ),
    path(
        f"{CASE}residence/<int:pk>/decision/",
        legal.residence_decide,
        name="support_residence_decide",
    ),
    path(
        f"{CASE}residence/<int:pk>/receipt/",
        legal.residence_receipt,
        name="support_residence_receipt",
    ),
    path(
        f"{CASE}residence/<int:pk>/renewal/",
        legal.residence_renew,
        name="support_residence_renew",
    ),
    path(
        f"{CASE}residence/<int:pk>/letter/",
        legal.residence_letter,
        name="support_residence_letter",
    ),
    # Non-punishment
    path(
        f"{CASE}non-punishment/",
        legal.non_punishment_list,
        name="support_non_punishment",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/",
        legal.non_punishment_detail,
        name="support_non_punishment_detail",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/sent/",
        legal.non_punishment_sent,
        name="support_non_punishment_sent",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/outcome/",
        legal.non_punishment_outcome,
        name="support_non_punishment_outcome",
    ),
    path(
        f"{CASE}non-punishment/<int:pk>/note/",
        legal.non_punishment_note,
        name="support_non_punishment_note",
    ),
    # Compensation and labour rights
    path(
        f"{CASE}compensation/",
        legal.compensation_list,
        name="support_compensation",
    ),
    path(
        f"{CASE}compensation/<int:pk>/",
        legal.compensation_detail,
        name="support_compensation_detail",
    ),
    path(
        f"{CASE}compensation/<int:pk>/decision/",
        legal.compensation_decide,
        name="support_compensation_decide",
    ),
]
