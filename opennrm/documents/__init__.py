"""Printable documents (PDF): the rights leaflet and the reflection period attestation.

A plain package, not a Django app: its templates are loaded by path with a dedicated template
engine (see `rendering`), so nothing needs to be added to INSTALLED_APPS.
"""

from opennrm.documents.rendering import available_languages, render_pdf, resolve_language

__all__ = ["available_languages", "render_pdf", "resolve_language"]
