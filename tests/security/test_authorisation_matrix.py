"""The authorisation matrix: every route × every persona × every relation to the object.

Need-to-know, proven (issue #6). The routes are not listed by hand: they are read at run time
from the URL configuration (`django.urls.get_resolver()`, walked recursively: the `web`
namespace, allauth under `accounts/`, `i18n/setlang/`, `admin/` and the API under `api/v1/`)
and from the OpenAPI schema of `opennrm.web.api.api` (every path × method). Each one needs an
expectation below; a route without one, or an expectation naming a route that no longer exists,
fails `test_every_route_has_an_expectation` with the list of them.

The world (`matrix_world.py`) holds the same objects in two départements: 93 around
Association 93 (amina, hugo, paul), 13 around yasmine's Association 13. A route that names an
object (a case reference, a pk…) is requested once for the object of each département, by
every persona; the persona's *relation* to that object decides the expected outcome:

    owner's administrator (amina in 93, yasmine in 13), owner's field worker (hugo),
    owner's platform member (paul), local coordinator and platform chair (louis, marcel),
    judicial service (claire, victor), prefecture (sophie), oriented provider (ines, olga),
    provider without orientation (kim), national coordinator (nadia), data protection
    officer (robert), other département (anyone whose organisation is in the other one),
    anonymous.

A route without an object is requested once per persona; the relation is then the persona's
place in its own département. Outcomes: an HTTP status, `LOGIN` (302 to the allauth login
page, `?next=` the URL), `ADMIN_LOGIN` (302 to the admin's login page). Anonymous visitors get
`anonymous` (`LOGIN` unless said otherwise: 401 for API operations, 200 for public pages);
every relation not named in an expectation gets its `default` (404).

Requests: GET for pages; POST with an empty body (minimal JSON for the API) for POST-only
routes: the point is the access decision, which comes before any validation, so a persona with
access may get the form back with errors (200) or a redirect (302). Every request runs in a
savepoint rolled back at once, so a POST that succeeds changes nothing for the next one. Nothing
is stubbed: PDFs are rendered by WeasyPrint and the 404 page is the project's.

Third-party routes follow explicit rules, listed and counted like the others:

- `admin/*`: no persona is staff. The admin site's own views (`ADMIN_SITE`: index, login,
  logout, password change, autocomplete, catch-all…) are listed one by one; every other admin
  route (one per registered model and view, `ADMIN_MODEL_VIEWS`) answers `LOGIN` to
  anonymous visitors and `ADMIN_LOGIN` to every persona. The admin's login page sends
  anonymous visitors to allauth (MFA) and refuses signed-in non-staff users with 403
  (allauth's `secure_admin_login`). Superusers are tested in `tests/core/test_admin.py`.
- `accounts/*` (allauth): the visitor's own account, no object of anyone else's: one outcome
  for anonymous visitors and one for every signed-in persona, per route (`ACCOUNT_ROUTES`).

To add a route: add its key (`web:<name>`, `api:<name>`, or `METHOD /api/v1/...` for an API
operation) to `EXPECTATIONS` with the relations that get something other than 404, the method,
and, for an object route, which object of the world it names (`ref=` for `<reference>`, `pk=`
for `<pk>`; `need_pk`, `membership_pk` and `assessment_id` are filled on their own). Add the
object to `matrix_world.build_world` if it is new. Outsiders and other départements get 404:
`test_no_expectation_lets_an_outsider_in` refuses an expectation that says otherwise.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from opennrm.core.models import User
from opennrm.indicators.catalogue import latest_catalogue
from opennrm.web.api import api
from tests.security import matrix_world

if TYPE_CHECKING:
    from tests.security.conftest import MatrixReport

pytestmark = pytest.mark.django_db

Outcome = int | str
LOGIN = "login"  # 302 to the allauth login page, ?next= the URL
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page

# Relations ------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
OWNER_ADMIN = "owner's administrator"
OWNER_STAFF = "owner's field worker"
OWNER_PLATFORM = "owner's platform member"
COORDINATOR = "local coordinator"
JUDICIAL = "judicial service"
PREFECTURE = "prefecture"
PROVIDER = "oriented provider"
UNNAMED_PROVIDER = "provider without orientation"
NATIONAL = "national coordinator"
DPO = "data protection officer"
OTHER_DEPARTEMENT = "other département"
# Never anything but 404 on an object.
OUTSIDERS = frozenset({OTHER_DEPARTEMENT, UNNAMED_PROVIDER})

# persona -> (home département, relation to the objects of that département)
PERSONAS: dict[str, tuple[str | None, str]] = {
    "anonymous": (None, ANONYMOUS),
    "nadia": (None, NATIONAL),
    "robert": (None, DPO),
    "amina": ("93", OWNER_ADMIN),
    "hugo": ("93", OWNER_STAFF),
    "paul": ("93", OWNER_PLATFORM),
    "louis": ("93", COORDINATOR),
    "claire": ("93", JUDICIAL),
    "sophie": ("93", PREFECTURE),
    "ines": ("93", PROVIDER),
    "kim": ("93", UNNAMED_PROVIDER),
    "yasmine": ("13", OWNER_ADMIN),
    "marcel": ("13", COORDINATOR),
    "victor": ("13", JUDICIAL),
    "olga": ("13", PROVIDER),
}


def relation(persona: str, departement: str | None) -> str:
    """The persona's relation to an object of `departement` (None: a route without object)."""
    home, role = PERSONAS[persona]
    if departement is not None and home is not None and home != departement:
        return OTHER_DEPARTEMENT
    return role


# Expectations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What a route answers. `granted`: relation -> outcome; other relations get `default`."""

    granted: Mapping[str, Outcome] = field(default_factory=dict)
    method: Literal["get", "post"] = "get"
    default: Outcome = 404
    anonymous: Outcome = LOGIN
    ref: str | None = None  # the world object whose reference fills <reference>
    pk: str | None = None  # the world object whose pk fills <pk>
    body: Mapping[str, Any] | None = None  # JSON body (API); a POST is otherwise empty

    def outcome(self, relation_: str) -> Outcome:
        if relation_ == ANONYMOUS:
            return self.anonymous
        return self.granted.get(relation_, self.default)


def owner_staff(outcome: Outcome = 200) -> dict[str, Outcome]:
    """The owner's field staff: its administrator (a field worker) and its field worker."""
    return {OWNER_ADMIN: outcome, OWNER_STAFF: outcome}


EVERYONE = Expect(default=200)  # a route without object, for every signed-in persona
PUBLIC = Expect(default=200, anonymous=200)
PLATFORM = {OWNER_PLATFORM: 200, COORDINATOR: 200}  # paul sits on platform 93; chairs too

# Route key -> expectation. Relations not named get `default` (404); anonymous visitors get
# `anonymous` (LOGIN; 401 for API operations).
EXPECTATIONS: dict[str, Expect] = {
    # Public pages, the language switch, the foundation
    "web:home": PUBLIC,
    "web:legal": PUBLIC,
    "web:accessibility": PUBLIC,
    "web:personal_data": PUBLIC,
    "web:health_live": PUBLIC,
    "web:health_ready": PUBLIC,
    "web:directory": PUBLIC,
    "web:protocol": PUBLIC,
    "web:protocol_pdf": PUBLIC,
    "web:protocol_changes": PUBLIC,
    "web:report": PUBLIC,
    "web:report_thanks": PUBLIC,
    "web:public_leaflet": PUBLIC,
    "web:guidance": PUBLIC,
    "web:guidance_sector": PUBLIC,
    "web:guidance_poster": PUBLIC,
    "set_language": Expect(method="post", default=302, anonymous=302),
    "web:dashboard": EVERYONE,
    "web:switch_organisation": Expect(method="post", default=302),
    "web:notifications": EVERYONE,
    "web:notification_preferences": EVERYONE,
    "web:overdue": EVERYONE,
    # An organisation's private page: its members; its administration: its administrators.
    "web:organisation": Expect({**owner_staff(), OWNER_PLATFORM: 200}, pk="organisation"),
    "web:invite": Expect({OWNER_ADMIN: 200}, pk="organisation"),
    "web:add_training": Expect({OWNER_ADMIN: 200}, pk="organisation"),
    "web:deactivate_member": Expect({OWNER_ADMIN: 200}, pk="organisation"),
    "web:resend_invitation": Expect({OWNER_ADMIN: 302}, method="post", pk="organisation"),
    # The directory: the national coordinator; a contact body (prefecture) its own entries.
    "web:directory_manage": Expect({PREFECTURE: 200, NATIONAL: 200}),
    "web:directory_create": Expect({PREFECTURE: 200, NATIONAL: 200}),
    "web:directory_edit": Expect({PREFECTURE: 200, NATIONAL: 200}, pk="entry"),
    "web:directory_confirm": Expect({PREFECTURE: 302, NATIONAL: 302}, method="post", pk="entry"),
    "web:directory_unpublish": Expect({PREFECTURE: 200, NATIONAL: 200}, pk="entry"),
    "web:directory_coverage": Expect({NATIONAL: 200}),
    # Recognition of authorised reporters: the competent body (national coordinator) only; the
    # public list of authorised reporters is public.
    "web:authorised_reporters": PUBLIC,
    "web:recognitions": Expect({NATIONAL: 200}),
    "web:recognition_history": Expect({NATIONAL: 200}, pk="organisation"),
    "web:recognition_recognise": Expect({NATIONAL: 200}, pk="organisation"),
    "web:recognition_withdraw": Expect({NATIONAL: 200}, pk="organisation"),
    # The indicator catalogue with its editorial notes: for those who maintain it.
    "web:indicator_catalogue": Expect({NATIONAL: 200}),
    "web:audit": Expect({DPO: 200}),
    # Concerns: staff who report or triage enter them; the coordinator of the département
    # triages; the entering organisation's field staff read theirs.
    "web:concerns": Expect({**owner_staff(), COORDINATOR: 200, JUDICIAL: 200}),
    "web:concern_create": Expect({**owner_staff(), COORDINATOR: 200, JUDICIAL: 200}),
    "web:concern": Expect({**owner_staff(), COORDINATOR: 200}, ref="concern"),
    "web:concern_open_case": Expect({COORDINATOR: 200}, method="post", ref="concern"),
    "web:concern_attach": Expect({COORDINATOR: 200}, method="post", ref="concern"),
    # The case picker's options: the coordinator who may triage the concern.
    "web:concern_case_options": Expect({COORDINATOR: 200}, ref="concern"),
    "web:concern_close": Expect({COORDINATOR: 200}, ref="concern"),
    # Cases: the owner's members and the coordination it is shared with read the case; the
    # identity and every change are the owner's field staff's.
    "web:cases": EVERYONE,
    "web:case_create": Expect({**owner_staff(), JUDICIAL: 200}),
    "web:case": Expect({**owner_staff(), **PLATFORM}, ref="assessing"),
    # The case file printed: for whoever reads the case page (the identity only for its staff).
    "web:case_print": Expect({**owner_staff(), **PLATFORM}, ref="assessing"),
    "web:case_edit": Expect(owner_staff(), ref="assessing"),
    "web:case_identity": Expect(owner_staff(), ref="assessing"),
    "web:case_identity_edit": Expect(owner_staff(), ref="assessing"),
    "web:case_close": Expect(owner_staff(), ref="assessing"),
    # How to reach the person safely: recorded by the owner's field staff (the form comes
    # back: 200); read on the pages where someone might contact the person.
    "web:case_safe_contact": Expect(owner_staff(), ref="assessing"),
    "web:case_reopen": Expect(owner_staff(302), method="post", ref="assessing"),
    "web:assessment_start": Expect(owner_staff(), ref="assessing"),
    # Transfers: the coordinators of the two organisations (an administrator who does case
    # work: amina, yasmine; louis, marcel). The responsible organisation's proposes; a linked
    # one (the coordination the case is shared with) asks to take it; the side that did not
    # ask decides, the side that asked withdraws; either ends the former owner's read-only
    # access.
    "web:case_transfer": Expect({OWNER_ADMIN: 200, COORDINATOR: 200}, ref="assessing"),
    "web:transfers": Expect({OWNER_ADMIN: 200, COORDINATOR: 200}),
    "web:transfer": Expect({OWNER_ADMIN: 200, COORDINATOR: 200}, pk="transfer"),
    "web:transfer_accept": Expect({COORDINATOR: 200}, pk="transfer"),
    "web:transfer_decline": Expect({COORDINATOR: 302}, method="post", pk="transfer"),
    "web:transfer_withdraw": Expect({OWNER_ADMIN: 302}, method="post", pk="transfer"),
    "web:transfer_end_former_access": Expect(
        {OWNER_ADMIN: 302, COORDINATOR: 302}, method="post", pk="transferred"
    ),
    "web:assessment": Expect({**owner_staff(), **PLATFORM}, pk="assessment"),
    # The person's account: the owner's field staff (coordinators of an owning coordination
    # read it; the platform and the judicial service read it in the referred file).
    "web:account": Expect(owner_staff(), ref="assessing"),
    "web:account_section": Expect(owner_staff(302), method="post", ref="assessing"),
    "web:account_situation_add": Expect(owner_staff(200), method="post", ref="assessing"),
    "web:account_situation": Expect(
        owner_staff(200), method="post", ref="assessing", pk="situation"
    ),
    "web:account_situation_remove": Expect(
        owner_staff(302), method="post", ref="assessing", pk="situation"
    ),
    # Its facts, exploiters and workplaces: the same readers and writers (the referred file's
    # readers get them through the file).
    "web:account_facts": Expect(owner_staff(), ref="assessing"),
    "web:account_parties": Expect(owner_staff(), ref="assessing"),
    "web:account_exploiter_add": Expect(owner_staff(200), method="post", ref="assessing"),
    "web:account_exploiter": Expect(
        owner_staff(200), method="post", ref="assessing", pk="exploiter"
    ),
    "web:account_exploiter_remove": Expect(
        owner_staff(302), method="post", ref="assessing", pk="exploiter"
    ),
    "web:account_workplace_add": Expect(owner_staff(200), method="post", ref="assessing"),
    "web:account_workplace": Expect(
        owner_staff(200), method="post", ref="assessing", pk="workplace"
    ),
    "web:account_workplace_remove": Expect(
        owner_staff(302), method="post", ref="assessing", pk="workplace"
    ),
    # Documents attached to the case: the owner's field staff (coordinators of an owning
    # coordination read them); those who decide on the referral in force download them from
    # the file (the platform of the département: its chair and members).
    "web:evidence": Expect(owner_staff(), ref="assessing"),
    "web:evidence_download": Expect(owner_staff(), ref="assessing", pk="evidence"),
    "web:evidence_remove": Expect(owner_staff(), ref="assessing", pk="evidence"),
    "web:referred_evidence_download": Expect(PLATFORM, pk="pending_evidence"),
    # HTCDS exchange: the coordinators' page (import, bulk export pseudonymised); a case's
    # export under the person's consent to share, for who reads the person's account.
    "web:exchange": Expect({COORDINATOR: 200, NATIONAL: 200}),
    "web:exchange_bulk_export": Expect({COORDINATOR: 200, NATIONAL: 200}),
    "web:case_exchange": Expect(owner_staff(), ref="main"),
    "web:case_export": Expect(owner_staff(), ref="main", pk="share_consent"),
    # Protection: the owner's field staff only.
    "web:rights": Expect(owner_staff(), ref="main"),
    "web:leaflet": Expect(owner_staff(), ref="main"),
    "web:consents": Expect(owner_staff(), ref="main"),
    "web:consent_withdraw": Expect(owner_staff(), ref="main", pk="consent"),
    "web:guardian": Expect(owner_staff(), ref="child"),
    "web:child_protection": Expect(owner_staff(), ref="child"),
    "web:protection": Expect(owner_staff(), ref="main"),
    "web:reflection_attestation": Expect(owner_staff(), ref="main"),
    "web:refer": Expect(owner_staff(), ref="main"),
    "web:anonymous_notification": Expect(owner_staff(), ref="main"),
    # Formal identification: the referring organisation's field staff.
    "web:identification": Expect(owner_staff(), ref="refused"),
    "web:status_attestation": Expect(owner_staff(), ref="judicial"),
    "web:identification_answer": Expect(owner_staff(), pk="question"),
    "web:reconsideration_request": Expect(owner_staff(), pk="decision"),
    "web:decision_letter": Expect(owner_staff(), pk="decision"),
    "web:referral_cooperation_end": Expect(owner_staff(302), method="post", pk="judicial_referral"),
    "web:identification_deadlines": Expect(
        {OWNER_PLATFORM: 200, COORDINATOR: 200, JUDICIAL: 200, NATIONAL: 200}
    ),
    # The judicial route: the service the case was referred to (the form comes back: 200).
    "web:judicial_referrals": Expect({JUDICIAL: 200}),
    "web:judicial_referral": Expect({JUDICIAL: 200}, pk="judicial_referral"),
    "web:judicial_statement": Expect({JUDICIAL: 200}, method="post", pk="judicial_referral"),
    "web:judicial_decision": Expect({JUDICIAL: 200}, method="post", pk="judicial_referral"),
    "web:judicial_cooperation_end": Expect({JUDICIAL: 200}, method="post", pk="judicial_referral"),
    # The platform of the département: its members (paul in 93) and its chair (louis,
    # marcel); the members' list is the chair's.
    "web:platform": Expect(PLATFORM),
    "web:platform_members": Expect({COORDINATOR: 200}),
    "web:platform_member_deputy": Expect({COORDINATOR: 302}, method="post", pk="seat"),
    "web:platform_member_deputy_end": Expect({COORDINATOR: 302}, method="post", pk="seat"),
    "web:platform_member_remove": Expect({COORDINATOR: 200}, pk="seat"),
    "web:platform_case": Expect(PLATFORM, pk="pending_referral"),
    "web:platform_conflict": Expect(PLATFORM, method="post", pk="pending_referral"),
    "web:platform_vote": Expect(PLATFORM, method="post", pk="pending_referral"),
    "web:platform_interview": Expect(PLATFORM, method="post", pk="pending_referral"),
    "web:platform_interview_report": Expect(PLATFORM, method="post", pk="pending_referral"),
    "web:platform_decision": Expect(PLATFORM, method="post", pk="pending_referral"),
    # Services: the directory for every member; administrators and providers manage their
    # organisation's services, the national coordinator all of them.
    "web:services": EVERYONE,
    "web:services_mine": Expect(
        {
            OWNER_ADMIN: 200,
            COORDINATOR: 200,
            PREFECTURE: 200,
            PROVIDER: 200,
            UNNAMED_PROVIDER: 200,
            NATIONAL: 200,
        }
    ),
    "web:service_create": Expect(
        {
            OWNER_ADMIN: 200,
            COORDINATOR: 200,
            PREFECTURE: 200,
            PROVIDER: 200,
            UNNAMED_PROVIDER: 200,
            NATIONAL: 200,
        }
    ),
    "web:service_edit": Expect({PROVIDER: 200, NATIONAL: 200}, pk="service"),
    "web:service_capacity": Expect({PROVIDER: 302, NATIONAL: 302}, method="post", pk="service"),
    # Orientations received: the provider the orientation was sent to, with the consent.
    "web:orientations_received": Expect({PROVIDER: 200, UNNAMED_PROVIDER: 200}),
    "web:orientation_received": Expect({PROVIDER: 200}, pk="orientation"),
    "web:orientation_accept": Expect({PROVIDER: 302}, method="post", pk="orientation"),
    "web:orientation_decline": Expect({PROVIDER: 302}, method="post", pk="orientation"),
    "web:orientation_start": Expect({PROVIDER: 302}, method="post", pk="orientation"),
    "web:orientation_provider_complete": Expect({PROVIDER: 302}, method="post", pk="orientation"),
    # The support plan, residence, non-punishment, compensation: the owner's field staff.
    "web:support_plan": Expect(owner_staff(), ref="main"),
    "web:support_need_add": Expect(owner_staff(302), method="post", ref="main"),
    "web:support_needs_import": Expect(owner_staff(302), method="post", ref="main"),
    "web:support_orient": Expect(owner_staff(302), ref="main"),  # the need is oriented
    "web:support_accommodation": Expect(owner_staff(), ref="main"),
    "web:support_orientation": Expect(owner_staff(), ref="main", pk="orientation"),
    "web:support_orientation_consent": Expect(
        owner_staff(302), method="post", ref="main", pk="orientation"
    ),
    "web:support_orientation_consent_again": Expect(
        owner_staff(302), method="post", ref="main", pk="orientation"
    ),
    "web:support_orientation_share_again": Expect(owner_staff(302), ref="main", pk="orientation"),
    "web:support_orientation_send": Expect(
        owner_staff(302), method="post", ref="main", pk="orientation"
    ),
    "web:support_orientation_cancel": Expect(
        owner_staff(302), method="post", ref="main", pk="orientation"
    ),
    "web:support_orientation_complete": Expect(
        owner_staff(302), method="post", ref="main", pk="orientation"
    ),
    "web:support_close": Expect(owner_staff(), ref="main"),
    "web:support_reopen": Expect(owner_staff(302), method="post", ref="closed"),
    "web:support_follow_up": Expect(owner_staff(302), method="post", ref="closed"),
    "web:support_residence": Expect(owner_staff(), ref="main"),
    "web:support_residence_detail": Expect(owner_staff(), ref="main", pk="residence"),
    "web:support_residence_decide": Expect(
        owner_staff(302), method="post", ref="main", pk="residence"
    ),
    "web:support_residence_receipt": Expect(
        owner_staff(302), method="post", ref="main", pk="residence"
    ),
    "web:support_residence_renew": Expect(
        owner_staff(302), method="post", ref="main", pk="residence"
    ),
    "web:support_residence_letter": Expect(owner_staff(), ref="main", pk="residence"),
    "web:support_non_punishment": Expect(owner_staff(), ref="main"),
    "web:support_non_punishment_detail": Expect(owner_staff(), ref="main", pk="non_punishment"),
    "web:support_non_punishment_sent": Expect(
        owner_staff(302), method="post", ref="main", pk="non_punishment"
    ),
    "web:support_non_punishment_outcome": Expect(
        owner_staff(302), method="post", ref="main", pk="non_punishment"
    ),
    "web:support_non_punishment_note": Expect(owner_staff(), ref="main", pk="non_punishment"),
    "web:support_compensation": Expect(owner_staff(), ref="main"),
    "web:support_compensation_detail": Expect(owner_staff(), ref="main", pk="compensation"),
    "web:support_compensation_decide": Expect(
        owner_staff(302), method="post", ref="main", pk="compensation"
    ),
    "web:support_residence_outcomes": Expect({COORDINATOR: 200, NATIONAL: 200}),  # counts
    "web:monitoring_funnel": Expect({COORDINATOR: 200, NATIONAL: 200}),  # counts, protected
    "web:monitoring_indicators": Expect({COORDINATOR: 200, NATIONAL: 200}),  # counts, protected
    # Data protection: exceptional accesses for administrators (to their cases), holders and
    # the DPO; closing one for its holder and the DPO; a person's rights for the owner's
    # administrator (the DPO only under an exceptional access with the identity).
    "web:privacy_exceptional_access": Expect(
        {
            OWNER_ADMIN: 200,
            COORDINATOR: 200,
            PREFECTURE: 200,
            PROVIDER: 200,
            NATIONAL: 200,
            DPO: 200,
        }
    ),
    "web:privacy_exceptional_access_new": Expect({NATIONAL: 200, DPO: 200}),
    "web:privacy_exceptional_access_revoke": Expect(
        {NATIONAL: 302, DPO: 302}, method="post", pk="grant"
    ),
    "web:privacy_person_rights": Expect({OWNER_ADMIN: 200}, ref="main"),
    "web:privacy_subject_access_json": Expect({OWNER_ADMIN: 200}, ref="main"),
    "web:privacy_subject_access_pdf": Expect({OWNER_ADMIN: 200}, ref="main"),
    "web:privacy_subject_access_archive": Expect({OWNER_ADMIN: 200}, ref="main"),
    "web:privacy_rectification": Expect({OWNER_ADMIN: 200}, ref="main"),
    "web:privacy_retention": Expect({DPO: 200}),
    "web:audit_export": Expect({DPO: 200}),
    # The API's documentation stays behind the login page; its root is no page.
    "api:openapi-json": EVERYONE,
    "api:openapi-view": EVERYONE,
    "api:api-root": Expect(),
    # API operations: 401 for anonymous callers.
    "GET /api/v1/indicators/catalogues": Expect(default=200, anonymous=401),
    "GET /api/v1/indicators/catalogues/{version}/sets": Expect(default=200, anonymous=401),
    "POST /api/v1/indicators/evaluate": Expect(default=422, anonymous=401),  # body {}
    # Those who see the case but are not the owner's field staff get 403 (see the report).
    "POST /api/v1/cases/assessments/{assessment_id}/conclusion": Expect(
        {**owner_staff(), OWNER_PLATFORM: 403, COORDINATOR: 403},
        anonymous=401,
        body={"conclusion": "not_presumed", "reasons": "Fictional."},
    ),
}

# allauth, under accounts/: (anonymous, every signed-in persona). The visitor's own account
# only; a provider that is not configured is not found.
ACCOUNT_ROUTES: dict[str, tuple[Outcome, Outcome]] = {
    "account_login": (200, 302),
    "account_logout": (302, 200),
    "account_inactive": (200, 200),
    "account_signup": (200, 302),  # sign-up is closed: the page says so
    "account_reauthenticate": (LOGIN, 200),
    "account_email": (LOGIN, 200),
    "account_email_verification_sent": (200, 200),
    "account_change_password": (LOGIN, 200),
    "account_set_password": (LOGIN, 302),
    "account_reset_password": (200, 200),
    "account_confirm_login_code": (LOGIN, 302),
    "account_confirm_email": (200, 200),  # an unknown key: the page says so
    "account_reset_password_from_key_done": (200, 200),
    "account_reset_password_from_key": (200, 200),  # an unknown key: the page says so
    "account_reset_password_done": (200, 200),
    "mfa_index": (LOGIN, 200),
    "mfa_authenticate": (LOGIN, 302),
    "mfa_reauthenticate": (LOGIN, 200),
    "mfa_activate_totp": (LOGIN, 302),  # already active
    "mfa_deactivate_totp": (LOGIN, 302),
    "mfa_view_recovery_codes": (LOGIN, 404),  # none generated
    "mfa_generate_recovery_codes": (LOGIN, 302),
    "mfa_download_recovery_codes": (LOGIN, 404),
    "socialaccount_login_cancelled": (200, 200),
    "socialaccount_login_error": (LOGIN, 401),
    "socialaccount_signup": (LOGIN, LOGIN),
    "socialaccount_connections": (LOGIN, 200),
    "accounts/social/login/cancelled/": (LOGIN, 301),  # old addresses, moved to 3rdparty/
    "accounts/social/login/error/": (LOGIN, 301),
    "accounts/social/signup/": (LOGIN, 301),
    "accounts/social/connections/": (LOGIN, 301),
    "openid_connect_login": (404, 404),  # no such provider
    "openid_connect_callback": (404, 404),
    "proconnect_login": (404, 404),  # ProConnect not configured
    "proconnect_callback": (404, 404),
    "proconnect_logout": (302, 302),  # nothing to end at ProConnect: to the home page
    "proconnect_logout_callback": (302, 302),  # back from ProConnect's logout: to the home page
}

# The admin site's own views; every other admin/ route (one per registered model and view)
# answers LOGIN to anonymous visitors and ADMIN_LOGIN to the (non-staff) personas.
ADMIN_SITE: dict[str, Expect] = {
    "admin:index": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    # allauth's secure_admin_login refuses a signed-in non-staff user with 403.
    "admin:login": Expect(default=403),
    "admin:logout": Expect(default=302, anonymous=ADMIN_LOGIN),  # to the admin's index
    "admin:password_change": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin:password_change_done": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin:autocomplete": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin:jsi18n": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin:view_on_site": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin:app_list": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),
    "admin/(?P<url>.*)$": Expect(default=ADMIN_LOGIN, anonymous=ADMIN_LOGIN),  # catch-all
}
ADMIN_MODEL_VIEWS = Expect(default=ADMIN_LOGIN)


# Routes ---------------------------------------------------------------------------------------

OBJECT_PARAMS = {"reference", "pk", "need_pk", "membership_pk", "assessment_id"}
FIXED_OBJECTS = {"need_pk": "need", "membership_pk": "member", "assessment_id": "assessment"}
# Values for the parameters of third-party routes, and of routes whose parameter is no object.
LITERAL_PARAMS = {
    "language": "en",
    "kind": "json",
    "key": "matrix-key",
    "uidb36": "0",
    "provider_id": "matrix",
    "content_type_id": "1",
    "object_id": "1",
    "app_label": "core",
    "url": "matrix-nowhere/",
    "section": "background",  # a section of the person's account
    "sector": "cleaning",  # a sector of the public guidance
}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern, or one operation of the OpenAPI schema."""

    key: str  # "web:case", "admin:index", the pattern for an unnamed one, "GET /api/v1/..."
    path: str  # the full pattern, as ResolverMatch.route gives it
    params: tuple[str, ...]
    method: str | None = None  # an API operation's method

    @property
    def kind(self) -> str:
        if self.method is not None:
            return "api"
        for prefix in ("admin/", "accounts/", "api/"):
            if self.path.startswith(prefix):
                return prefix.rstrip("/")
        return "web"

    @property
    def has_object(self) -> bool:
        return bool(OBJECT_PARAMS & set(self.params))

    def url(self, world: matrix_world.World | None, expect: Expect | None) -> str:
        def value(name: str) -> str:
            if name == "version":
                return latest_catalogue().version
            if name in LITERAL_PARAMS:
                return LITERAL_PARAMS[name]
            assert world is not None and expect is not None, (self.key, name)
            if name == "reference":
                assert expect.ref, f"{self.key}: say which object fills <reference> (ref=)"
                return str(world[expect.ref].reference)
            if name == "pk":
                assert expect.pk, f"{self.key}: say which object fills <pk> (pk=)"
                return str(world[expect.pk].pk)
            return str(world[FIXED_OBJECTS[name]].pk)

        path = self.path.replace("^", "").replace("$", "")
        if self.method is not None:  # an OpenAPI path: /api/v1/x/{param}
            return re.sub(r"\{(\w+)\}", lambda match: value(match.group(1)), path)
        return "/" + PARAM.sub(lambda match: value(match.group(1) or match.group(2)), path)


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            params = tuple(a or b for a, b in PARAM.findall(pattern))
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(key=name if entry.name else pattern, path=pattern, params=params)


def url_routes() -> list[Route]:
    """Every pattern of the URL configuration (the API's own patterns included)."""
    return list(_walk(get_resolver(), "", ""))


def api_operations() -> list[Route]:
    """Every operation of the OpenAPI schema: path × method."""
    schema = api.get_openapi_schema()
    return [
        Route(
            key=f"{method.upper()} {path}",
            path=path,
            params=tuple(re.findall(r"\{(\w+)\}", path)),
            method=method,
        )
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def _api_pattern_path(route: Route) -> str:
    """The OpenAPI path an API URL pattern serves (`<version>` -> `{version}`)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.path)


def all_routes() -> list[Route]:
    """URL patterns, minus those that only serve API operations, plus the operations."""
    operations = api_operations()
    served = {operation.path for operation in operations}
    patterns = [
        route
        for route in url_routes()
        if not (route.kind == "api" and _api_pattern_path(route) in served)
    ]
    return patterns + operations


def expectation_for(route: Route) -> Expect | None:
    if route.kind == "admin":
        return ADMIN_SITE.get(route.key, ADMIN_MODEL_VIEWS)
    if route.kind == "accounts":
        if route.key not in ACCOUNT_ROUTES:
            return None
        anonymous, signed_in = ACCOUNT_ROUTES[route.key]
        return Expect(default=signed_in, anonymous=anonymous)
    return EXPECTATIONS.get(route.key)


# Requests -------------------------------------------------------------------------------------


class Visitors:
    """One signed-in client per persona; each request runs in a savepoint rolled back."""

    def __init__(self, users: Mapping[str, User | None]) -> None:
        self.clients: dict[str, tuple[Client, SimpleCookie]] = {}
        for name, user in users.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            self.clients[name] = (client, SimpleCookie(client.cookies))

    def request(self, persona: str, method: str, url: str, body: Any) -> HttpResponse:
        client, cookies = self.clients[persona]
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        with transaction.atomic():
            response: HttpResponse = getattr(client, method)(url, **kwargs)
            transaction.set_rollback(True)
        client.cookies = SimpleCookie(cookies)
        return response


def observed(response: HttpResponse) -> Outcome:
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        if location.path == reverse("account_login"):
            return LOGIN
        if location.path == reverse("admin:login"):
            return ADMIN_LOGIN
    return response.status_code


def _login_next_is_wrong(response: HttpResponse, url: str) -> bool:
    query = parse_qs(urlsplit(response["Location"]).query)
    return query.get("next") != [url]


@dataclass
class Combination:
    route: Route
    departement: str | None
    persona: str
    relation: str
    expected: Outcome
    actual: Outcome = 0

    @property
    def label(self) -> str:
        where = f" [{self.departement}]" if self.departement else ""
        return f"{self.route.key}{where} × {self.persona} ({self.relation})"


@dataclass
class Worlds:
    users: dict[str, User | None]
    by_code: dict[str, matrix_world.World]


@pytest.fixture
def worlds(cast: Any) -> Worlds:
    side93, side13, extras = matrix_world.sides(cast)
    users: dict[str, User | None] = {"anonymous": None}
    for name in PERSONAS:
        if name != "anonymous":
            users[name] = getattr(cast, name, None) or getattr(extras, name)
    by_code = {
        side.code: matrix_world.build_world(side, national=cast.nadia) for side in (side93, side13)
    }
    return Worlds(users=users, by_code=by_code)


@contextmanager
def _quiet_not_found() -> Iterator[None]:
    """The thousands of "Not Found" warnings stay out of the log (errors are still logged).
    Everything else is real: PDFs are rendered, the 404 page is the project's."""
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        request_log.setLevel(level)


def _resolves_to(url: str, route: Route) -> bool:
    """The URL built for a pattern reaches that pattern (and not one listed before it)."""
    match = resolve(urlsplit(url).path)
    return match.route.replace("^", "") == route.path.replace("^", "")


def run_matrix(worlds: Worlds) -> tuple[list[Combination], list[str]]:
    """Request every combination; the failures, as readable lines."""
    visitors = Visitors(worlds.users)
    combinations: list[Combination] = []
    failures: list[str] = []
    cache.clear()
    with _quiet_not_found():
        for route in all_routes():
            expect = expectation_for(route)
            if expect is None:
                continue  # reported by test_every_route_has_an_expectation
            departements: list[str | None] = list(worlds.by_code) if route.has_object else [None]
            method = route.method or expect.method
            body = expect.body if expect.body is not None else ({} if route.method else None)
            if method == "get":
                body = None
            for code in departements:
                world = worlds.by_code[code] if code else None
                url = route.url(world, expect)
                if route.method is None and not _resolves_to(url, route):
                    failures.append(f"{url} does not resolve to {route.key} ({route.path})")
                    continue
                for persona in PERSONAS:
                    relation_ = relation(persona, code)
                    combination = Combination(
                        route, code, persona, relation_, expect.outcome(relation_)
                    )
                    response = visitors.request(persona, method, url, body)
                    combination.actual = observed(response)
                    combinations.append(combination)
                    if persona != "anonymous" and "no-store" not in response.get(
                        "Cache-Control", ""
                    ):
                        failures.append(f"{method.upper()} {url}: {persona}: no no-store")
                    if combination.actual != combination.expected:
                        failures.append(
                            f"{method.upper()} {url}: {combination.label}: expected "
                            f"{combination.expected}, got {combination.actual}"
                        )
                    elif (
                        combination.actual == LOGIN
                        and route.kind != "accounts"  # allauth's own redirects
                        and _login_next_is_wrong(response, url)
                    ):
                        failures.append(f"{combination.label}: the login page's ?next= is wrong")
    cache.clear()
    return combinations, failures


# Tests ----------------------------------------------------------------------------------------

MAX_FAILURES_SHOWN = 300


def test_every_route_has_an_expectation() -> None:
    routes = all_routes()
    keys = {route.key for route in routes}
    assert len(keys) == len(routes), "two routes share a key"
    missing = sorted(route.key for route in routes if expectation_for(route) is None)
    stale = sorted((set(EXPECTATIONS) | set(ACCOUNT_ROUTES) | set(ADMIN_SITE)) - keys)
    message = []
    if missing:
        message.append("Routes without an expectation in EXPECTATIONS:\n  " + "\n  ".join(missing))
    if stale:
        message.append("Expectations naming no route:\n  " + "\n  ".join(stale))
    assert not message, "\n".join(message)


def test_no_expectation_lets_an_outsider_in() -> None:
    """Other départements and unrelated providers get 404 on objects, never anything else;
    anonymous visitors get the login page or 401 unless the route is public."""
    objects = {route.key for route in all_routes() if route.has_object}
    leaks = [
        f"{key}: {relation_} -> {outcome}"
        for key, expect in EXPECTATIONS.items()
        if key in objects
        for relation_, outcome in expect.granted.items()
        if relation_ in OUTSIDERS and outcome != 404
    ]
    leaks += [
        f"{key}: default {expect.default}"
        for key, expect in EXPECTATIONS.items()
        if key in objects and expect.default != 404
    ]
    leaks += [
        f"{key}: anonymous {expect.anonymous}"
        for key, expect in EXPECTATIONS.items()
        if key in objects and expect.anonymous not in {LOGIN, 401}
    ]
    assert not leaks, "Expectations that would let an outsider in:\n  " + "\n  ".join(leaks)


def test_the_matrix(worlds: Worlds, matrix_report: MatrixReport) -> None:
    started = time.monotonic()
    combinations, failures = run_matrix(worlds)
    matrix_report.combinations = len(combinations)
    matrix_report.routes = len({c.route.key for c in combinations})
    matrix_report.object_routes = len({c.route.key for c in combinations if c.departement})
    matrix_report.personas = len({c.persona for c in combinations})
    matrix_report.relations = len({c.relation for c in combinations})
    matrix_report.seconds = time.monotonic() - started
    shown = failures[:MAX_FAILURES_SHOWN]
    if len(failures) > len(shown):
        shown.append(f"... and {len(failures) - len(shown)} more")
    assert not failures, f"{len(failures)} of {len(combinations)} combinations differ:\n" + (
        "\n".join(shown)
    )
