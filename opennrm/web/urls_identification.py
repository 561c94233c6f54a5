"""URLs of formal identification (included in opennrm.web.urls, namespace "web").

The referring organisation's follow-up and documents, the judicial route, the département
platform (workspace, case file, members), the deadline lists and the in-app notifications.
"""

from django.urls import URLPattern, path

from opennrm.web.views import identification, identification_judicial, identification_platform

urlpatterns: list[URLPattern] = [
    # The referring organisation
    path(
        "cases/<str:reference>/identification/",
        identification.case_identification,
        name="identification",
    ),
    path(
        "cases/<str:reference>/identification/attestation/",
        identification.status_attestation,
        name="status_attestation",
    ),
    path(
        "identification/questions/<int:pk>/answer/",
        identification.answer_question,
        name="identification_answer",
    ),
    path(
        "identification/decisions/<int:pk>/reconsideration/",
        identification.reconsideration,
        name="reconsideration_request",
    ),
    path(
        "identification/decisions/<int:pk>/letter/",
        identification.decision_letter,
        name="decision_letter",
    ),
    path(
        "identification/referrals/<int:pk>/cooperation-ended/",
        identification.referrer_cooperation_end,
        name="referral_cooperation_end",
    ),
    path("identification/deadlines/", identification.deadlines, name="identification_deadlines"),
    path("notifications/", identification.notifications, name="notifications"),
    # The judicial route
    path("judicial/", identification_judicial.referral_list, name="judicial_referrals"),
    path(
        "judicial/referrals/<int:pk>/",
        identification_judicial.referral_detail,
        name="judicial_referral",
    ),
    path(
        "judicial/referrals/<int:pk>/statement/",
        identification_judicial.statement,
        name="judicial_statement",
    ),
    path(
        "judicial/referrals/<int:pk>/decision/",
        identification_judicial.decide,
        name="judicial_decision",
    ),
    path(
        "judicial/referrals/<int:pk>/cooperation-ended/",
        identification_judicial.cooperation_end,
        name="judicial_cooperation_end",
    ),
    # The département platform
    path("platform/", identification_platform.workspace, name="platform"),
    path("platform/members/", identification_platform.members, name="platform_members"),
    path(
        "platform/members/<int:pk>/deputy/",
        identification_platform.member_deputy,
        name="platform_member_deputy",
    ),
    path(
        "platform/members/<int:pk>/deputy/end/",
        identification_platform.member_deputy_end,
        name="platform_member_deputy_end",
    ),
    path(
        "platform/members/<int:pk>/remove/",
        identification_platform.member_remove,
        name="platform_member_remove",
    ),
    path("platform/cases/<int:pk>/", identification_platform.case_file, name="platform_case"),
    path(
        "platform/cases/<int:pk>/conflict/",
        identification_platform.declare_conflict,
        name="platform_conflict",
    ),
    path("platform/cases/<int:pk>/vote/", identification_platform.vote, name="platform_vote"),
    path(
        "platform/cases/<int:pk>/interview/",
        identification_platform.designate_interviewers,
        name="platform_interview",
    ),
    path(
        "platform/cases/<int:pk>/interview/report/",
        identification_platform.interview_report,
        name="platform_interview_report",
    ),
    path(
        "platform/cases/<int:pk>/decision/",
        identification_platform.decide,
        name="platform_decision",
    ),
]
