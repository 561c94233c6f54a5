"""Formal identification: the referring organisation's follow-up, the judicial route, the
département platform, notifications."""
