"""Protection steps of a case: rights information and leaflet, consent, guardian and child
protection, reflection period and immediate needs, referral, anonymous notification; their PDFs."""
