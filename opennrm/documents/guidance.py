"""The public guidance of a sector as a one-page A4 poster: what to notice, what to do and
not to do, whom to contact (the report form, the directory, the profile's emergency numbers).
No personal data: the same poster is printed for everyone."""

from dataclasses import dataclass

from opennrm.documents.rendering import render_pdf
from opennrm.profiles.guidance import SectorGuidance

TEMPLATE = "documents/guidance_poster.html"


@dataclass(frozen=True)
class PosterContacts:
    """Whom to contact, as the poster prints it (absolute addresses: it is read on paper)."""

    report_url: str
    directory_url: str
    emergency_numbers: tuple[tuple[str, str], ...]  # (number, whom it reaches)
    profile_name: str
    profile_version: str


def render_sector_poster(page: SectorGuidance, contacts: PosterContacts) -> bytes:
    """The poster, in the language of the guidance text."""
    context = {"page": page, "contacts": contacts}
    return render_pdf(TEMPLATE, context, page.language)
