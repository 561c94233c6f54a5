"""An organisation's page and its administration: invitations, training records, members."""
