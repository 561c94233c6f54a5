"""The protocol (standard operating procedures) generated from the live profile and catalogue."""
