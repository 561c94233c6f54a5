"""Views of support: plan (needs, orientations, closure), legal (residence, non-punishment,
compensation), provider (orientations received), services (the service directory)."""
