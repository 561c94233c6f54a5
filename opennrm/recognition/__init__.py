"""The recognition of authorised reporters and their cooperation agreements."""
