"""Monitoring: what is overdue, identification deadlines, residence outcomes per authority."""
