"""URLs of formal identification (included in opennrm.web.urls, namespace "web").

The referring organisation's follow-up and documents, the judicial route, the département
platform (workspace, case file, members) and the in-app notifications. The deadline lists are
monitoring (opennrm.web.monitoring).
"""

from django.urls import URLPattern, path

from opennrm.web.identification.views import judicial, platform, referral

urlpatterns: list[URLPattern] = [
    # The referring organisation
    path(
        "cases/<str:reference>/identification/",
        referral.case_identification,
        name="identification",
    ),
    path(
        "cases/<str:reference>/identification/attestation/",
        referral.status_attestation,
        name="status_attestation",
    ),
    path(
        "identification/questions/<int:pk>/answer/",
        referral.answer_question,
        name="identification_answer",
    ),
    path(
        "identification/decisions/<int:pk>/reconsideration/",
        referral.reconsideration,
        name="reconsideration_request",
    ),
    path(
        "identification/decisions/<int:pk>/letter/",
        referral.decision_letter,
        name="decision_letter",
    ),
    path(
        "identification/referrals/<int:pk>/cooperation-ended/",
        referral.referrer_cooperation_end,
        name="referral_cooperation_end",
    ),
    path("notifications/", referral.notifications, name="notifications"),
    path(
        "notifications/preferences/",
        referral.notification_preferences,
        name="notification_preferences",
    ),
    # The judicial route
    path("judicial/", judicial.referral_list, name="judicial_referrals"),
    path(
        "judicial/referrals/<int:pk>/",
        judicial.referral_detail,
        name="judicial_referral",
    ),
    path(
        "judicial/referrals/<int:pk>/statement/",
        judicial.statement,
        name="judicial_statement",
    ),
    path(
        "judicial/referrals/<int:pk>/decision/",
        judicial.decide,
        name="judicial_decision",
    ),
    path(
        "judicial/referrals/<int:pk>/cooperation-ended/",
        judicial.cooperation_end,
        name="judicial_cooperation_end",
    ),
    # The département platform
    path("platform/", platform.workspace, name="platform"),
    path("platform/members/", platform.members, name="platform_members"),
    path(
        "platform/members/<int:pk>/deputy/",
        platform.member_deputy,
        name="platform_member_deputy",
    ),
    path(
        "platform/members/<int:pk>/deputy/end/",
        platform.member_deputy_end,
        name="platform_member_deputy_end",
    ),
    path(
        "platform/members/<int:pk>/remove/",
        platform.member_remove,
        name="platform_member_remove",
    ),
    path("platform/cases/<int:pk>/", platform.case_file, name="platform_case"),
    path(
        "platform/cases/<int:pk>/conflict/",
        platform.declare_conflict,
        name="platform_conflict",
    ),
    path("platform/cases/<int:pk>/vote/", platform.vote, name="platform_vote"),
    path(
        "platform/cases/<int:pk>/interview/",
        platform.designate_interviewers,
        name="platform_interview",
    ),
    path(
        "platform/cases/<int:pk>/interview/report/",
        platform.interview_report,
        name="platform_interview_report",
    ),
    path(
        "platform/cases/<int:pk>/decision/",
        platform.decide,
        name="platform_decision",
    ),
]
