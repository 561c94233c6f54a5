"""Concerns: the public report, staff entry, the triage list and decisions."""
