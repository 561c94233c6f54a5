"""The audit trail viewer and its CSV export, for the data protection officer."""
