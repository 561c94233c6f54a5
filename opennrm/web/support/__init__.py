"""Support of the person: the plan and orientations, residence, non-punishment, compensation,
the service directory and what providers receive."""
