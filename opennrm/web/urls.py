"""The web layer's URLs, namespace "web": each area's own urls.py, in one flat list.

The areas' patterns are concatenated rather than include()d, so that every route is a plain
URLPattern of this module (the access tests read their views from here). No two areas' routes
overlap; the order below is the order in which they are matched.
"""

from django.urls import URLPattern

from opennrm.web.accounts import urls as accounts
from opennrm.web.assessments import urls as assessments
from opennrm.web.audit import urls as audit
from opennrm.web.cases import urls as cases
from opennrm.web.concerns import urls as concerns
from opennrm.web.dashboard import urls as dashboard
from opennrm.web.directory import urls as directory
from opennrm.web.evidence import urls as evidence
from opennrm.web.exchange import urls as exchange
from opennrm.web.health import urls as health
from opennrm.web.identification import urls as identification
from opennrm.web.monitoring import urls as monitoring
from opennrm.web.organisations import urls as organisations
from opennrm.web.privacy import urls as privacy
from opennrm.web.protection import urls as protection
from opennrm.web.protocol import urls as protocol
from opennrm.web.public import urls as public
from opennrm.web.recognition import urls as recognition
from opennrm.web.support import urls as support
from opennrm.web.transfers import urls as transfers

app_name = "web"

AREAS = (
    public,
    health,
    dashboard,
    organisations,
    directory,
    recognition,
    protocol,
    audit,
    monitoring,
    concerns,
    cases,
    transfers,
    assessments,
    accounts,
    evidence,
    exchange,
    protection,
    identification,
    support,
    privacy,
)

urlpatterns: list[URLPattern] = [pattern for area in AREAS for pattern in area.urlpatterns]
