"""Encryption at rest of personal data, and keyed blind indexes to search it (ADR 0008).

`keys` reads the keys from settings (fed by the environment, never the database), `cipher`
seals and opens values, `fields` gives the model fields that use them, `blind` computes the
blind-index tokens, `rotation` re-encrypts with the current key.
"""
