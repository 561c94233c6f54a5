"""Indicator catalogue (versioned data) and the assessment engine that reads it."""
